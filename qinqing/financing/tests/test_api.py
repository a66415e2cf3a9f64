"""API: the same flows and scopes as the pages; refusals 409, bad input 400 naming the field."""

from rest_framework.test import APIClient

from qinqing.financing import actions
from qinqing.financing.models import NeedReferral

from .conftest import past


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_given_enterprise_when_posting_need_then_created_and_bad_term_names_field(tree, users, fin):
    client = api(users.enterprise)
    ok = client.post("/api/v1/financing/needs/", {"amount": "100", "term_months": 12, "purpose": "working",
                                                   "guarantee": "credit"}, format="json")  # fmt: skip
    assert ok.status_code == 201 and ok.json()["number"].startswith("RZ")
    bad = client.post("/api/v1/financing/needs/", {"amount": "100", "term_months": 0, "purpose": "working",
                                                    "guarantee": "credit"}, format="json")  # fmt: skip
    assert bad.status_code == 400 and "term_months" in bad.json()


def test_given_push_when_banks_list_referrals_then_each_sees_only_its_own(tree, users, fin):
    response = api(users.county_staff).post(
        "/api/v1/financing/needs/push/", {"needs": [fin.need.pk], "bank": tree.bank.pk}, format="json"
    )
    assert response.status_code == 201
    referral = NeedReferral.objects.get(need=fin.need)
    mine = api(users.banker).get("/api/v1/financing/referrals/").json()
    assert [r["id"] for r in mine["results"]] == [referral.pk]
    other = api(fin.banker2)
    assert other.get("/api/v1/financing/referrals/").json()["results"] == []
    assert other.get(f"/api/v1/financing/referrals/{referral.pk}/").status_code == 404
    assert other.get(f"/api/v1/financing/needs/{fin.need.pk}/").status_code == 404
    assert other.post(f"/api/v1/financing/referrals/{referral.pk}/stage/", {"stage": "contacted"}).status_code == 404


def test_given_stage_out_of_order_via_api_then_409_and_missing_reason_400(tree, users, fin):
    referral = actions.push_batch(
        actor=users.county_staff, bank=tree.bank, needs=[fin.need], on=past(3)
    ).referrals.get()
    client = api(users.banker)
    url = f"/api/v1/financing/referrals/{referral.pk}/stage/"
    assert client.post(url, {"stage": "lent", "amount": "10"}, format="json").status_code == 409
    response = client.post(url, {"stage": "refused"}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    assert client.post(url, {"stage": "credited", "amount": "10"}, format="json").status_code == 200


def test_given_enterprise_when_asking_products_then_explained(tree, users, fin):
    actions.save_product(actor=users.banker, data={"name": "税易贷", "amount_min": "10", "amount_max": "500",
                         "term_min": 1, "term_max": 36, "rate_min": "3.5", "rate_max": "6",
                         "guarantees": ["credit"]})  # fmt: skip
    fits = api(users.enterprise).get(f"/api/v1/financing/needs/{fin.need.pk}/products/").json()
    assert fits[0]["product"]["name"] == "税易贷" and fits[0]["verdict"] == "eligible"


def test_given_enterprise_when_reading_figures_then_forbidden(tree, users, fin):
    assert api(users.enterprise).get("/api/v1/financing/figures/").status_code == 403
    assert api(users.leader).get("/api/v1/financing/figures/").status_code == 200
