"""A policy's issuing department lies in its creator's scope; editing and publishing follow the issuer.

The finding: a county-B user created a policy issued in a county-A department's name, and the county-A
liaison could then edit, publish and auto-push it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qinqing.policies import actions
from qinqing.policies.models import Policy
from qinqing.policies.permissions import can_edit

pytestmark = pytest.mark.django_db

DATA = {
    "title": "稳岗补贴",
    "level": "county",
    "benefit_type": "subsidy",
    "application_method": "apply",
    "effective_on": datetime.date(2024, 1, 1),
    "body": "对吸纳就业的中小企业给予稳岗补贴。",
    "rule": {"op": "all", "items": [{"attr": "employees", "op": "ge", "value": 10}]},
}


def test_given_county_b_staff_when_naming_a_county_a_department_as_issuer_then_refused(tree, users):
    with pytest.raises(ValidationError) as refused:
        actions.create_policy(actor=users.county_b_staff, data={**DATA, "issuer": tree.dept_a})

    assert "发布部门" in str(refused.value)
    assert not Policy.objects.exists()


def test_given_the_api_when_county_b_names_a_county_a_department_then_400_and_nothing_created(tree, users, login):
    response = login(users.county_b_staff).post(
        "/api/v1/policies/",
        {**DATA, "issuer": tree.dept_a.pk, "effective_on": "2024-01-01"},
        content_type="application/json",
    )

    assert response.status_code == 400 and "发布部门" in response.content.decode()
    assert not Policy.objects.exists()


def test_given_an_own_department_when_creating_then_accepted(tree, users):
    policy = actions.create_policy(actor=users.county_staff, data={**DATA, "issuer": tree.dept_a})

    assert policy.issuer == tree.dept_a and can_edit(users.liaison, policy)


def test_given_county_b_staff_when_changing_the_issuer_to_county_a_then_refused(tree, users):
    policy = actions.create_policy(actor=users.county_b_staff, data={**DATA, "issuer": tree.dept_b})

    with pytest.raises(ValidationError):
        actions.update_policy(policy, actor=users.county_b_staff, data={**DATA, "issuer": tree.dept_a})
    policy.refresh_from_db()
    assert policy.issuer == tree.dept_b


@pytest.fixture
def planted(tree, users):
    """A policy as today's code let county B make it: owned by county B, issued in county A's name."""
    return Policy.objects.create(
        **{k: v for k, v in DATA.items()},
        issuer=tree.dept_a,
        owner=tree.county_b,
        org_path=tree.county_b.path,
        created_by=users.county_b_staff,
    )


def test_given_a_planted_policy_when_the_named_departments_liaison_acts_then_no_edit_no_publish(planted, users, login):
    assert not can_edit(users.liaison, planted)
    with pytest.raises(PermissionDenied):
        actions.set_policy_state(planted, actor=users.liaison, state="published")
    with pytest.raises(PermissionDenied):
        actions.update_policy(planted, actor=users.liaison, data={**DATA, "auto_push": True})

    client = login(users.liaison)
    assert (
        client.patch(f"/api/v1/policies/{planted.pk}/", {"title": "改"}, content_type="application/json").status_code
        == 404
    )
    planted.refresh_from_db()
    assert planted.state != "published" and planted.title == DATA["title"]


def test_given_a_planted_policy_then_only_the_level_above_both_counties_may_correct_it(planted, users):
    assert not can_edit(users.county_b_staff, planted)  # its issuer is outside county B
    assert not can_edit(users.county_staff, planted)  # its owner is outside county A
    assert can_edit(users.city_staff, planted)
