"""County-A mediation objects for the role × URL matrix, the isolation tests and the schema fuzzing."""

from qinqing.core.tests.isolation_registry import Sample

from .factories import centre, committee, court_case, settled_case


def _case(tree, users):
    return {"pk": court_case(tree, users).pk}


def _step(step):
    return lambda tree, users: {"pk": court_case(tree, users).pk, "step": step}


SAMPLES = [
    Sample("mediation:case_detail", _case),
    Sample("mediation:case_agreement", lambda tree, users: {"pk": settled_case(tree, users).pk}),
    Sample("mediation:case_step", _step("session")),
    Sample("mediation:reveal_contacts", _case),
    Sample("mediation:body_detail", lambda tree, users: {"pk": committee(tree, users).pk}),
    Sample("mediation:body_edit", lambda tree, users: {"pk": committee(tree, users).pk}),
    Sample("mediation:roster_add", lambda tree, users: {"pk": committee(tree, users).pk}),
    Sample("mediation:roster_remove",
           lambda tree, users: {"pk": committee(tree, users).pk, "entry": committee(tree, users).roster.get().pk}),
    Sample("mediation:figure_records", lambda tree, users: {"key": "mediation.cases"}, isolated=False),
    Sample("mediation:exchange_export", lambda tree, users: {"fmt": "json"}, isolated=False),
]  # fmt: skip

COUNTY_A_OBJECTS = {
    "mediation.Case": lambda tree, users: [court_case(tree, users)],
    "mediation.MediationBody": lambda tree, users: [committee(tree, users), centre(tree, users)],
}

SCOPE = {
    "mediation.RosterEntry": "body__org_path",
    "mediation.Party": "case__org_path",
    "mediation.Session": "case__org_path",
    "mediation.Extension": "case__org_path",
}
