"""Mediation API: the same actions and scopes as the pages, bad input as 400 naming the field, out-of-order
steps as 409, parties masked in lists, figures."""

import pytest
from rest_framework.test import APIClient

from qinqing.mediation.models import Case

from . import factories

pytestmark = pytest.mark.django_db

CASES = "/api/v1/mediation/cases/"


def api_client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _case_payload(med, **over):
    data = {**factories.court_data(court_case_number="API-1"), "body": med.committee.pk,
            "parties": factories.parties(), "mediator": None}  # fmt: skip
    data["referred_on"] = str(data["referred_on"])
    data["received_on"] = str(data["received_on"])
    data.update(over)
    return data


def test_given_the_secretary_when_a_case_is_registered_through_the_api_then_201_masked_and_reveal_is_audited(
    users, med
):
    from qinqing.core.models import AuditEntry

    client = api_client(users.secretary)
    response = client.post(CASES, _case_payload(med, mediator=users.mediator.pk), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["court_case_number"] == "API-1" and body["mediator"] == users.mediator.pk
    assert "13800001111" not in {p["phone"] for p in body["parties"]}
    assert not AuditEntry.objects.filter(action="mediation.reveal_contacts").exists()

    revealed = client.post(f"{CASES}{body['id']}/reveal-contacts/", format="json")
    assert revealed.status_code == 200
    assert {p["phone"] for p in revealed.json()} == {"13800001111", "0730-7654321"}
    entry = AuditEntry.objects.get(action="mediation.reveal_contacts")
    assert entry.actor == users.secretary and entry.object_id == str(body["id"])
    assert "13800001111" not in str(entry.after)
    # A leader reads the case but may not reveal; an outsider gets 404
    assert api_client(users.leader).post(f"{CASES}{body['id']}/reveal-contacts/").status_code == 403
    assert api_client(users.county_b_staff).post(f"{CASES}{body['id']}/reveal-contacts/").status_code == 404
    assert AuditEntry.objects.filter(action="mediation.reveal_contacts").count() == 1


@pytest.mark.parametrize(
    ("over", "field"),
    [({"court_name": ""}, "court_name"), ({"amount": "-5"}, "amount"), ({"deadline": "2000-01-01"}, "deadline")],
)
def test_given_bad_input_when_registered_through_the_api_then_400_naming_the_field_and_nothing_saved(
    users, med, over, field
):
    response = api_client(users.secretary).post(CASES, _case_payload(med, **over), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Case.objects.filter(court_case_number="API-1").exists()


def test_given_an_open_case_when_confirmation_is_posted_then_409_and_after_settling_it_works(users, med):
    client = api_client(users.mediator)
    url = f"{CASES}{med.case.pk}/"
    response = client.post(url + "request-confirmation/", {}, format="json")
    assert response.status_code == 409 and "调解成功" in response.json()["detail"]
    assert client.post(url + "session/", {"held_on": str(med.case.received_on), "mode": "online",
                                          "attendees": "双方"}, format="json").status_code == 200  # fmt: skip
    assert client.post(url + "settle/", {"agreement_text": "支付5万元"}, format="json").status_code == 200
    assert client.post(url + "request-confirmation/", {}, format="json").status_code == 200
    response = client.post(url + "confirmation/", {"result": "confirmed"}, format="json")
    assert response.status_code == 200 and response.json()["confirmation"] == "confirmed"
    assert client.get(url + "agreement/").status_code == 200


def test_given_cases_when_listed_through_the_api_then_scoped_and_parties_masked(users, med):
    body = api_client(users.mediator).get(CASES).json()
    assert [c["id"] for c in body["results"]] == [med.case.pk]
    phones = {p["phone"] for c in body["results"] for p in c["parties"]}
    assert "13800001111" not in phones and "138****1111" in phones
    assert api_client(users.county_b_staff).get(CASES).json()["results"] == []
    assert api_client(users.county_b_staff).get(f"{CASES}{med.case.pk}/").status_code == 404
    assert api_client(users.enterprise).get(f"{CASES}{med.case.pk}/").json()["parties"][0]["name"] == "张**"
    assert api_client(users.enterprise).post(f"{CASES}{med.case.pk}/settle/", {}, format="json").status_code == 403


def test_given_a_body_when_the_roster_is_kept_through_the_api_then_added_and_removed(tree, users, med):
    client = api_client(users.county_staff)
    response = client.post("/api/v1/mediation/bodies/", {"organization": tree.chamber_a.pk, "name": "第二调解室",
                                                          "kind": "committee"}, format="json")  # fmt: skip
    assert response.status_code == 201
    pk = response.json()["id"]
    roster = f"/api/v1/mediation/bodies/{pk}/roster/add/"
    response = client.post(roster, {"user": users.mediator.pk, "specialities": ["ip"]}, format="json")
    assert response.status_code == 201 and response.json()["specialities"] == ["ip"]
    response = client.post(f"/api/v1/mediation/bodies/{pk}/roster/add/", {"user": users.county_staff.pk},
                           format="json")  # fmt: skip
    assert response.status_code == 400
    assert client.post(f"/api/v1/mediation/bodies/{pk}/roster/remove/", {"mediator": users.mediator.pk},
                       format="json").status_code == 200  # fmt: skip
    denied = api_client(users.county_b_staff).post(
        "/api/v1/mediation/bodies/", {"organization": tree.chamber_a.pk, "name": "x"}, format="json"
    )
    assert denied.status_code == 400 and "organization" in denied.json()


def test_given_figures_when_requested_through_the_api_then_values_and_children(tree, users, med):
    body = api_client(users.city_staff).get("/api/v1/mediation/figures/").json()
    assert body["values"]["mediation.cases"] == 1
    assert [c["org"] for c in body["children"]] == [tree.county_a.pk]
    assert api_client(users.mediator).get("/api/v1/mediation/figures/").status_code == 403
