"""County-A health-check objects for the role × URL matrix, the isolation tests and the schema fuzzing."""

import datetime as dt
from decimal import Decimal

from qinqing.core.tests.isolation_registry import Sample


def _result(tree, users):
    from qinqing.health import actions
    from qinqing.health.models import HealthResult, HealthRun
    from qinqing.health.runs import compute_run
    from qinqing.registry.models import EnterpriseYearFigures

    found = HealthResult.objects.filter(enterprise=tree.ent_a, is_current=True).first()
    if found is not None:
        return found
    version = actions.default_version(users.city_staff)
    for year, revenue in ((2024, "900"), (2025, "1000")):
        EnterpriseYearFigures.objects.get_or_create(
            enterprise=tree.ent_a, year=year,
            defaults={"revenue_wan": Decimal(revenue), "tax_wan": Decimal(30), "employees": 40,
                      "total_assets_wan": Decimal(1500)},
        )  # fmt: skip
    run = HealthRun.objects.create(version=version, org_path=tree.county_a.path, started_by=users.county_staff)
    compute_run(run)
    return HealthResult.objects.get(enterprise=tree.ent_a, is_current=True)


def _run(tree, users):
    return _result(tree, users).run


def _visit(tree, users):
    from qinqing.health import actions
    from qinqing.health.models import VisitTask

    result = _result(tree, users)
    open_task = VisitTask.objects.filter(enterprise=tree.ent_a, status="planned").first()
    if open_task is not None:  # one open visit per enterprise: a second sample reuses it
        return open_task
    return actions.create_visits(actor=users.county_staff, results=[result],
                                 due_on=actions.today() + dt.timedelta(days=2))[0]  # fmt: skip


def _version(tree, users):
    return _result(tree, users).version


SAMPLES = [
    Sample("health:diagnosis", lambda tree, users: {"pk": _result(tree, users).enterprise_id}),
    Sample("health:supplement", lambda tree, users: {"pk": tree.ent_a.pk}),
    Sample("health:questionnaire", lambda tree, users: {"pk": tree.ent_a.pk}),
    Sample("health:run_detail", lambda tree, users: {"pk": _run(tree, users).pk}),
    Sample("health:visit_detail", lambda tree, users: {"pk": _visit(tree, users).pk}),
    # The scheme is one for the deployment (like a local standard): every reader of diagnoses reads it.
    Sample("health:version_detail", lambda tree, users: {"pk": _version(tree, users).pk}, isolated=False),
    Sample("health:version_edit", lambda tree, users: {"pk": _version(tree, users).pk}, isolated=False),
    Sample("health:figure_records", lambda tree, users: {"key": "health.scored"}, isolated=False),
]

COUNTY_A_OBJECTS = {
    "health.HealthResult": lambda tree, users: [_result(tree, users)],
    "health.HealthRun": lambda tree, users: [_run(tree, users)],
    "health.VisitTask": lambda tree, users: [_visit(tree, users)],
}

SCOPE = {
    "health.ScoringVersion": None,  # the deployment's scheme, the same versions for every county
    "health.FinancialSupplement": "enterprise__org_path",
    "health.QuestionnaireAnswers": "enterprise__org_path",
}
