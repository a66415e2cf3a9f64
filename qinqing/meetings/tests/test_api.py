"""Meetings API: FIC staff run a meeting end to end; invitees read what they are invited to; others 404/403."""

from io import BytesIO

import pytest

from qinqing.appeals.models import Appeal, AppealDomain, AppealType

PLAN = {"kind": "talk", "title": "四季度政企恳谈会", "date": "2026-11-20", "host_leader": "县长", "location": "县政府"}


def _post(client, url, data):
    # NB: ``login`` signs the one test client in as another user; re-login before switching back.
    return client.post(url, data, content_type="application/json")


@pytest.fixture
def api_meeting(users, tree, login):
    r = _post(
        login(users.county_staff),
        "/api/v1/meetings/",
        {**PLAN, "departments": [tree.dept_a.pk], "enterprises": [tree.ent_a.pk]},
    )
    assert r.status_code == 201, r.content
    return r.json()


def test_given_staff_when_running_a_meeting_through_the_api_then_each_step_is_recorded(api_meeting, users, tree, login):
    staff = login(users.county_staff)
    mid = api_meeting["id"]
    assert api_meeting["departments"] == [tree.dept_a.pk] and api_meeting["enterprises"] == [tree.ent_a.pk]
    # Edit, publish the agenda, record a pre-visit
    r = staff.put(f"/api/v1/meetings/{mid}/", {**PLAN, "title": "四季度恳谈会（改）", "enterprises": [tree.ent_a.pk]},
                  content_type="application/json")  # fmt: skip
    assert r.status_code == 200 and r.json()["title"] == "四季度恳谈会（改）" and r.json()["departments"] == []
    r = _post(staff, f"/api/v1/meetings/{mid}/publish-agenda/", {"agenda": "一、企业发言"})
    assert r.status_code == 200 and r.json()["agenda_published_at"]
    r = _post(staff, f"/api/v1/meetings/{mid}/visits/",
              {"enterprise": tree.ent_a.pk, "visited_on": "2026-11-18", "notes": "了解用地需求"})  # fmt: skip
    assert r.status_code == 201 and r.json()["notes"] == "了解用地需求"
    # Record two issues (each an appeal on the meeting's date), solve one on the spot
    issue = {"enterprise": tree.ent_a.pk, "appeal_type": AppealType.objects.first().pk,
             "domain": AppealDomain.objects.first().pk, "title": "用地指标紧张"}  # fmt: skip
    first = _post(staff, f"/api/v1/meetings/{mid}/issues/", issue).json()
    second = _post(staff, f"/api/v1/meetings/{mid}/issues/", {**issue, "title": "招工难"}).json()
    assert first["channel"] == "meeting" and first["registered_on"] == "2026-11-20"
    r = _post(staff, f"/api/v1/meetings/{mid}/issues/{second['id']}/solve/", {"comment": "人社局现场对接招聘会"})
    assert r.status_code == 409 and "尚未召开" in r.json()["detail"]  # 现场解决 only once the meeting is held
    # Hold it, solve one issue on the spot; download the lists
    r = _post(staff, f"/api/v1/meetings/{mid}/hold/", {"attendees": 12})
    assert r.status_code == 200 and r.json()["status"] == "held"
    r = _post(staff, f"/api/v1/meetings/{mid}/issues/{second['id']}/solve/", {"comment": "人社局现场对接招聘会"})
    assert r.status_code == 200 and r.json()["status"] == "closed" and r.json()["solved"] is True
    docx = staff.get(f"/api/v1/meetings/{mid}/lists/", {"kind": "problems", "fmt": "docx"})
    assert docx.status_code == 200 and docx["Content-Type"].endswith("wordprocessingml.document")
    xlsx = staff.get(f"/api/v1/meetings/{mid}/lists/", {"kind": "duties", "fmt": "xlsx"})
    from openpyxl import load_workbook

    rows = list(load_workbook(BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert {r[1] for r in rows[1:] if r and r[1]} >= {first["number"], second["number"]}
    # Sign it off at a later meeting; then no more issues can be recorded
    later = _post(staff, "/api/v1/meetings/", {**PLAN, "date": "2026-12-10", "title": "年终恳谈会"}).json()
    r = _post(staff, f"/api/v1/meetings/{mid}/sign-off/", {"at_meeting": later["id"], "note": "问题均已办结"})
    assert r.status_code == 409 and "尚未召开" in r.json()["detail"]
    assert _post(staff, f"/api/v1/meetings/{later['id']}/hold/", {"attendees": 20}).status_code == 200
    r = _post(staff, f"/api/v1/meetings/{mid}/sign-off/", {"at_meeting": later["id"], "note": "问题均已办结"})
    assert r.status_code == 409 and first["number"] in r.json()["detail"]  # an issue is still open
    r = _post(staff, f"/api/v1/meetings/{mid}/issues/{first['id']}/solve/", {"comment": "会后协调解决"})
    r = _post(staff, f"/api/v1/meetings/{mid}/sign-off/", {"at_meeting": later["id"], "note": "问题均已办结"})
    assert r.status_code == 200 and r.json()["status"] == "signed_off" and r.json()["signed_off_at"] == later["id"]
    n = Appeal.objects.count()
    r = _post(staff, f"/api/v1/meetings/{mid}/issues/", {**issue, "title": "会后补录"})
    assert r.status_code == 409 and "已销号" in r.json()["detail"] and Appeal.objects.count() == n


def test_given_bad_input_then_400_names_the_field_and_nothing_changes(api_meeting, users, tree, login):
    staff = login(users.county_staff)
    r = _post(staff, "/api/v1/meetings/", {**PLAN, "departments": [tree.dept_b.pk]})
    assert r.status_code == 400 and "参会部门" in r.json()["departments"][0]
    r = staff.get(f"/api/v1/meetings/{api_meeting['id']}/lists/", {"kind": "x", "fmt": "docx"})
    assert r.status_code == 400 and "清单类型" in r.json()["kind"][0]
    r = _post(staff, f"/api/v1/meetings/{api_meeting['id']}/hold/", {"attendees": -1})
    assert r.status_code == 400 and "attendees" in r.json()
    assert login(users.county_staff).get("/api/v1/meetings/").json()["count"] == 1


def test_given_other_roles_then_writes_refused_and_other_county_404(api_meeting, users, login):
    mid = api_meeting["id"]
    assert _post(login(users.leader), "/api/v1/meetings/", PLAN).status_code == 403
    assert _post(login(users.leader), f"/api/v1/meetings/{mid}/hold/", {"attendees": 1}).status_code == 403
    assert _post(login(users.enterprise), f"/api/v1/meetings/{mid}/hold/", {"attendees": 1}).status_code == 403
    assert login(users.county_b_staff).get(f"/api/v1/meetings/{mid}/").status_code == 404
    r = _post(login(users.county_b_staff), f"/api/v1/meetings/{mid}/hold/", {"attendees": 1})
    assert r.status_code == 404
    assert (
        login(users.enterprise).get(f"/api/v1/meetings/{mid}/lists/", {"kind": "problems", "fmt": "docx"}).status_code
        == 403
    )


def test_given_invited_enterprise_and_department_then_they_see_the_meeting_and_the_published_agenda_only(
    api_meeting, users, tree, login
):
    staff = login(users.county_staff)
    mid = api_meeting["id"]
    _post(staff, "/api/v1/meetings/", {**PLAN, "title": "未邀请的会"})
    # Given a draft agenda saved but not published yet … the invitee sees the meeting without it
    from qinqing.meetings.models import Meeting

    Meeting.objects.filter(pk=mid).update(agenda="草稿议程")
    body = login(users.enterprise).get("/api/v1/meetings/").json()
    assert [m["id"] for m in body["results"]] == [mid] and body["results"][0]["agenda"] == ""
    # When it is published, the invited enterprise and the participating department read it
    r = _post(login(users.county_staff), f"/api/v1/meetings/{mid}/publish-agenda/", {"agenda": "一、企业发言"})
    assert r.status_code == 200
    assert login(users.enterprise).get(f"/api/v1/meetings/{mid}/").json()["agenda"].startswith("一、企业发言")
    assert login(users.liaison).get(f"/api/v1/meetings/{mid}/").json()["agenda"].startswith("一、企业发言")
    # And the sibling county's enterprise and department do not see it at all
    assert login(users.enterprise_b).get(f"/api/v1/meetings/{mid}/").status_code == 404
    assert login(users.liaison_b).get("/api/v1/meetings/").json()["count"] == 0
