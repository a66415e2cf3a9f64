"""County-A survey objects for the role × URL matrix, the isolation tests and the schema fuzzing."""

from qinqing.core.tests.isolation_registry import Sample


def _survey(tree, users, **kw):
    from qinqing.surveys import actions

    from .conftest import answers, small_structure

    survey = actions.create_survey(actor=users.county_staff, data={"title": "县A样例问卷", **kw})
    survey = actions.save_structure(survey, actor=users.county_staff, data=small_structure())
    survey = actions.open_survey(survey, actor=users.county_staff)
    actions.submit_response(survey, actor=users.enterprise, enterprise=tree.ent_a, raw=answers())
    return survey


def _pk(tree, users):
    return {"pk": _survey(tree, users).pk}


def _response(tree, users):
    from qinqing.surveys.models import Response

    return Response.objects.get(survey=_survey(tree, users))


SAMPLES = [
    Sample(f"surveys:{name}", _pk)
    for name in ("detail", "edit", "builder", "open", "close", "remind", "results", "export", "import",
                 "import_template", "responses", "answer")
] + [
    Sample("surveys:question_remove", lambda tree, users: {**_pk(tree, users), "code": "Q7"}),
    # An open link is for any enterprise holding it, wherever it is registered.
    Sample("surveys:answer_link", lambda tree, users: {"token": _survey(tree, users, audience="link").link_token},
           isolated=False),
]  # fmt: skip

COUNTY_A_OBJECTS = {
    "surveys.Survey": lambda tree, users: [_survey(tree, users)],
    "surveys.Response": lambda tree, users: [_response(tree, users)],
}

SCOPE = {
    "surveys.SurveyVersion": "survey__org_path",
    "surveys.Receipt": "survey__org_path",
}
