"""Reports API: figures with drill-down, rankings, published lists, outputs and summaries; scope and roles."""

import datetime as dt
from decimal import Decimal

from rest_framework.test import APIClient

from qinqing.registry.models import EnterpriseYearFigures, Member


def _api(user):
    c = APIClient()
    c.force_authenticate(user)
    return c


def test_given_staff_when_reading_figures_then_values_and_records_agree(users, tree):
    Member.objects.create(organization=tree.county_a, org_path=tree.county_a.path, kind="individual",
                          person_name="甲", joined_on=dt.date(2025, 2, 1))  # fmt: skip
    api = _api(users.city_staff)
    rows = api.get("/api/v1/reports/figures/?year=2025").json()
    members_new = next(r for r in rows if r["key"] == "registry.members_new")
    assert members_new["value"] == 1 and "registry.members_new" in members_new["drilldown"]
    rate = next(r for r in rows if r["key"] == "registry.party_rate")
    assert "numerator" in rate and "denominator" in rate
    detail = api.get("/api/v1/reports/figures/registry.members_new/?from=2025-01-01&to=2025-12-31").json()
    assert detail["count"] == 1 and detail["results"]["records"][0]["姓名/代表人"] == "甲"
    assert api.get("/api/v1/reports/figures/none.such/").status_code == 404
    assert api.get("/api/v1/reports/dashboard/?period=year").status_code == 200


def test_given_other_county_or_enterprise_then_refused(users, tree):
    assert _api(users.county_b_staff).get(f"/api/v1/reports/figures/?org={tree.county_a.code}").status_code == 404
    assert _api(users.enterprise).get("/api/v1/reports/figures/").status_code == 403


def test_given_rankings_api_then_list_and_publish(users, tree):
    EnterpriseYearFigures.objects.create(enterprise=tree.ent_a, year=2025, tax_wan=Decimal("12.30"))
    api = _api(users.city_staff)
    data = api.get("/api/v1/reports/rankings/?metric=tax&year=2025&top=5").json()
    assert data["entries"] == [{"rank": 1, "credit_code": tree.ent_a.credit_code, "name": tree.ent_a.name,
                                "value": "12.30"}]  # fmt: skip
    assert api.get("/api/v1/reports/rankings/?metric=nope&year=2025&top=5").status_code == 400
    created = api.post("/api/v1/reports/ranking-lists/", {"metric": "tax", "year": 2025, "top": 5}, format="json")
    assert created.status_code == 201
    assert _api(users.leader).post("/api/v1/reports/ranking-lists/", {"metric": "tax", "year": 2025, "top": 5},
                                   format="json").status_code == 403  # fmt: skip
    assert _api(users.county_b_staff).get(f"/api/v1/reports/ranking-lists/{created.json()['id']}/").status_code == 404


def test_given_outputs_api_then_created_with_validation(users):
    api = _api(users.county_staff)
    bad = api.post("/api/v1/reports/outputs/", {"kind": "research", "title": "调研", "submitted_on": "2025-03-01",
                                                "filed": True}, format="json")  # fmt: skip
    assert bad.status_code == 409 and "只有提案" in bad.json()["detail"]
    data = {"kind": "proposal", "title": "关于减负的提案", "submitted_on": "2025-03-01", "filed": True,
            "adoption_levels": "province"}  # fmt: skip
    ok = api.post("/api/v1/reports/outputs/", data, format="json")
    assert ok.status_code == 201
    assert _api(users.county_b_staff).get(f"/api/v1/reports/outputs/{ok.json()['id']}/").status_code == 404


def test_given_summary_api_then_json_contract_and_finalise(users, tree):
    api = _api(users.city_staff)
    data = api.get(f"/api/v1/reports/summaries/{tree.city.code}/2025/").json()
    assert {"key", "section", "label", "value", "unit", "drilldown"} <= set(data["figures"][0])
    done = api.post(f"/api/v1/reports/summaries/{tree.city.code}/2025/", {"finalise": True}, format="json")
    assert done.status_code == 200 and done.json()["state"] == "final"
    again = api.post(f"/api/v1/reports/summaries/{tree.city.code}/2025/", {"finalise": True}, format="json")
    assert again.status_code == 409
