"""Goal: an import that changes enterprises' data re-matches them against the policies once it commits,
and tells the newly eligible enterprises, once."""

import datetime

import pytest

from qinqing.policies import matching
from qinqing.policies.models import PolicyPush
from qinqing.registry.importing.runner import run_import
from qinqing.registry.models import Enterprise

from .conftest import enterprise_row, make_code

pytestmark = pytest.mark.django_db
NEEDS_120_EMPLOYEES = {"op": "all", "items": [{"attr": "employees", "op": "ge", "value": 120}]}


@pytest.fixture
def policy(tree, users):
    from qinqing.policies.actions import create_policy, set_policy_state

    policy = create_policy(
        actor=users.city_staff,
        data={
            "title": "规模以上企业用工奖励",
            "level": "city",
            "benefit_type": "subsidy",
            "application_method": "apply",
            "effective_on": datetime.date(2024, 1, 1),
            "body": "对从业人员达到一定规模的企业给予奖励。",
            "rule": NEEDS_120_EMPLOYEES,
            "auto_push": True,
        },
    )
    policy = set_policy_state(policy, actor=users.city_staff, state="published")
    matching.run_matching(tree.city.path)
    return policy


def test_given_an_import_that_makes_enterprises_qualify_when_committed_then_they_are_matched_and_told_once(
    tree, policy, csv_file, django_capture_on_commit_callbacks
):
    # Given enterprises imported below the policy's 120 employees
    path = csv_file([enterprise_row(i, **{"从业人员": "60"}) for i in range(1, 4)])
    with django_capture_on_commit_callbacks(execute=True):
        run_import("enterprises", path, org=tree.county_a, dry_run=False)
    assert not PolicyPush.objects.filter(policy=policy).exists()
    # When a second file raises two of them to 150 and the import commits
    path = csv_file([enterprise_row(1, **{"从业人员": "150"}), enterprise_row(2, **{"从业人员": "150"})])
    with django_capture_on_commit_callbacks(execute=True):
        run_import("enterprises", path, org=tree.county_a, dry_run=False)
    # Then exactly those two are eligible and were told, and re-importing tells nobody again
    raised = set(Enterprise.objects.filter(credit_code__in=[make_code(1), make_code(2)]).values_list("pk", flat=True))
    assert raised <= set(matching.eligible_ids(policy, tree.county_a.path).to_list())
    assert set(PolicyPush.objects.filter(policy=policy).values_list("enterprise_id", flat=True)) == raised
    with django_capture_on_commit_callbacks(execute=True):
        run_import("enterprises", path, org=tree.county_a, dry_run=False)
    assert PolicyPush.objects.filter(policy=policy).count() == 2


def test_given_a_preview_when_run_then_nothing_is_rematched(tree, policy, csv_file, django_capture_on_commit_callbacks):
    path = csv_file([enterprise_row(1, **{"从业人员": "150"})])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run_import("enterprises", path, org=tree.county_a, dry_run=True)
    assert not callbacks and not PolicyPush.objects.exists()
