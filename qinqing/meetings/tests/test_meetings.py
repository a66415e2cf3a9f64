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
    actions.hold_meeting(meeting, actor=users.county_staff, attendees=12)
    later = actions.create_meeting(
        actor=users.county_staff, kind="talk", title="二季度", day=date(2026, 6, 10), host_leader="县长"
    )
    with pytest.raises(actions.MeetingError):
        actions.sign_off(meeting, actor=users.county_staff, at_meeting=later, note="")
    actions.sign_off(meeting, actor=users.county_staff, at_meeting=later, note="问题均已办结")
    figures = meeting_figures(Meeting.objects.all())
    assert (
        figures["held"] == 1
        and figures["attendees"] == 12
        and figures["issues"] == 2
        and figures["solved_on_spot"] == 1
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
    assert login(users.enterprise).get(reverse("meetings:list")).status_code == 403
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
    assert login(users.enterprise).get("/api/v1/meetings/").status_code == 403
    assert login(users.leader).get("/api/v1/meetings/figures/").json()["held"] == 0
