"""API: setup, registration with the waitlist, cancellation, scan and manual check-in, jobs, figures."""

import pytest
from rest_framework.test import APIClient

from qinqing.activities import actions
from qinqing.activities.models import Activity, Attendance

from .factories import reg

BASE = "/api/v1/activities/"


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _activity(**over):
    return {"kind": "job_fair", "title": "春风行动招聘会", "starts_on": str(actions.today()), "place": "人才市场",
            "capacity": 1, "waitlist": True, **over}  # fmt: skip


def test_given_staff_when_creating_through_the_api_then_201_with_sessions(users):
    response = _api(users.county_staff).post(f"{BASE}activities/", _activity(), format="json")

    assert response.status_code == 201, response.json()
    assert len(response.json()["sessions"]) == 1


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"capacity": 0}, "capacity"),
        ({"ends_on": "2000-01-01"}, "ends_on"),
        ({"feedback_url": "ftp://x"}, "feedback_url"),
    ],
)
def test_given_bad_input_through_the_api_then_400_naming_the_field_and_nothing_saved(users, over, field):
    response = _api(users.county_staff).post(f"{BASE}activities/", _activity(**over), format="json")

    assert response.status_code == 400 and field in response.json()
    assert not Activity.objects.exists()


def test_given_a_full_fair_when_registering_cancelling_and_scanning_through_the_api_then_promoted_and_checked_in(
    users, tree
):
    fair = actions.save_activity(actor=users.county_staff, data=_activity())
    api = _api(users.enterprise)
    first = api.post(f"{BASE}activities/{fair.pk}/register/", {"attendee_name": "张三"}, format="json").json()
    second = api.post(f"{BASE}activities/{fair.pk}/register/", {"attendee_name": "李四"}, format="json").json()
    assert (first["status"], second["status"]) == ("confirmed", "waitlisted")

    assert api.post(f"{BASE}registrations/{first['id']}/cancel/").status_code == 200
    promoted = api.get(f"{BASE}registrations/{second['id']}/").json()
    url = api.get(f"{BASE}registrations/{second['id']}/checkin-url/").json()["url"]
    scanned = _api(users.county_staff).post(f"{BASE}registrations/scan/", {"token": url}, format="json")

    assert promoted["status"] == "confirmed" and promoted["attendee_name"] == "李四"
    assert scanned.status_code == 201 and Attendance.objects.get().registration_id == second["id"]


def test_given_no_waitlist_when_registering_past_capacity_through_the_api_then_400_naming_capacity(users):
    fair = actions.save_activity(actor=users.county_staff, data=_activity(waitlist=False))
    api = _api(users.enterprise)
    api.post(f"{BASE}activities/{fair.pk}/register/", {"attendee_name": "张三"}, format="json")

    response = api.post(f"{BASE}activities/{fair.pk}/register/", {"attendee_name": "李四"}, format="json")

    assert response.status_code == 400 and "名额已满" in response.json()["capacity"][0]
    assert fair.registrations.count() == 1


def test_given_staff_when_registering_for_an_enterprise_and_checking_in_manually_then_masked_and_recorded(
    users, tree, training
):
    api = _api(users.county_staff)
    created = api.post(f"{BASE}activities/{training.pk}/register/",
                       {"enterprise": tree.ent_a.pk, "attendee_name": "王小明", "attendee_phone": "13912345678"},
                       format="json")  # fmt: skip
    session = training.sessions.get(date=actions.today())

    checked = api.post(f"{BASE}registrations/{created.json()['id']}/checkin/", {"session": session.pk}, format="json")

    assert created.status_code == 201 and created.json()["attendee_phone"] == "139****5678"
    assert created.json()["attendee_name"] == "王**"
    assert checked.status_code == 201 and checked.json()["method"] == "manual"


def test_given_another_county_enterprise_when_staff_register_it_then_400(users, tree, training):
    data = {"enterprise": tree.ent_b.pk, "attendee_name": "x"}
    response = _api(users.county_staff).post(f"{BASE}activities/{training.pk}/register/", data, format="json")

    assert response.status_code == 400 and "enterprise" in response.json()


def test_given_a_job_fair_when_jobs_posted_and_intentions_recorded_through_the_api_then_figures_count_them(users, tree):
    fair = actions.save_activity(actor=users.county_staff, data=_activity(capacity=10))
    posted = _api(users.enterprise).post(f"{BASE}jobs/", {"activity": fair.pk, "title": "焊工", "headcount": 6,
                                                          "requirements": "持证上岗"}, format="json")  # fmt: skip
    job_id = posted.json()["id"]

    denied = _api(users.enterprise).post(f"{BASE}jobs/{job_id}/intentions/", {"intentions": 4}, format="json")
    recorded = _api(users.county_staff).post(f"{BASE}jobs/{job_id}/intentions/", {"intentions": 4}, format="json")
    figures = _api(users.city_staff).get(f"{BASE}figures/?by=region").json()["figures"]

    assert posted.status_code == 201 and denied.status_code == 403 and recorded.status_code == 200
    assert figures["activities.jobs"]["value"] == 6 and figures["activities.intentions"]["value"] == 4
    assert figures["activities.jobs"]["groups"] == {tree.county_a.path: 6}


def test_given_county_b_users_when_reading_county_a_registrations_then_nothing(users, tree, training):
    registration = reg(training, users, tree, "张三")

    for user in (users.county_b_staff, users.enterprise_b):
        api = _api(user)
        assert api.get(f"{BASE}registrations/{registration.pk}/").status_code == 404
        assert api.get(f"{BASE}registrations/").json()["results"] == []
