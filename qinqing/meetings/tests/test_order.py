"""Meetings follow the real order of events: held on or after their date, 现场解决 only at a held meeting,
成果销号 only at a held meeting once every issue is closed; invitees are told the date and agenda."""

from datetime import date

import pytest

from qinqing.appeals.models import Appeal, AppealDomain, AppealType
from qinqing.meetings import actions
from qinqing.meetings.models import Meeting
from qinqing.notifications.models import Notification


def _plan(users, tree, day, title="恳谈会"):
    return actions.create_meeting(
        actor=users.county_staff,
        kind="talk",
        title=title,
        day=day,
        host_leader="县长",
        departments=[tree.dept_a],
        enterprises=[tree.ent_a],
    )


def _issue(meeting, users, tree, **kw):
    return actions.record_issue(
        meeting,
        actor=users.county_staff,
        enterprise=tree.ent_a,
        appeal_type=AppealType.objects.get(code="coordination"),
        domain=AppealDomain.objects.get(code="land"),
        title=kw.pop("title", "用地指标"),
        **kw,
    )


def test_given_future_meeting_when_marked_held_then_refused_and_unchanged(users, tree):
    meeting = _plan(users, tree, date(2026, 12, 14))  # after the pinned today (2026-12-11)
    with pytest.raises(actions.MeetingError, match="之前不能标记为已召开"):
        actions.hold_meeting(meeting, actor=users.county_staff, attendees=10)
    assert Meeting.objects.get(pk=meeting.pk).status == "planned"
    # On the day itself it may be held
    today = _plan(users, tree, date(2026, 12, 11), title="当天")
    assert actions.hold_meeting(today, actor=users.county_staff, attendees=10).status == "held"


def test_given_planned_meeting_when_solving_on_the_spot_then_refused_and_appeal_stays_open(users, tree):
    meeting = _plan(users, tree, date(2026, 12, 1))
    n = Appeal.objects.count()
    with pytest.raises(actions.MeetingError, match="尚未召开"):
        _issue(meeting, users, tree, solved_on_spot=True)
    assert Appeal.objects.count() == n  # the whole entry was refused
    appeal = _issue(meeting, users, tree)
    with pytest.raises(actions.MeetingError, match="尚未召开"):
        actions.solve_issue(meeting, appeal, actor=users.county_staff)
    assert Appeal.objects.get(pk=appeal.pk).status == "registered"
    actions.hold_meeting(meeting, actor=users.county_staff, attendees=10)
    assert actions.solve_issue(meeting, appeal, actor=users.county_staff).status == "closed"


def test_given_open_issue_or_unheld_signoff_meeting_when_signing_off_then_refused(users, tree):
    meeting = _plan(users, tree, date(2026, 9, 1))
    actions.hold_meeting(meeting, actor=users.county_staff, attendees=10)
    open_issue = _issue(meeting, users, tree)
    later = _plan(users, tree, date(2026, 12, 1), title="四季度")
    with pytest.raises(actions.MeetingError, match="尚未召开"):
        actions.sign_off(meeting, actor=users.county_staff, at_meeting=later, note="已办结")
    actions.hold_meeting(later, actor=users.county_staff, attendees=10)
    with pytest.raises(actions.MeetingError, match=open_issue.number):
        actions.sign_off(meeting, actor=users.county_staff, at_meeting=later, note="已办结")
    assert Meeting.objects.get(pk=meeting.pk).status == "held"
    actions.solve_issue(meeting, open_issue, actor=users.county_staff)
    signed = actions.sign_off(meeting, actor=users.county_staff, at_meeting=later, note="已办结")
    assert signed.status == "signed_off" and signed.signed_off_at_id == later.pk


def test_given_published_agenda_then_invited_enterprise_and_department_are_told_date_and_agenda(
    users, tree, django_capture_on_commit_callbacks
):
    meeting = _plan(users, tree, date(2026, 12, 18))
    with django_capture_on_commit_callbacks(execute=True):
        actions.publish_agenda(meeting, actor=users.county_staff, agenda="一、企业发言\n二、部门答复")
    for user in (users.enterprise, users.liaison):
        note = Notification.objects.get(recipient=user, kind="meetings.invitation")
        assert "2026-12-18" in note.title + note.body and "企业发言" in note.body
        assert note.url.endswith(f"/meetings/{meeting.pk}/")
    assert not Notification.objects.filter(recipient=users.enterprise_b, kind="meetings.invitation").exists()
    # A later change of date is announced again
    with django_capture_on_commit_callbacks(execute=True):
        actions.update_meeting(
            meeting,
            actor=users.county_staff,
            kind="talk",
            title=meeting.title,
            day=date(2026, 12, 21),
            host_leader="县长",
            departments=[tree.dept_a],
            enterprises=[tree.ent_a],
        )
    titles = list(
        Notification.objects.filter(recipient=users.enterprise, kind="meetings.invitation").values_list(
            "title", flat=True
        )
    )
    assert len(titles) == 2 and any("2026-12-21" in t for t in titles)


def test_meeting_page_offers_hold_only_from_the_date_and_signoff_only_at_held_meetings(users, tree, login):
    from django.urls import reverse

    future = _plan(users, tree, date(2026, 12, 14))
    client = login(users.county_staff)
    page = client.get(reverse("meetings:detail", args=[future.pk])).content.decode()
    assert 'id="hold-later"' in page and "/hold/" not in page
    past = _plan(users, tree, date(2026, 9, 1), title="三季度")
    actions.hold_meeting(past, actor=users.county_staff, attendees=3)
    held_later = _plan(users, tree, date(2026, 12, 1), title="四季度")
    page = client.get(reverse("meetings:detail", args=[past.pk])).content.decode()
    assert "四季度" not in page  # planned: not offered for 成果销号 yet
    actions.hold_meeting(held_later, actor=users.county_staff, attendees=3)
    page = client.get(reverse("meetings:detail", args=[past.pk])).content.decode()
    assert "四季度" in page and 'id="hold-later"' not in page


def test_given_issue_entry_sent_twice_then_one_appeal(users, tree, login):
    from django.urls import reverse

    meeting = _plan(users, tree, date(2026, 12, 1))
    actions.hold_meeting(meeting, actor=users.county_staff, attendees=3)
    client = login(users.county_staff)
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert 'name="submission_key"' in page
    entry = {
        "credit_code": tree.ent_a.credit_code,
        "appeal_type": AppealType.objects.get(code="coordination").pk,
        "domain": AppealDomain.objects.get(code="land").pk,
        "title": "停车难",
        "solved_on_spot": "on",
        "submission_key": "issue-1",
    }
    for _i in range(2):
        client.post(reverse("meetings:step", args=[meeting.pk, "issue"]), entry)
    assert meeting.appeals.count() == 1 and meeting.appeals.get().status == "closed"
    # The API with the same Idempotency-Key: 201, then 200 with the same appeal
    body = {
        "enterprise": tree.ent_a.pk,
        "appeal_type": entry["appeal_type"],
        "domain": entry["domain"],
        "title": "用电",
    }
    url = f"/api/v1/meetings/{meeting.pk}/issues/"
    r1 = client.post(url, body, content_type="application/json", headers={"Idempotency-Key": "api-1"})
    r2 = client.post(url, body, content_type="application/json", headers={"Idempotency-Key": "api-1"})
    assert (r1.status_code, r2.status_code) == (201, 200) and r1.json()["id"] == r2.json()["id"]
    assert meeting.appeals.count() == 2
