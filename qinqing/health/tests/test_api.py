"""Health-check API: the same flows and scopes as the pages."""

import copy
import datetime as dt

import pytest

from qinqing.health import actions
from qinqing.health.indicators import DEFAULT_CONFIG
from qinqing.health.models import ScoringVersion, VisitTask

pytestmark = pytest.mark.django_db


def test_given_an_enterprise_when_reading_its_diagnosis_then_the_api_matches_the_page(api_client, tree, users, health):
    api_client.force_authenticate(users.enterprise)
    body = api_client.get(f"/api/v1/health/enterprises/{tree.ent_a.pk}/").json()
    assert body["result"]["total"] == health.result_a.total
    assert [d["label"] for d in body["diagnosis"]["dimensions"]][:2] == ["经济活力", "质效提升"]
    assert any(m["code"] == "profit_growth" and "缺上年利润总额" in m["why"] for m in body["diagnosis"]["missing"])
    assert len(body["radar"]["median"]) == 5
    assert api_client.get(f"/api/v1/health/enterprises/{tree.ent_b.pk}/").status_code == 404
    listed = api_client.get("/api/v1/health/results/").json()
    assert [r["enterprise"] for r in listed["results"]] == [tree.ent_a.pk]


def test_given_an_enterprise_when_posting_figures_and_answers_then_saved_and_bad_values_named(
    api_client, tree, users, health
):
    api_client.force_authenticate(users.enterprise)
    url = f"/api/v1/health/enterprises/{tree.ent_a.pk}/"
    bad = api_client.post(url + "supplement/", {"year": 2025, "liabilities_wan": "-1"}, format="json")
    assert bad.status_code == 400 and "负债总额" in str(bad.json())
    ok = api_client.post(url + "supplement/", {"year": 2025, "receivables_wan": "100"}, format="json")
    assert ok.status_code == 200 and ok.json()["receivables_wan"] == "100.00"
    answers = api_client.post(url + "questionnaire/", {"compliance": "yes"}, format="json")
    assert answers.json()["answers"] == {"compliance": "yes"}
    other = api_client.post(f"/api/v1/health/enterprises/{tree.ent_b.pk}/supplement/", {"year": 2025}, format="json")
    assert other.status_code == 404


def test_given_staff_when_creating_versions_by_api_then_bands_and_weights_are_checked(api_client, users, health):
    api_client.force_authenticate(users.city_staff)
    config = copy.deepcopy(DEFAULT_CONFIG)
    config["indicators"]["debt_ratio"]["bands"][1]["low"] = 25  # a gap between 20 and 25
    bad = api_client.post("/api/v1/health/versions/", {"name": "x", "config": config}, format="json")
    assert bad.status_code == 400 and "空档" in str(bad.json())
    assert ScoringVersion.objects.count() == 1
    created = api_client.post("/api/v1/health/versions/", {"name": "x", "config": DEFAULT_CONFIG}, format="json")
    assert created.status_code == 201
    pk = created.json()["id"]
    assert api_client.post(f"/api/v1/health/versions/{pk}/publish/").json()["status"] == "active"
    again = api_client.put(f"/api/v1/health/versions/{pk}/", {"name": "y", "config": DEFAULT_CONFIG}, format="json")
    assert again.status_code == 409


def test_given_the_enterprise_when_creating_a_version_then_403(api_client, users, health):
    api_client.force_authenticate(users.enterprise)
    response = api_client.post("/api/v1/health/versions/", {"name": "x", "config": DEFAULT_CONFIG}, format="json")
    assert response.status_code == 403


def test_given_staff_when_visiting_by_api_then_the_problem_becomes_an_appeal(api_client, tree, users, health):
    api_client.force_authenticate(users.county_staff)
    due = (actions.today() + dt.timedelta(days=1)).isoformat()
    foreign = api_client.post("/api/v1/health/visits/", {"results": [health.result_b.pk], "due_on": due}, format="json")
    assert foreign.status_code == 400 and "不在您的管辖范围内" in str(foreign.json())
    [task] = api_client.post("/api/v1/health/visits/", {"results": [health.result_a.pk], "due_on": due},
                             format="json").json()  # fmt: skip
    url = f"/api/v1/health/visits/{task['id']}/"
    assert api_client.post(url + "appeal/", {"department": tree.dept_a.pk}, format="json").status_code == 409
    recorded = api_client.post(url + "record/", {"visited_on": actions.today().isoformat(), "notes": "走访",
                                                 "problems": "应收账款被拖欠"}, format="json")  # fmt: skip
    assert recorded.json()["status"] == "done"
    appealed = api_client.post(url + "appeal/", {"department": tree.dept_a.pk}, format="json").json()
    assert appealed["status"] == "appealed" and appealed["appeal"]
    assert VisitTask.objects.get().appeal.enterprise == tree.ent_a


def test_given_leader_when_reading_figures_then_they_equal_the_page(api_client, users, health):
    api_client.force_authenticate(users.leader)
    body = api_client.get("/api/v1/health/figures/").json()
    assert body["figures"]["health.scored"]["value"] == 2
    assert body["figures"]["health.low_rate"]["value"]["denominator"] == 2
