"""Goal: when an enterprise's matching-relevant data changes, its policy eligibility follows once committed."""

import datetime

import pytest

from qinqing.policies import matching
from qinqing.policies.models import PolicyPush
from qinqing.registry import actions

NEEDS_30_EMPLOYEES = {"op": "all", "items": [{"attr": "employees", "op": "ge", "value": 30}]}


@pytest.fixture
def policy(tree, users):
    from qinqing.policies.actions import create_policy, set_policy_state

    policy = create_policy(
        actor=users.city_staff,
        data={
            "title": "岳阳市稳岗补贴政策",
            "level": "city",
            "benefit_type": "subsidy",
            "application_method": "apply",
            "effective_on": datetime.date(2024, 1, 1),
            "body": "对吸纳就业的中小企业给予稳岗补贴。",
            "rule": NEEDS_30_EMPLOYEES,
        },
    )
    policy = set_policy_state(policy, actor=users.city_staff, state="published")
    matching.run_matching(tree.city.path)
    return policy


def test_given_enterprise_edit_makes_it_qualify_when_committed_then_matched_and_pushed_once(
    tree, users, policy, django_capture_on_commit_callbacks
):
    assert tree.ent_a.pk not in matching.eligible_ids(policy, tree.county_a.path).to_list()

    with django_capture_on_commit_callbacks(execute=True):
        actions.update_enterprise(tree.ent_a, actor=users.county_staff, employees=45)
    with django_capture_on_commit_callbacks(execute=True):  # a second edit pushes nothing new
        actions.update_enterprise(tree.ent_a, actor=users.county_staff, employees=50)

    assert tree.ent_a.pk in matching.eligible_ids(policy, tree.county_a.path).to_list()
    assert PolicyPush.objects.filter(policy=policy, enterprise=tree.ent_a).count() == 1
    assert not PolicyPush.objects.filter(enterprise=tree.ent_b).exists()


def test_given_year_figures_raise_employees_then_rematched(tree, users, policy, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        actions.record_year_figures(tree.ent_a, 2025, actor=users.county_staff, employees=80)

    assert callbacks and PolicyPush.objects.filter(policy=policy, enterprise=tree.ent_a).count() == 1


def test_given_only_a_contact_changes_then_no_rematch(tree, users, policy, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        actions.update_enterprise(tree.ent_a, actor=users.county_staff, address="岳阳县荣家湾镇")
        actions.add_contact(tree.ent_a, actor=users.county_staff, name="李四")
    assert callbacks == []


def test_given_rolled_back_edit_then_nothing_rematched(tree, users, policy, django_capture_on_commit_callbacks):
    from django.db import transaction

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        actions.update_enterprise(tree.ent_a, actor=users.county_staff, employees=45)
        raise RuntimeError
    assert callbacks == [] and not PolicyPush.objects.exists()


def test_given_membership_added_and_left_then_rematch_scheduled_each_time(
    tree, users, policy, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as added:
        member = actions.add_member(
            actor=users.county_staff,
            organization=tree.county_a,
            kind="enterprise",
            enterprise=tree.ent_a,
            joined_on=datetime.date(2020, 1, 1),
        )
    with django_capture_on_commit_callbacks(execute=False) as role_only:
        actions.update_member(member, actor=users.county_staff, role="director")
    with django_capture_on_commit_callbacks(execute=False) as left:
        actions.update_member(member, actor=users.county_staff, left_on=datetime.date(2024, 1, 1))

    assert (len(added), len(role_only), len(left)) == (1, 0, 1)
