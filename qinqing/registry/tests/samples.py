"""Registry objects of county A for the role × URL matrix and the isolation tests (see core isolation_registry)."""

import datetime
import itertools

from qinqing.core.tests.isolation_registry import Sample

# A sample may be made several times in one test: names, years and 届 start dates never repeat.
_serial = itertools.count(1)


def _chamber(tree, users):
    from qinqing.registry.chambers import actions as actions_chambers
    from qinqing.registry.models import Chamber

    existing = Chamber.objects.filter(organization=tree.chamber_a).first()
    if existing is not None:
        return existing
    return actions_chambers.register_chamber(tree.chamber_a, actor=None, chamber_type="industry")


def _contact(tree, users):
    from qinqing.registry import actions

    return {"pk": actions.add_contact(tree.ent_a, actor=None, name="李四", mobile="13912345678").pk}


def _figures(tree, users):
    from qinqing.registry import actions

    return {"pk": actions.record_year_figures(tree.ent_a, 2024, actor=None, employees=10).pk}


def _term(tree, users):
    from qinqing.registry.chambers import actions as actions_chambers

    chamber = _chamber(tree, users)
    start = datetime.date(2000, 1, 1) + datetime.timedelta(days=next(_serial))
    return {
        "pk": actions_chambers.start_term(chamber, actor=None, starts_on=start, ends_on=start.replace(year=2030)).pk
    }


def _rating(tree, users):
    from qinqing.registry.chambers import actions as actions_chambers

    chamber = _chamber(tree, users)
    # The first year without this rating: the serial counter runs on across a whole session, and ratings
    # may not be dated after this year.
    taken = set(chamber.ratings.filter(scheme="five_good").values_list("year", flat=True))
    year = next(y for y in range(1990, datetime.date.today().year + 1) if y not in taken)
    return {"pk": actions_chambers.add_rating(chamber, actor=None, scheme="five_good", year=year).pk}


def _branch(tree, users):
    from qinqing.registry.chambers import actions as actions_chambers

    return {"pk": actions_chambers.add_branch(_chamber(tree, users), actor=None, name=f"联络站{next(_serial)}").pk}


def _enterprise_field(field):
    return lambda tree, users: {"pk": tree.ent_a.pk, "field": field}


SAMPLES = [
    Sample("registry:enterprise_edit", lambda tree, users: {"pk": tree.ent_a.pk}),
    Sample("registry:enterprise_figures", lambda tree, users: {"pk": tree.ent_a.pk}),
    Sample("registry:contact_add", lambda tree, users: {"pk": tree.ent_a.pk}),
    Sample("registry:reveal", _enterprise_field("contact_mobile")),
    Sample("registry:figures_edit", _figures),
    Sample("registry:figures_remove", _figures),
    Sample("registry:contact_edit", _contact),
    Sample("registry:contact_remove", _contact),
    Sample("registry:contact_reveal", lambda tree, users: {**_contact(tree, users), "field": "mobile"}),
    Sample("registry:chamber_detail", lambda tree, users: {"pk": _chamber(tree, users).pk}),
    Sample("registry:chamber_edit", lambda tree, users: {"pk": _chamber(tree, users).pk}),
    Sample("registry:chamber_term", lambda tree, users: {"pk": _chamber(tree, users).pk}),
    Sample("registry:rating_add", lambda tree, users: {"pk": _chamber(tree, users).pk}),
    Sample("registry:branch_add", lambda tree, users: {"pk": _chamber(tree, users).pk}),
    Sample("registry:term_edit", _term),
    Sample("registry:term_remove", _term),
    Sample("registry:rating_remove", _rating),
    Sample("registry:branch_edit", _branch),
    Sample("registry:branch_remove", _branch),
]


def _member(tree, users):
    from qinqing.registry import actions
    from qinqing.registry.models import Member

    existing = Member.objects.filter(organization=tree.county_a, enterprise=tree.ent_a).first()
    if existing is not None:
        return existing
    return actions.add_member(
        actor=None,
        organization=tree.county_a,
        kind="enterprise",
        enterprise=tree.ent_a,
        joined_on=datetime.date(2020, 1, 1),
    )


def _model_objects(factory, model_path):
    """County-A objects of a model, made by a sample factory returning {"pk": …}."""

    def make(tree, users):
        from django.apps import apps

        return [apps.get_model(model_path).objects.get(pk=factory(tree, users)["pk"])]

    return make


SAMPLES += [
    Sample("registry:member_detail", lambda tree, users: {"pk": _member(tree, users).pk}),
    # The template is the same for everyone with the import right: nothing of county A in it.
    Sample("registry-import-template", lambda tree, users: {"kind": "enterprises"}, isolated=False),
]

# API detail routes (figures, contacts, members, chambers, terms, ratings, branches) are requested by
# county-B users with these objects' ids by the isolation test, and fuzzed with them by the schema test.
COUNTY_A_OBJECTS = {
    "registry.Member": lambda tree, users: [_member(tree, users)],
    "registry.Chamber": lambda tree, users: [_chamber(tree, users)],
    "registry.EnterpriseContact": _model_objects(_contact, "registry.EnterpriseContact"),
    "registry.EnterpriseYearFigures": _model_objects(_figures, "registry.EnterpriseYearFigures"),
    "registry.ChamberTerm": _model_objects(_term, "registry.ChamberTerm"),
    "registry.ChamberRating": _model_objects(_rating, "registry.ChamberRating"),
    "registry.ChamberBranch": _model_objects(_branch, "registry.ChamberBranch"),
}

SCOPE = {
    "registry.ChamberTerm": "chamber__org_path",
    "registry.ChamberRating": "chamber__org_path",
    "registry.ChamberBranch": "chamber__org_path",
}
