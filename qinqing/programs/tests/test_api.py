"""Programs API: the same flows, scopes and messages as the pages; bad input 400 naming the field (in Chinese) with
nothing changed, refusals 409."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from qinqing.programs.models import Donation, ListingCandidate, Pairing, ProjectYear

from .conftest import past

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_given_staff_when_posting_pairings_then_created_and_an_unknown_county_names_the_field(tree, users):
    client = api(users.county_staff)
    body = {"party_kind": "chamber", "chamber": tree.chamber_a.pk, "county_code": "430621", "village": "筻口镇龙湾村",
            "started_on": past(10).isoformat()}  # fmt: skip

    ok = client.post("/api/v1/programs/pairings/", body, format="json")
    bad = client.post("/api/v1/programs/pairings/", {**body, "county_code": "430699"}, format="json")

    assert ok.status_code == 201 and ok.json()["party_name"] == "岳阳县餐饮行业商会"
    assert bad.status_code == 400 and "430699" in str(bad.json()["county_code"])
    assert Pairing.objects.count() == 1


def test_given_a_pairing_when_adding_a_project_and_its_year_by_api_then_saved_and_negative_spent_refused(prog, users):
    client = api(users.secretary)
    project = client.post(f"/api/v1/programs/pairings/{prog.chamber_pairing.pk}/projects/",
                          {"name": "商会消费帮扶", "kind": "consumption", "started_on": past(5).isoformat()},
                          format="json")  # fmt: skip
    assert project.status_code == 201
    pk = project.json()["id"]
    year = past(0).year

    bad = client.post(f"/api/v1/programs/projects/{pk}/year/", {"year": year, "committed": "5", "spent": "-1"},
                      format="json")  # fmt: skip
    ok = client.post(f"/api/v1/programs/projects/{pk}/year/",
                     {"year": year, "committed": "5", "spent": "2.5", "employed": 4}, format="json")  # fmt: skip

    assert bad.status_code == 400 and "不能为负数" in str(bad.json()["spent"])
    assert ok.status_code == 200 and ok.json()["spent"] == "2.50"
    assert ProjectYear.objects.filter(project_id=pk).count() == 1
    detail = client.get(f"/api/v1/programs/pairings/{prog.chamber_pairing.pk}/").json()
    assert [p["name"] for p in detail["projects"]] == ["商会消费帮扶"]
    assert client.get(f"/api/v1/programs/pairings/{prog.pairing.pk}/").status_code == 404


def test_given_a_donation_by_api_with_a_receipt_then_flagged_and_the_letter_is_a_pdf(tree, users):
    client = api(users.county_staff)
    receipt = SimpleUploadedFile("r.pdf", b"%PDF-1.4\n%fake\n")
    body = {"enterprise": tree.ent_a.pk, "form": "cash", "amount": "150", "recipient": "县慈善总会", "purpose": "助学",
            "donated_on": past(2).isoformat(), "receipt": receipt}  # fmt: skip

    created = client.post("/api/v1/programs/donations/", body, format="multipart")

    assert created.status_code == 201
    data = created.json()
    assert data["major"] is True and data["has_receipt"] is True
    listed = client.get("/api/v1/programs/donations/?unreported=1").json()["results"]
    assert [d["id"] for d in listed] == [data["id"]]
    letter = client.get(f"/api/v1/programs/donations/{data['id']}/letter/")
    assert letter.status_code == 200 and letter.content.startswith(b"%PDF")
    reported = client.post(f"/api/v1/programs/donations/{data['id']}/report/")
    again = client.post(f"/api/v1/programs/donations/{data['id']}/report/")
    assert reported.status_code == 200 and again.status_code == 409


def test_given_a_donation_without_a_donor_by_api_then_400_naming_the_enterprise(users):
    body = {
        "form": "cash",
        "amount": "5",
        "recipient": "县慈善总会",
        "purpose": "助学",
        "donated_on": past(2).isoformat(),
    }

    response = api(users.county_staff).post("/api/v1/programs/donations/", body, format="json")

    assert response.status_code == 400 and "请填写捐赠企业" in str(response.json()["enterprise"])
    assert not Donation.objects.exists()


def test_given_an_enterprise_when_listing_donations_by_api_then_only_its_own(prog, users):
    assert len(api(users.enterprise).get("/api/v1/programs/donations/").json()["results"]) == 2
    other = api(users.enterprise_b)
    assert other.get("/api/v1/programs/donations/").json()["results"] == []
    assert other.get(f"/api/v1/programs/donations/{prog.major.pk}/").status_code == 404
    assert api(users.secretary).get("/api/v1/programs/donations/").json()["results"] == []


def test_given_a_candidate_by_api_when_advancing_then_in_order_only_and_listing_names_the_board(prog, users):
    client = api(users.county_staff)
    url = f"/api/v1/programs/candidates/{prog.candidate.pk}/stage/"
    officer = users.county_staff.pk

    skipped = client.post(url, {"stage": "apply", "on": past(5).isoformat(), "officer": officer}, format="json")
    assert skipped.status_code == 400 and "下一阶段应为“培育”" in str(skipped.json()["stage"])
    for stage, days in (("cultivate", 100), ("tutor", 50), ("apply", 20)):
        assert client.post(url, {"stage": stage, "on": past(days).isoformat(), "officer": officer},
                           format="json").status_code == 200  # fmt: skip
    listed = client.post(url, {"stage": "listed", "on": past(1).isoformat(), "officer": officer, "exchange": "sse",
                               "board": "star", "stock_code": "688999"}, format="json")  # fmt: skip

    assert listed.status_code == 200
    data = listed.json()
    assert data["stage"] == "listed" and [s["stage"] for s in data["steps"]][-1] == "listed"
    assert ListingCandidate.objects.get(pk=prog.candidate.pk).board == "star"
    service = client.post(f"/api/v1/programs/candidates/{prog.candidate.pk}/services/",
                          {"kind": "training", "on": past(1).isoformat(), "description": "上市后规范运作培训"},
                          format="json")  # fmt: skip
    assert service.status_code == 201 and service.json()["stage"] == "listed"


def test_given_other_roles_when_using_the_pipeline_api_then_refused(prog, users):
    assert api(users.enterprise).get("/api/v1/programs/candidates/").status_code == 403
    assert api(users.county_b_staff).get(f"/api/v1/programs/candidates/{prog.candidate.pk}/").status_code == 404
    leader = api(users.leader)
    assert leader.get(f"/api/v1/programs/candidates/{prog.candidate.pk}/").status_code == 200
    url = f"/api/v1/programs/candidates/{prog.candidate.pk}/stage/"
    assert leader.post(url, {"stage": "cultivate", "on": past(1).isoformat(), "officer": users.leader.pk},
                       format="json").status_code == 403  # fmt: skip


def test_given_a_county_by_api_when_exporting_the_ledger_then_an_xlsx(prog, users):
    response = api(users.leader).get("/api/v1/programs/pairings/ledger/?county=430621")

    assert response.status_code == 200 and response.content.startswith(b"PK")
    bad = api(users.leader).get("/api/v1/programs/pairings/ledger/?county=999999")
    assert bad.status_code == 400 and "县级区划代码" in bad.json()["detail"]
    assert api(users.enterprise).get("/api/v1/programs/pairings/ledger/?county=430621").status_code == 403
