"""API through the client: search, create with rules, state, 我的政策, matching, isolation."""

import pytest

from qinqing.policies import matching

pytestmark = pytest.mark.django_db


def test_given_policies_when_api_searches_then_ranked_with_highlight(login, users, firms, make_policy):
    make_policy(title="融资担保补助", body="担保费补助")
    make_policy(title="人才引进奖励", body="博士")
    data = login(users.banker).get("/api/v1/policies/", {"q": "融资"}).json()
    assert [r["title"] for r in data["results"]] == ["融资担保补助"]
    assert "<mark>融资</mark>" in data["results"][0]["highlight"]


def test_given_staff_when_creating_via_api_then_rule_normalised(login, users, firms):
    response = login(users.city_staff).post(
        "/api/v1/policies/",
        {"title": "稳岗返还", "level": "city", "benefit_type": "subsidy",
         "rule": {"op": "all", "items": [{"attr": "region", "op": "startswith", "value": "4306"}]}},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 201
    assert response.json()["rule"]["items"][0]["value"] == ["4306"]


def test_given_bad_rule_when_creating_via_api_then_400_in_chinese(login, users, firms):
    response = login(users.city_staff).post(
        "/api/v1/policies/",
        {"title": "x", "level": "city", "benefit_type": "subsidy",
         "rule": {"op": "all", "items": [{"attr": "employees", "op": "has_any", "value": 1}]}},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 400 and "不能使用运算" in response.content.decode()


def test_given_enterprise_when_creating_via_api_then_403(login, users, firms):
    response = login(users.enterprise).post("/api/v1/policies/", {"title": "x"}, content_type="application/json")
    assert response.status_code == 403


def test_given_county_b_staff_when_patching_county_a_policy_then_404(login, users, firms, make_policy):
    policy = make_policy(actor=users.county_staff)
    response = login(users.county_b_staff).patch(
        f"/api/v1/policies/{policy.pk}/", {"title": "改"}, content_type="application/json"
    )
    assert response.status_code == 404


def test_given_owner_when_patching_rule_then_saved(login, users, firms, make_policy):
    policy = make_policy(actor=users.county_staff)
    response = login(users.county_staff).patch(
        f"/api/v1/policies/{policy.pk}/", {"rule": {"op": "any", "items": []}}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["rule"] == {"op": "any", "items": []}


def test_given_enterprise_when_reading_mine_then_explanations(login, users, firms, make_policy):
    make_policy()
    data = login(users.enterprise).get("/api/v1/policies/mine/").json()
    assert data["results"][0]["verdict"] == "eligible"
    assert data["results"][0]["conditions"][0]["actual"] == "50人"
    assert login(users.city_staff).get("/api/v1/policies/mine/").status_code == 403


def test_given_matching_stored_when_reading_eligible_then_scope_limited(login, users, firms, make_policy):
    policy = make_policy(rule={})
    matching.run_matching(firms.city.path)
    city = login(users.city_staff).get(f"/api/v1/policies/{policy.pk}/eligible/").json()
    assert city["count"] == 2
    county = login(users.county_staff).get(f"/api/v1/policies/{policy.pk}/eligible/").json()
    assert [r["id"] for r in county["results"]] == [firms.ent_a.pk]
    assert login(users.enterprise).get(f"/api/v1/policies/{policy.pk}/eligible/").status_code == 403


def test_given_vocabulary_when_read_then_operators_per_attribute(login, users, firms):
    data = login(users.enterprise).get("/api/v1/policies/vocabulary/").json()
    employees = next(a for a in data["attributes"] if a["key"] == "employees")
    assert "between" in employees["operators"]
