"""County-A programs objects for the role × URL matrix, the isolation tests and the schema fuzzing."""

import datetime as dt

from qinqing.core.tests.isolation_registry import Sample


def _day(days: int) -> dt.date:
    from django.utils import timezone

    return timezone.localdate() - dt.timedelta(days=days)


def _pairing(tree, users):
    from qinqing.programs import actions
    from qinqing.programs.models import Pairing

    existing = Pairing.objects.filter(enterprise=tree.ent_a, village="样例村").first()
    return existing or actions.save_pairing(
        actor=users.county_staff,
        data={"party_kind": "enterprise", "enterprise": tree.ent_a, "county_code": "430621", "village": "样例村",
              "started_on": _day(100)},
    )  # fmt: skip


def _project(tree, users):
    from qinqing.programs import actions
    from qinqing.programs.models import Project

    existing = Project.objects.filter(pairing__enterprise=tree.ent_a, name="样例项目").first()
    return existing or actions.add_project(_pairing(tree, users), actor=users.county_staff,
                               data={"name": "样例项目", "kind": "industry", "started_on": _day(50)})  # fmt: skip


def _donation(tree, users):
    from qinqing.programs import actions

    return actions.register_donation(
        actor=users.county_staff, enterprise=tree.ent_a,
        data={"form": "cash", "amount": "150", "recipient": "县慈善总会", "purpose": "助学", "donated_on": _day(5)},
    )  # fmt: skip


def _candidate(tree, users):
    from qinqing.programs import actions
    from qinqing.programs.models import ListingCandidate

    existing = ListingCandidate.objects.filter(enterprise=tree.ent_a).first()
    return existing or actions.add_candidate(actor=users.county_staff, enterprise=tree.ent_a,
                                 data={"tier": "gold", "criteria": ["revenue"], "entered_on": _day(30),
                                       "officer": users.county_staff})  # fmt: skip


SAMPLES = [
    Sample("programs:pairing_detail", lambda tree, users: {"pk": _pairing(tree, users).pk}),
    Sample("programs:pairing_edit", lambda tree, users: {"pk": _pairing(tree, users).pk}),
    Sample("programs:project_new", lambda tree, users: {"pk": _pairing(tree, users).pk}),
    Sample("programs:project_year", lambda tree, users: {"pk": _project(tree, users).pk}),
    Sample("programs:donation_detail", lambda tree, users: {"pk": _donation(tree, users).pk}),
    Sample("programs:donation_letter", lambda tree, users: {"pk": _donation(tree, users).pk}),
    Sample("programs:donation_report", lambda tree, users: {"pk": _donation(tree, users).pk}),
    Sample("programs:donation_receipt_upload", lambda tree, users: {"pk": _donation(tree, users).pk}),
    Sample("programs:candidate_detail", lambda tree, users: {"pk": _candidate(tree, users).pk}),
    Sample("programs:candidate_stage", lambda tree, users: {"pk": _candidate(tree, users).pk}),
    Sample("programs:candidate_service", lambda tree, users: {"pk": _candidate(tree, users).pk}),
    Sample("programs:candidate_tier", lambda tree, users: {"pk": _candidate(tree, users).pk}),
]

COUNTY_A_OBJECTS = {
    "programs.Pairing": lambda tree, users: [_pairing(tree, users)],
    "programs.Project": lambda tree, users: [_project(tree, users)],
    "programs.Donation": lambda tree, users: [_donation(tree, users)],
    "programs.ListingCandidate": lambda tree, users: [_candidate(tree, users)],
}

SCOPE = {
    "programs.ProjectYear": "org_path",
    "programs.StageStep": "candidate__org_path",
    "programs.ListingService": "candidate__org_path",
}
