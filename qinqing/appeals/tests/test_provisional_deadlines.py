"""Deadlines in a year without the State Council's official schedule: computed on the provisional
statutory calendar, stored and shown as 暂定, and recomputed when the notice is entered (moving open
deadlines, auditing and telling handlers; closed appeals keep their history)."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from qinqing.appeals import actions
from qinqing.appeals import workflow as wf
from qinqing.appeals.models import Appeal, AppealEvent
from qinqing.core import calendar_source
from qinqing.core.models import AuditEntry
from qinqing.notifications.models import Notification

# A made-up 2027 notice for the tests (the real one is not published yet): 元旦 runs to Monday 01-04 and
# Saturday 01-09 is worked, so a provisional deadline on 01-05 moves to 01-06.
NOTICE_2027 = """国务院办公厅关于2027年部分节假日安排的通知
　　一、元旦：1月1日（周五）至4日（周一）放假调休，共4天。1月9日（周六）上班。
　　二、春节：2月5日（农历除夕、周五）至2月11日（周四）放假调休，共7天。2月20日（周六）上班。
"""


def test_given_2027_not_entered_when_assigning_with_deadline_in_2027_then_done_and_flagged_provisional(
    make_appeal, users, tree, fixed_today
):
    # Given an accepted appeal on Monday 2026-12-28: the 5-working-day reply limit ends in 2027
    fixed_today(date(2026, 12, 28))
    appeal = actions.accept_appeal(make_appeal(), actor=users.county_staff)
    # When staff dispatch it, then it is not refused: 12-29, 12-30, 12-31, (元旦 01-01, weekend), 01-04, 01-05
    appeal = actions.assign_appeal(appeal, actor=users.county_staff, lead_department=tree.dept_a)
    appeal.refresh_from_db()
    assert appeal.status == wf.ASSIGNED and appeal.reply_due == date(2027, 1, 5)
    # And only the deadline in 2027 is stored as provisional
    assert appeal.contact_due == date(2026, 12, 31) and appeal.provisional_dues == ["reply_due"]
    assert not appeal.current_due_provisional  # the running clock is 首次联系, in 2026


def test_given_2027_not_entered_when_registering_at_year_end_then_accept_deadline_is_provisional(
    make_appeal, fixed_today
):
    fixed_today(date(2026, 12, 30))  # accept within 3 working days: 12-31, 01-04, 01-05
    appeal = make_appeal()
    appeal.refresh_from_db()
    assert appeal.accept_due == date(2027, 1, 5) and appeal.provisional_dues == ["accept_due"]
    assert appeal.current_due_provisional


def test_given_2027_not_entered_when_approving_extension_into_2027_then_done_and_provisional(
    make_appeal, users, tree, fixed_today
):
    fixed_today(date(2026, 12, 14))
    appeal = actions.accept_appeal(make_appeal(), actor=users.county_staff)
    appeal = actions.assign_appeal(appeal, actor=users.county_staff, lead_department=tree.dept_a)
    ext = actions.request_extension(appeal, actor=users.liaison, days=10, reason="需要省厅批复")
    actions.decide_extension(ext, actor=users.county_staff, approve=True)
    appeal.refresh_from_db()
    # 10 working days after 12-21: 12-22 … 12-31, 01-04, 01-05
    assert appeal.reply_due == date(2027, 1, 5) and "reply_due" in appeal.provisional_dues


def test_given_2027_not_entered_when_sweeping_in_2027_then_tracked_and_staff_reminded(
    make_appeal, users, tree, fixed_today, django_capture_on_commit_callbacks
):
    # Given an appeal dispatched 2026-12-21 (contact due 12-24), still open in January 2027, 2027 not entered
    fixed_today(date(2026, 12, 21))
    appeal = actions.accept_appeal(make_appeal(), actor=users.county_staff)
    appeal = actions.assign_appeal(appeal, actor=users.county_staff, lead_department=tree.dept_a)
    # When the sweep runs on 2027-01-05, then the appeal is tracked on the provisional calendar
    with django_capture_on_commit_callbacks(execute=True):
        counts = actions.mark_deadlines(date(2027, 1, 5))
    appeal.refresh_from_db()
    assert counts["uncovered"] == 0 and appeal.deadline_state == "overdue" and appeal.escalation == 2
    # And staff and the system administrator are reminded to enter the notice (not told work stopped)
    for user in (users.county_staff, users.sys_admin):
        note = Notification.objects.get(recipient=user, kind="appeals.calendar_gap")
        assert "2027年节假日安排尚未录入" in note.title and "暂按法定节假日" in note.title
        assert note.url == "/calendar/" and "粘贴通知全文" in note.body and "暂定" in note.body
    assert not Notification.objects.filter(recipient=users.enterprise, kind="appeals.calendar_gap").exists()


def test_sweep_reminds_45_days_before_an_unentered_year_once(users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        actions.mark_deadlines(date(2026, 11, 1))  # 45 days ahead is still 2026
    assert not Notification.objects.filter(kind="appeals.calendar_gap").exists()
    with django_capture_on_commit_callbacks(execute=True):
        actions.mark_deadlines(date(2026, 11, 20))
        actions.mark_deadlines(date(2026, 11, 21))
    notes = Notification.objects.filter(recipient=users.sys_admin, kind="appeals.calendar_gap")
    assert notes.count() == 1 and "2027年节假日安排尚未录入" in notes.get().title


def test_given_provisional_deadlines_when_the_notice_is_entered_then_open_ones_move_and_handlers_are_told(
    make_appeal, users, tree, fixed_today, tmp_path, django_capture_on_commit_callbacks
):
    # Given, on provisional 2027: a dispatched appeal (reply due 01-05), a registered one (accept due
    # 01-05) and one refused at intake (closed, its accept deadline 01-05 is history)
    fixed_today(date(2026, 12, 28))
    handled = actions.accept_appeal(make_appeal("在办"), actor=users.county_staff)
    handled = actions.assign_appeal(handled, actor=users.county_staff, lead_department=tree.dept_a)
    fixed_today(date(2026, 12, 30))
    waiting = make_appeal("待受理")
    closed = actions.reject_appeal(make_appeal("不予受理"), actor=users.county_staff, reason="不属于受理范围")
    assert {a.pk: Appeal.objects.get(pk=a.pk).provisional_dues for a in (handled, waiting, closed)} == {
        handled.pk: ["reply_due"],
        waiting.pk: ["accept_due"],
        closed.pk: ["accept_due"],
    }
    notes = Notification.objects.count()
    # When the administrator enters the 2027 notice from the command line
    path = tmp_path / "2027.txt"
    path.write_text(NOTICE_2027, encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_holiday_notice", str(path), stdout=StringIO(), stderr=StringIO())
    assert not calendar_source.get_calendar().is_provisional(2027)
    # Then the open deadlines keep their remaining working days on the official calendar (01-04 off)
    handled.refresh_from_db(), waiting.refresh_from_db(), closed.refresh_from_db()
    assert handled.reply_due == date(2027, 1, 6) and handled.provisional_dues == []
    assert handled.contact_due == date(2026, 12, 31)
    assert waiting.accept_due == date(2027, 1, 6) and waiting.provisional_dues == []
    # And the closed appeal keeps its history
    assert closed.accept_due == date(2027, 1, 5) and closed.status == wf.REJECTED
    # And each change is audited and noted in the (internal) history
    entry = AuditEntry.objects.get(action="appeals.recompute_deadlines", object_id=str(handled.pk))
    assert entry.before == {"reply_due": "2027-01-05"} and entry.after == {"reply_due": "2027-01-06"}
    assert AuditEntry.objects.filter(action="appeals.recompute_deadlines").count() == 2
    event = AppealEvent.objects.get(appeal=handled, action="recompute_deadlines")
    assert not event.public and "答复期限由2027-01-05改为2027-01-06" in event.comment
    # And the handlers are told: the department for the reply, FIC staff for acceptance; nobody else
    moved = Notification.objects.filter(kind="appeals.deadline_moved")
    assert moved.filter(recipient=users.liaison, title__contains=handled.number).exists()
    assert moved.filter(recipient=users.county_staff, title__contains=waiting.number).exists()
    assert not moved.filter(title__contains=closed.number).exists()
    assert not moved.filter(recipient=users.enterprise).exists()
    assert Notification.objects.count() > notes


def test_given_a_deadline_the_notice_does_not_move_then_it_is_only_confirmed(make_appeal, fixed_today, users):
    # A registered appeal whose accept deadline (01-07) gains nothing from 01-04 being off … it does move;
    # one due far after the changes keeps its count: registered 2027-03-01 → 03-04 either way.
    fixed_today(date(2027, 3, 1))
    appeal = make_appeal()
    appeal.refresh_from_db()
    assert appeal.accept_due == date(2027, 3, 4) and appeal.provisional_dues == ["accept_due"]
    from qinqing.core import calendar_actions
    from qinqing.core.holiday_notice import parse_notice

    calendar_actions.enter_holiday_notice(parse_notice(NOTICE_2027), actor=users.sys_admin)
    appeal.refresh_from_db()
    assert appeal.accept_due == date(2027, 3, 4) and appeal.provisional_dues == []
    assert not AuditEntry.objects.filter(action="appeals.recompute_deadlines").exists()


def test_given_a_provisional_deadline_then_list_and_detail_pages_show_provisional(
    make_appeal, users, login, fixed_today
):
    fixed_today(date(2026, 12, 30))
    appeal = make_appeal()
    staff = login(users.county_staff)
    detail = staff.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert "2027年1月5日" in detail and "暂定" in detail
    rows = staff.get(reverse("appeals:list")).content.decode()
    assert "暂定" in rows
    api = staff.get(f"/api/v1/appeals/{appeal.pk}/").json()
    assert api["current_due_provisional"] is True and api["provisional_dues"] == ["accept_due"]


@pytest.mark.parametrize("year", [2101])
def test_given_a_year_no_table_computes_then_the_action_is_refused_in_chinese(year, make_appeal, fixed_today):
    fixed_today(date(year - 1, 12, 31))
    with pytest.raises(actions.AppealError, match=f"{year}年"):
        make_appeal()


def test_given_2027_entered_day_by_day_when_marked_complete_then_deadlines_computed_earlier_move(
    make_appeal, users, tree, fixed_today, django_capture_on_commit_callbacks
):
    from qinqing.core import calendar_actions

    # Given an appeal dispatched 2026-12-28 on provisional 2027 (reply due 01-05)
    fixed_today(date(2026, 12, 28))
    appeal = actions.accept_appeal(make_appeal(), actor=users.county_staff)
    appeal = actions.assign_appeal(appeal, actor=users.county_staff, lead_department=tree.dept_a)
    assert appeal.reply_due == date(2027, 1, 5)
    # When the administrator then enters 2027 day by day (01-01, 01-04 off) and marks the year complete
    with django_capture_on_commit_callbacks(execute=True):
        for day in (date(2027, 1, 1), date(2027, 1, 4)):
            calendar_actions.set_calendar_day(date=day, is_workday=False, name="元旦", actor=users.sys_admin)
        appeal.refresh_from_db()
        assert appeal.reply_due == date(2027, 1, 5)  # day-by-day corrections move nothing yet
        calendar_actions.mark_year_complete(year=2027, note="国办发明电", actor=users.sys_admin)
    # Then the deadline computed before the entry follows it (it never counted 01-04 as a day off)
    appeal.refresh_from_db()
    assert appeal.reply_due == date(2027, 1, 6) and appeal.provisional_dues == []
    assert Notification.objects.filter(recipient=users.liaison, kind="appeals.deadline_moved").exists()


def test_given_a_paused_appeal_when_the_notice_is_entered_then_its_deadline_counts_from_the_pause(
    make_appeal, users, tree, fixed_today
):
    from qinqing.core import calendar_actions
    from qinqing.core.holiday_notice import parse_notice

    fixed_today(date(2026, 12, 28))
    appeal = actions.accept_appeal(make_appeal(), actor=users.county_staff)
    appeal = actions.assign_appeal(appeal, actor=users.county_staff, lead_department=tree.dept_a)
    fixed_today(date(2026, 12, 30))
    appeal = actions.pause_appeal(appeal, actor=users.liaison, reason="请补充贷款合同")
    # 3 working days were left after the pause day 12-30: 12-31, 01-04, 01-05 → 12-31, 01-05, 01-06
    fixed_today(date(2027, 1, 8))  # entered later, while still paused: the days since the pause do not count
    calendar_actions.enter_holiday_notice(parse_notice(NOTICE_2027), actor=users.sys_admin)
    appeal.refresh_from_db()
    assert appeal.is_paused and appeal.reply_due == date(2027, 1, 6)


def test_given_a_stale_deadline_mark_when_the_notice_moves_the_deadline_then_the_mark_follows_at_once(
    make_appeal, users, tree, fixed_today, tmp_path
):
    from qinqing.appeals import sla

    fixed_today(date(2026, 12, 31))
    handled = actions.accept_appeal(make_appeal("在办"), actor=users.county_staff)
    handled = actions.assign_appeal(handled, actor=users.county_staff, lead_department=tree.dept_a)
    Appeal.objects.filter(pk=handled.pk).update(reply_due=date(2027, 1, 5), deadline_state=sla.OVERDUE)
    path = tmp_path / "2027.txt"
    path.write_text(NOTICE_2027, encoding="utf-8")
    call_command("import_holiday_notice", str(path), stdout=StringIO(), stderr=StringIO())
    handled.refresh_from_db()
    assert handled.reply_due == date(2027, 1, 6)
    expected = sla.deadline_state(
        calendar_source.get_calendar(), handled.current_due, date(2026, 12, 31), handled.warn_days
    )
    assert handled.deadline_state == expected != sla.OVERDUE
