"""Opened tracking (page and API) and the figures API."""

import pytest
from django.urls import reverse

from qinqing.policies import actions, matching
from qinqing.policies.models import PolicyPush

pytestmark = pytest.mark.django_db


@pytest.fixture
def pushed(users, firms, make_policy):
    policy = make_policy(auto_push=False)
    matching.run_matching(firms.city.path)
    assert actions.push_policy(policy, actor=users.city_staff) == 1  # ent_a
    return policy


def test_given_pushed_policy_when_enterprise_reads_it_through_the_api_then_counted_as_opened(login, users, pushed):
    assert login(users.enterprise).get(reverse("api-policy", args=[pushed.pk])).status_code == 200
    assert PolicyPush.objects.get(policy=pushed).opened_at is not None


def test_given_pushed_policy_when_staff_read_it_through_the_api_then_not_opened(login, users, pushed):
    assert login(users.city_staff).get(reverse("api-policy", args=[pushed.pk])).status_code == 200
    assert PolicyPush.objects.get(policy=pushed).opened_at is None


def test_given_pushes_when_figures_api_read_then_counts_by_status_benefit_and_pushes(login, users, firms, pushed):
    client = login(users.city_staff)
    before = client.get(reverse("api-policy-figures")).json()
    assert before["pushes_sent"] == 1 and before["pushes_opened"] == 0 and before["enterprises_reached"] == 1
    login(users.enterprise).get(reverse("api-policy", args=[pushed.pk]))
    data = login(users.city_staff).get(reverse("api-policy-figures")).json()
    assert data["pushes_opened"] == 1
    assert {row["status"]: row["count"] for row in data["by_status"]}["active"] == 1
    assert {row["benefit_type"]: row["count"] for row in data["by_benefit"]}["subsidy"] == 1
    assert data["scope"] == firms.city.path


def test_given_other_county_staff_when_reading_figures_then_only_their_scope(login, users, pushed):
    data = login(users.county_b_staff).get(reverse("api-policy-figures")).json()
    # The city's policy applies in county B too (counted, as on county B's home page), but its push went to
    # county A's enterprise.
    assert data["pushes_sent"] == 0 and {row["status"]: row["count"] for row in data["by_status"]}["active"] == 1


def test_given_enterprise_user_when_reading_figures_then_forbidden(login, users, pushed):
    assert login(users.enterprise).get(reverse("api-policy-figures")).status_code == 403
