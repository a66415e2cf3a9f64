from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse

from qinqing.appeals.models import AppealDomain, AppealType
from qinqing.meetings import actions
from qinqing.meetings.figures import meeting_figures
from qinqing.meetings.models import Meeting


@pytest.fixture
def meeting(users, tree):
    return actions.create_meeting(
        actor=users.county_staff,
        kind="talk",
        title="一季度政企恳谈会",
        day=date(2026, 3, 10),
        host_leader="县长",
        departments=[tree.dept_a],
        enterprises=[tree.ent_a],
    )


def test_meeting_flow_issues_become_appeals_and_figures(meeting, users, tree):
    t, d = AppealType.objects.get(code="coordination"), AppealDomain.objects.get(code="land")
    actions.publish_agenda(meeting, actor=users.county_staff, agenda="一、企业发言\n二、部门答复")
    actions.add_visit(
        meeting, actor=users.county_staff, enterprise=tree.ent_a, visited_on=date(2026, 3, 5), notes="走访"
    )
    a1 = actions.record_issue(
        meeting, actor=users.county_staff, enterprise=tree.ent_a, appeal_type=t, domain=d, title="用地指标"
    )
    actions.hold_meeting(meeting, actor=users.county_staff, attendees=12)
    a2 = actions.record_issue(
        meeting,
        actor=users.county_staff,
        enterprise=tree.ent_a,
        appeal_type=t,
        domain=d,
        title="道路",
        solved_on_spot=True,
    )
    assert a1.channel == "meeting" and a1.meeting == meeting and a1.registered_on == date(2026, 3, 10)
    assert a2.status == "closed" and a2.solved_on_spot
    later = actions.create_meeting(
        actor=users.county_staff, kind="talk", title="二季度", day=date(2026, 6, 10), host_leader="县长"
    )
    actions.hold_meeting(later, actor=users.county_staff, attendees=9)
    with pytest.raises(actions.MeetingError):
        actions.sign_off(meeting, actor=users.county_staff, at_meeting=later, note="")
    actions.solve_issue(meeting, a1, actor=users.county_staff, comment="会后协调解决")
    actions.sign_off(meeting, actor=users.county_staff, at_meeting=later, note="问题均已办结")
    figures = meeting_figures(Meeting.objects.all())
    assert (
        figures["held"] == 2
        and figures["attendees"] == 21
        and figures["issues"] == 2
        and figures["solved_on_spot"] == 2
    )


def test_exports_docx_and_xlsx(meeting, users, tree, login):
    from docx import Document

    t, d = AppealType.objects.first(), AppealDomain.objects.first()
    actions.record_issue(
        meeting, actor=users.county_staff, enterprise=tree.ent_a, appeal_type=t, domain=d, title="融资难"
    )
    client = login(users.county_staff)
    r = client.get(reverse("meetings:export", args=[meeting.pk, "problems", "docx"]))
    text = "\n".join(c.text for row in Document(BytesIO(r.content)).tables[0].rows for c in row.cells)
    assert "融资难" in text
    r = client.get(reverse("meetings:export", args=[meeting.pk, "duties", "xlsx"]))
    assert r.content[:2] == b"PK"


def test_fast_issue_entry_page(meeting, users, login, tree):
    actions.hold_meeting(meeting, actor=users.county_staff, attendees=5)
    client = login(users.county_staff)
    t, d = AppealType.objects.first(), AppealDomain.objects.first()
    client.post(
        reverse("meetings:step", args=[meeting.pk, "issue"]),
        {
            "credit_code": tree.ent_a.credit_code,
            "appeal_type": t.pk,
            "domain": d.pk,
            "title": "停车难",
            "solved_on_spot": "on",
        },
    )
    assert meeting.appeals.get().solved_on_spot


def test_meeting_isolation_and_permissions(meeting, users, login):
    assert login(users.county_b_staff).get(reverse("meetings:detail", args=[meeting.pk])).status_code == 404
    assert login(users.city_staff).get(reverse("meetings:detail", args=[meeting.pk])).status_code == 200
    # An enterprise not invited sees no meetings (its list is empty, the page 404); a bank has no menu
    assert meeting.title not in login(users.enterprise_b).get(reverse("meetings:list")).content.decode()
    assert login(users.enterprise_b).get(reverse("meetings:detail", args=[meeting.pk])).status_code == 404
    assert login(users.banker).get(reverse("meetings:list")).status_code == 403
    assert (
        login(users.leader).post(reverse("meetings:step", args=[meeting.pk, "hold"]), {"attendees": 3}).status_code
        == 403
    )


def test_meeting_list_query_count(meeting, users, login, django_assert_max_num_queries):
    client = login(users.county_staff)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("meetings:list")).status_code == 200


def test_meetings_api_scoped(meeting, users, login):
    assert login(users.county_staff).get("/api/v1/meetings/").json()["count"] == 1
    assert login(users.county_b_staff).get(f"/api/v1/meetings/{meeting.pk}/").status_code == 404
    assert login(users.enterprise_b).get("/api/v1/meetings/").json()["count"] == 0
    assert login(users.banker).get("/api/v1/meetings/").status_code == 403
    assert login(users.enterprise).get("/api/v1/meetings/figures/").status_code == 403
    assert login(users.leader).get("/api/v1/meetings/figures/").json()["held"] == 0


# ---------------------------------------------------------------- editing a meeting


def _edit(meeting, actor, **changes):
    fields = {
        "kind": meeting.kind,
        "title": meeting.title,
        "day": meeting.date,
        "host_leader": meeting.host_leader,
        "location": meeting.location,
        "departments": list(meeting.departments.all()),
        "enterprises": list(meeting.enterprises.all()),
    }
    return actions.update_meeting(meeting, actor=actor, **(fields | changes))


def test_given_planned_meeting_when_staff_edit_then_saved_and_audited_with_before_after(meeting, users, tree):
    from qinqing.core.models import AuditEntry

    # When the county staff move the meeting, rename it and swap the invited enterprise
    edited = _edit(
        meeting,
        users.county_staff,
        title="一季度政企恳谈会（改期）",
        day=date(2026, 3, 17),
        location="县政府三楼会议室",
        enterprises=[],
    )
    # Then the plan is saved
    edited.refresh_from_db()
    assert edited.title == "一季度政企恳谈会（改期）" and edited.date == date(2026, 3, 17)
    assert edited.location == "县政府三楼会议室" and not edited.enterprises.exists()
    # And one audit row holds only what changed, before and after
    entry = AuditEntry.objects.get(action="meetings.update")
    assert entry.before["date"] == "2026-03-10" and entry.after["date"] == "2026-03-17"
    assert entry.before["enterprises"] == [tree.ent_a.pk] and entry.after["enterprises"] == []
    assert "host_leader" not in entry.after


def test_given_held_meeting_when_changing_date_then_refused_and_nothing_changes(meeting, users):
    from qinqing.core.models import AuditEntry

    actions.hold_meeting(meeting, actor=users.county_staff, attendees=8)
    with pytest.raises(actions.MeetingError, match="日期不能修改"):
        _edit(meeting, users.county_staff, title="新名称", day=date(2026, 3, 11))
    meeting.refresh_from_db()
    assert meeting.title == "一季度政企恳谈会" and meeting.date == date(2026, 3, 10)
    assert not AuditEntry.objects.filter(action="meetings.update").exists()
    # The other fields may still be corrected after the meeting
    assert _edit(meeting, users.county_staff, host_leader="常务副县长").host_leader == "常务副县长"


def test_given_signed_off_meeting_when_editing_then_refused(meeting, users):
    actions.hold_meeting(meeting, actor=users.county_staff, attendees=8)
    later = actions.create_meeting(
        actor=users.county_staff, kind="talk", title="二季度", day=date(2026, 6, 10), host_leader="县长"
    )
    actions.hold_meeting(later, actor=users.county_staff, attendees=8)
    actions.sign_off(meeting, actor=users.county_staff, at_meeting=later, note="均已办结")
    with pytest.raises(actions.MeetingError, match="已销号"):
        _edit(meeting, users.county_staff, location="改")


def test_given_department_or_enterprise_out_of_scope_when_editing_then_refused(meeting, users, tree):
    with pytest.raises(actions.MeetingError, match="不在您的管辖范围内"):
        _edit(meeting, users.county_staff, departments=[tree.dept_b])
    with pytest.raises(actions.MeetingError, match="不在您的管辖范围内"):
        _edit(meeting, users.county_staff, enterprises=[tree.ent_b])
    with pytest.raises(actions.MeetingError, match="不在您的管辖范围内"):
        _edit(meeting, users.county_b_staff, title="越权")
    with pytest.raises(actions.MeetingError, match="工商联工作人员"):
        _edit(meeting, users.leader, title="领导不能改")
    meeting.refresh_from_db()
    assert meeting.title == "一季度政企恳谈会" and list(meeting.departments.all()) == [tree.dept_a]


def test_edit_page_prefills_saves_and_shows_errors(meeting, users, login, tree):
    client = login(users.county_staff)
    url = reverse("meetings:edit", args=[meeting.pk])
    # Given the edit page, then it is filled with the current plan
    page = client.get(url).content.decode()
    assert "修改会议" in page and "一季度政企恳谈会" in page and tree.ent_a.credit_code in page
    assert (
        reverse("meetings:edit", args=[meeting.pk])
        in client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    )
    data = {
        "kind": "breakfast",
        "title": "企业家早餐会",
        "day": "2026-03-12",
        "host_leader": "县长",
        "location": "",
        "departments": [tree.dept_a.pk],
        "credit_codes": tree.ent_a.credit_code,
    }
    # When a field is missing, then the field's Chinese error shows and nothing changes
    response = client.post(url, data | {"title": ""})
    assert response.status_code == 200 and "该字段是必填项" in response.content.decode()
    # When an invited enterprise is unknown, then the message names it and nothing changes
    response = client.post(url, data | {"credit_codes": "91430600MA4XXXXXX1"})
    assert "91430600MA4XXXXXX1" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.kind == "talk" and meeting.title == "一季度政企恳谈会"
    # When valid, then saved and back to the meeting page
    response = client.post(url, data)
    assert response.status_code == 302 and response.url == reverse("meetings:detail", args=[meeting.pk])
    meeting.refresh_from_db()
    assert meeting.kind == "breakfast" and meeting.date == date(2026, 3, 12)


def test_edit_page_permissions(meeting, users, login):
    url = reverse("meetings:edit", args=[meeting.pk])
    assert login(users.leader).get(url).status_code == 403  # sees meetings, may not manage them
    assert login(users.county_b_staff).get(url).status_code == 404  # other county: as if missing
    assert login(users.enterprise).post(url, {"title": "x"}).status_code == 403
    assert login(users.city_staff).get(url).status_code == 200  # the city manages its counties' meetings


def test_given_invited_enterprise_when_opening_the_meeting_page_then_published_agenda_but_no_internal_notes(
    meeting, users, tree, login
):
    actions.add_visit(
        meeting, actor=users.county_staff, enterprise=tree.ent_a, visited_on=date(2026, 3, 5), notes="内部走访记录"
    )
    Meeting.objects.filter(pk=meeting.pk).update(agenda="草稿议程")
    client = login(users.enterprise)
    # Before publishing: the invitee sees the meeting, not the draft agenda, never the visit notes
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert meeting.title in page and "议程尚未发布" in page and "草稿议程" not in page and "内部走访记录" not in page
    actions.publish_agenda(meeting, actor=users.county_staff, agenda="一、企业家发言")
    page = login(users.enterprise).get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "一、企业家发言" in page
    # The lists are the FIC's: 403 for the invitee, 200 for staff
    url = reverse("meetings:export", args=[meeting.pk, "problems", "xlsx"])
    assert login(users.enterprise).get(url).status_code == 403
    assert login(users.county_staff).get(url).status_code == 200


def test_given_a_provisional_reply_deadline_when_exported_then_marked_provisional(meeting, users, tree):
    from qinqing.appeals.models import Appeal
    from qinqing.meetings.exports import _rows

    t, d = AppealType.objects.first(), AppealDomain.objects.first()
    appeal = actions.record_issue(
        meeting, actor=users.county_staff, enterprise=tree.ent_a, appeal_type=t, domain=d, title="跨年期限"
    )
    Appeal.objects.filter(pk=appeal.pk).update(reply_due=date(2027, 1, 8), provisional_dues=["reply_due"])
    _head, rows = _rows(meeting, "duties")
    assert rows[0][5] == "2027-01-08（暂定）"
    Appeal.objects.filter(pk=appeal.pk).update(provisional_dues=[])
    _head, rows = _rows(meeting, "duties")
    assert rows[0][5] == "2027-01-08"
