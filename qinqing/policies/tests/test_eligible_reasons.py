"""The staff eligible list (名单) says why each enterprise qualifies, and lists the enterprises one condition
short with that condition (issue 10); the policy page links to both."""

import pytest

from qinqing.policies.matching import run_matching
from qinqing.policies.reasons import near_misses

pytestmark = pytest.mark.django_db


def _leaf(attr, op, value):
    return {"attr": attr, "op": op, "value": value}


@pytest.fixture
def policy(firms, make_policy):
    # ent_a: 50 employees, revenue 3000; ent_b: 5 employees, no figures (revenue unknown)
    policy = make_policy(
        title="规上稳岗补贴",
        rule={
            "op": "all",
            "items": [_leaf("employees", "ge", 10), _leaf("qualifications", "has_any", ["高新技术企业"])],
        },
    )
    run_matching(firms.city.path)
    return policy


def test_given_eligible_enterprise_when_staff_open_list_then_met_conditions_shown(policy, firms, users, login):
    html = login(users.county_staff).get(f"/policies/matching/{policy.pk}/").content.decode()
    assert firms.ent_a.name in html
    assert "从业人数" in html and "本企业：50" in html


def test_given_enterprise_one_condition_short_when_near_tab_then_listed_with_the_condition(policy, firms, users, login):
    from qinqing.registry.models import Enterprise

    Enterprise.objects.filter(pk=firms.ent_b.pk).update(qualifications="high_tech")  # 5 employees: only that short
    total, found = near_misses(policy, firms.city.path)
    assert total == 1 and found[0].enterprise_id == firms.ent_b.pk
    assert [leaf.attr for leaf in found[0].missing] == ["employees"]
    html = login(users.city_staff).get(f"/policies/matching/{policy.pk}/", {"tab": "near"}).content.decode()
    assert firms.ent_b.name in html and "从业人数" in html and firms.ent_a.name not in html.split("还差的条件")[1]


def test_given_enterprise_two_conditions_short_when_near_tab_then_not_listed(policy, firms):
    total, _found = near_misses(policy, firms.city.path)  # ent_b: 5 employees and no qualification
    assert total == 0


def test_given_county_staff_when_near_tab_then_only_own_county(policy, firms, users, login):
    from qinqing.registry.models import Enterprise

    Enterprise.objects.filter(pk=firms.ent_b.pk).update(qualifications="high_tech")  # ent_b is in county B
    html = login(users.county_staff).get(f"/policies/matching/{policy.pk}/", {"tab": "near"}).content.decode()
    assert firms.ent_b.name not in html


def test_given_policy_page_when_staff_open_then_links_to_list_and_near_misses(policy, users, login):
    html = login(users.county_staff).get(f"/policies/{policy.pk}/").content.decode()
    assert f"/policies/matching/{policy.pk}/" in html and "?tab=near" in html
    html = login(users.enterprise).get(f"/policies/{policy.pk}/").content.decode()
    assert f"/policies/matching/{policy.pk}/" not in html
