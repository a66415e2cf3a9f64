from datetime import date

import pytest

from qinqing.appeals import actions
from qinqing.appeals import workflow as wf
from qinqing.appeals.models import AppealEvent, DeadlineRule, ExtensionRequest
from qinqing.core.models import AuditEntry
from qinqing.notifications.models import Notification


def test_given_enterprise_when_submitting_then_registered_with_number_and_accept_deadline(
    make_appeal, fixed_today, users, django_capture_on_commit_callbacks
):
    fixed_today(date(2026, 9, 30))
    with django_capture_on_commit_callbacks(execute=True):
        appeal = make_appeal()
    assert appeal.status == wf.REGISTERED
    assert appeal.number.startswith("SQ2026")
    assert appeal.accept_due == date(2026, 10, 10)  # 10-08, 10-09, 10-10 (Saturday 调休)
    assert AuditEntry.objects.filter(action="appeals.register").count() == 1
    assert Notification.objects.filter(recipient=users.county_staff).count() == 1


def test_full_flow_to_satisfied_close(make_appeal, users, tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        appeal = make_appeal()
        appeal = actions.accept_appeal(appeal, actor=users.county_staff)
        appeal = actions.assign_appeal(appeal, actor=users.county_staff, lead_department=tree.dept_a)
        appeal = actions.contact_enterprise(appeal, actor=users.liaison, comment="已电话联系企业负责人")
        appeal = actions.reply_appeal(appeal, actor=users.liaison, reply="已协调银行加快审批")
        appeal = actions.record_callback(appeal, actor=users.enterprise, satisfaction=5, solved=True)
    assert appeal.status == wf.CLOSED
    assert appeal.satisfaction == 5 and appeal.solved is True
    assert appeal.contacted_on_time and appeal.replied_on_time
    actions_logged = list(AppealEvent.objects.filter(appeal=appeal).values_list("action", flat=True))
    assert actions_logged == ["register", "accept", "assign", "contact", "reply", "close"]
    assert Notification.objects.filter(recipient=users.liaison).exists()
    assert Notification.objects.filter(recipient=users.enterprise).count() >= 3


def test_given_unsatisfied_callback_then_rehandled_by_same_department(assigned, users, tree):
    a = actions.contact_enterprise(assigned, actor=users.liaison, comment="已联系")
    a = actions.reply_appeal(a, actor=users.liaison, reply="已答复")
    a = actions.record_callback(a, actor=users.county_staff, satisfaction=2, solved=False, comment="没有解决")
    assert a.status == wf.ASSIGNED
    assert a.rehandle_count == 1
    assert a.lead_department == tree.dept_a
    assert a.contacted_at is None and a.reply_due is not None


def test_given_a_late_first_reply_when_rehandled_and_answered_in_time_then_it_still_counts_as_late(
    make_appeal, users, tree, fixed_today
):
    from datetime import date

    # Given an appeal dispatched on 2026-11-02 and replied late, after its reply deadline
    fixed_today(date(2026, 11, 2))
    a = actions.accept_appeal(make_appeal(), actor=users.county_staff)
    a = actions.assign_appeal(a, actor=users.county_staff, lead_department=tree.dept_a)
    fixed_today(date(2026, 11, 20))
    a = actions.contact_enterprise(a, actor=users.liaison, comment="已联系")
    a = actions.reply_appeal(a, actor=users.liaison, reply="已答复")
    assert a.replied_on_time is False
    # When the enterprise is unsatisfied and the second round is answered the same day, well in time
    a = actions.record_callback(a, actor=users.county_staff, satisfaction=2, solved=False, comment="没有解决")
    a = actions.contact_enterprise(a, actor=users.liaison, comment="再次联系")
    a = actions.reply_appeal(a, actor=users.liaison, reply="已重新办理")
    # Then the appeal is still not counted as contacted or answered on time
    assert a.rehandle_count == 1
    assert a.contacted_on_time is False and a.replied_on_time is False


def test_given_other_department_when_contacting_then_refused_and_nothing_changes(assigned, users, tree):
    from qinqing.orgs.actions import create_organization

    other = create_organization(kind="department", name="岳阳县税务局", region_code="430621", parent=tree.county_a)
    from qinqing.accounts.actions import create_user

    stranger = create_user(
        username="tax", name="tax", role="dept_liaison", org=other, password="Qinqing@2026!", must_change_password=False
    )
    with pytest.raises(actions.AppealError, match="主办单位"):
        actions.contact_enterprise(assigned, actor=stranger, comment="x")
    assigned.refresh_from_db()
    assert assigned.status == wf.ASSIGNED


def test_given_stale_object_when_second_accept_then_clear_error(make_appeal, users):
    appeal = make_appeal()
    stale = type(appeal).objects.get(pk=appeal.pk)
    actions.accept_appeal(appeal, actor=users.county_staff)
    with pytest.raises(actions.AppealError, match="已受理"):
        actions.accept_appeal(stale, actor=users.city_staff)


def test_given_reject_without_reason_then_field_named(make_appeal, users):
    with pytest.raises(actions.AppealError, match="不予受理理由"):
        actions.reject_appeal(make_appeal(), actor=users.county_staff, reason=" ")


def test_given_department_returns_then_reassignable(assigned, users, tree):
    a = actions.return_appeal(
        assigned, actor=users.liaison, reason="不属于本部门职责", suggested_department=tree.dept_b
    )
    assert a.status == wf.ACCEPTED and a.lead_department is None
    ev = a.events.get(action="return")
    assert "建议承办单位" in ev.comment
    a = actions.assign_appeal(a, actor=users.county_staff, lead_department=tree.dept_a)
    assert a.status == wf.ASSIGNED


def test_given_department_outside_scope_when_assigning_then_refused(make_appeal, users, tree):
    a = actions.accept_appeal(make_appeal(), actor=users.county_staff)
    with pytest.raises(actions.AppealError, match="管辖范围"):
        actions.assign_appeal(a, actor=users.county_staff, lead_department=tree.dept_b)


def test_given_assignment_before_national_day_then_deadlines_skip_holiday(make_appeal, users, tree, fixed_today):
    fixed_today(date(2026, 9, 29))
    a = actions.accept_appeal(make_appeal(), actor=users.county_staff)
    a = actions.assign_appeal(a, actor=users.county_staff, lead_department=tree.dept_a)
    assert a.contact_due == date(2026, 10, 9)
    assert a.reply_due == date(2026, 10, 12)


def test_given_rule_changed_later_then_existing_appeal_keeps_its_deadline(make_appeal, users, fixed_today):
    fixed_today(date(2026, 3, 2))
    a = make_appeal()
    DeadlineRule.objects.filter(appeal_type=None, domain=None).update(accept_days=10)
    a.refresh_from_db()
    assert a.accept_days == 3 and a.accept_due == date(2026, 3, 5)
    b = make_appeal("另一个诉求")
    assert b.accept_days == 10


def test_given_domain_override_then_rule_applies(make_appeal, kinds, fixed_today):
    fixed_today(date(2026, 3, 2))
    DeadlineRule.objects.create(domain=kinds.labour, accept_days=1, reply_days=2)
    a = make_appeal(domain=kinds.labour)
    assert a.accept_due == date(2026, 3, 3) and a.reply_days == 2


def test_extension_approved_moves_deadline_and_reason_is_public(assigned, users, fixed_today):
    fixed_today(assigned.registered_on)
    due = assigned.reply_due
    ext = actions.request_extension(assigned, actor=users.liaison, days=3, reason="需要省厅批复")
    with pytest.raises(actions.AppealError, match="待审批"):
        actions.request_extension(assigned, actor=users.liaison, days=2, reason="again")
    ext = actions.decide_extension(ext, actor=users.county_staff, approve=True)
    assigned.refresh_from_db()
    assert ext.status == ExtensionRequest.APPROVED
    assert assigned.reply_due > due and assigned.extension_days == 3
    event = assigned.events.get(action="decide_extension")
    assert event.public and "需要省厅批复" in event.comment


def test_extension_after_deadline_refused(assigned, users, fixed_today):
    fixed_today(date(2099, 1, 5))
    with pytest.raises(actions.AppealError, match="已超过答复期限"):
        actions.request_extension(assigned, actor=users.liaison, days=3, reason="晚了")


def test_pause_and_resume_keep_remaining_workdays(make_appeal, users, tree, fixed_today):
    fixed_today(date(2026, 9, 24))
    a = actions.accept_appeal(make_appeal(), actor=users.county_staff)
    a = actions.assign_appeal(a, actor=users.county_staff, lead_department=tree.dept_a)
    assert a.reply_due == date(2026, 10, 9)
    fixed_today(date(2026, 9, 28))
    a = actions.pause_appeal(a, actor=users.liaison, reason="请提供贷款合同")
    with pytest.raises(actions.AppealError, match="恢复"):
        actions.contact_enterprise(a, actor=users.liaison, comment="x")
    fixed_today(date(2026, 10, 12))
    a = actions.resume_appeal(a, actor=users.liaison)
    assert a.reply_due == date(2026, 10, 16)
    assert not a.is_paused


def test_merge_keeps_both_histories(make_appeal, users):
    master = make_appeal("贷款审批慢")
    dup = make_appeal("贷款审批太慢了")
    dup = actions.merge_appeal(dup, actor=users.county_staff, master=master)
    assert dup.status == wf.MERGED and dup.merged_into == master
    assert dup.events.filter(action="merge").exists()
    assert master.events.filter(action="merged_in").exists()
    assert master in dup.related.all()


def test_mark_deadlines_warns_then_urges_then_supervises(
    assigned, users, fixed_today, django_capture_on_commit_callbacks
):
    due = assigned.contact_due
    from qinqing.appeals import sla

    cal = actions.calendar()
    with django_capture_on_commit_callbacks(execute=True):
        actions.mark_deadlines(due)
    assigned.refresh_from_db()
    assert assigned.deadline_state == "warning"
    with django_capture_on_commit_callbacks(execute=True):
        actions.mark_deadlines(sla.add_workdays(cal, due, 1))
    assigned.refresh_from_db()
    assert assigned.deadline_state == "overdue" and assigned.escalation == 1 and assigned.ever_overdue
    with django_capture_on_commit_callbacks(execute=True):
        actions.mark_deadlines(sla.add_workdays(cal, due, 2))
    assigned.refresh_from_db()
    assert assigned.escalation == 2
    assert Notification.objects.filter(recipient=users.leader, kind="appeals.escalate").exists()
    # idempotent: running again (with its after-commit sends executed) changes nothing and sends nothing new
    n, events = Notification.objects.count(), AppealEvent.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        actions.mark_deadlines(sla.add_workdays(cal, due, 2))
    assert Notification.objects.count() == n and AppealEvent.objects.count() == events


def test_urge_and_supervise_notify(assigned, users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        actions.urge_appeal(assigned, actor=users.county_staff)
        actions.supervise_appeal(assigned, actor=users.leader)
    assigned.refresh_from_db()
    assert assigned.urge_count == 1 and assigned.escalation == 2
    assert Notification.objects.filter(recipient=users.liaison, kind="appeals.urge").exists()
    assert Notification.objects.filter(recipient=users.leader).exists()


def test_chamber_secretary_reports_for_member(make_appeal, users, tree, membership):
    a = make_appeal(actor=users.secretary)
    assert a.channel == "chamber" and a.chamber == tree.chamber_a
    with pytest.raises(actions.AppealError, match="会员企业"):
        make_appeal(actor=users.secretary, enterprise=tree.ent_b)


def test_enterprise_cannot_submit_for_other(make_appeal, users, tree):
    with pytest.raises(actions.AppealError, match="本企业"):
        make_appeal(actor=users.enterprise, enterprise=tree.ent_b)


# Years without the official holiday schedule (provisional deadlines, recompute on entry): see
# test_provisional_deadlines.py.


def test_given_appeal_paused_after_its_reply_deadline_when_resumed_and_replied_then_still_late(
    make_appeal, users, tree, fixed_today
):
    # Given an appeal dispatched 09-22 (reply due 09-30, 中秋 09-25 off), first contact made, paused late on 10-08
    fixed_today(date(2026, 9, 22))
    a = actions.accept_appeal(make_appeal(), actor=users.county_staff)
    a = actions.assign_appeal(a, actor=users.county_staff, lead_department=tree.dept_a)
    a = actions.contact_enterprise(a, actor=users.liaison, comment="已联系")
    assert a.reply_due == date(2026, 9, 30)
    fixed_today(date(2026, 10, 8))
    a = actions.pause_appeal(a, actor=users.liaison, reason="请提供合同")
    # When the enterprise's material arrives and the clock resumes on 10-12
    fixed_today(date(2026, 10, 12))
    a = actions.resume_appeal(a, actor=users.liaison)
    # Then the appeal shows as overdue at once, and a reply now is not on time
    assert a.deadline_state == "overdue" and a.ever_overdue and a.reply_due < date(2026, 10, 12)
    a = actions.reply_appeal(a, actor=users.liaison, reply="已答复")
    assert a.replied_on_time is False


def test_given_two_sweeps_overlapping_when_warning_is_due_then_one_warning_event_and_message(
    assigned, users, monkeypatch, django_capture_on_commit_callbacks
):
    from qinqing.appeals import sla

    # Given a second sweep that runs to completion between this sweep's read and its row lock
    real, nested = sla.deadline_state, []

    def racing(*args, **kwargs):
        if not nested:
            nested.append(True)
            actions.mark_deadlines(assigned.contact_due)
        return real(*args, **kwargs)

    monkeypatch.setattr(sla, "deadline_state", racing)
    # When the first sweep goes on, on the contact deadline day (warning)
    with django_capture_on_commit_callbacks(execute=True):
        actions.mark_deadlines(assigned.contact_due)
    # Then the department was warned once
    assert AppealEvent.objects.filter(appeal=assigned, action="warning").count() == 1
    assert Notification.objects.filter(recipient=users.liaison, kind="appeals.warning").count() == 1


def test_given_accepted_appeal_not_dispatched_when_sweeping_then_staff_warned_then_urged(
    make_appeal, users, fixed_today, django_capture_on_commit_callbacks
):
    # Given an appeal accepted on Wednesday 09-30 (交办 within 2 working days: 10-08, 10-09)
    fixed_today(date(2026, 9, 30))
    appeal = actions.accept_appeal(make_appeal(), actor=users.county_staff)
    assert appeal.dispatch_due == date(2026, 10, 9) and appeal.current_due == date(2026, 10, 9)
    # When nobody dispatches it, the sweep warns the FIC staff on 10-08 and urges after 10-09
    with django_capture_on_commit_callbacks(execute=True):
        actions.mark_deadlines(date(2026, 10, 8))
        actions.mark_deadlines(date(2026, 10, 10))
    appeal.refresh_from_db()
    assert appeal.deadline_state == "overdue" and appeal.escalation == 1 and appeal.ever_overdue
    kinds = set(Notification.objects.filter(recipient=users.county_staff).values_list("kind", flat=True))
    assert {"appeals.warning", "appeals.escalate"} <= kinds
    assert not Notification.objects.filter(recipient=users.liaison).exists()


def test_given_returned_appeal_then_dispatch_clock_restarts_from_the_return(assigned, users, fixed_today):
    fixed_today(date(2026, 11, 18))
    appeal = actions.return_appeal(assigned, actor=users.liaison, reason="不属于本单位")
    assert appeal.status == wf.ACCEPTED and appeal.dispatch_due == date(2026, 11, 20)
    assert appeal.deadline_state == "ok"


def test_given_replied_appeal_without_callback_when_sweeping_then_overdue_for_staff(
    assigned, users, fixed_today, django_capture_on_commit_callbacks
):
    # Given a reply on Friday 10-09 (回访 within 3 working days: 10-10 调休 Saturday, 10-12, 10-13)
    fixed_today(date(2026, 10, 9))
    a = actions.contact_enterprise(assigned, actor=users.liaison, comment="已联系")
    a = actions.reply_appeal(a, actor=users.liaison, reply="已答复")
    assert a.callback_due == date(2026, 10, 13)
    # When the FIC has not called back by 10-14
    with django_capture_on_commit_callbacks(execute=True):
        actions.mark_deadlines(date(2026, 10, 14))
    a.refresh_from_db()
    # Then it is overdue and the FIC staff, not the department, are urged
    assert a.deadline_state == "overdue" and a.escalation == 1
    assert Notification.objects.filter(recipient=users.county_staff, kind="appeals.escalate").exists()
    assert not Notification.objects.filter(recipient=users.liaison, kind="appeals.escalate").exists()


def test_given_deadline_rule_with_own_dispatch_and_callback_days_then_copied_at_registration(make_appeal, kinds):
    DeadlineRule.objects.create(domain=kinds.finance, dispatch_days=1, callback_days=5)
    appeal = make_appeal()
    assert (appeal.dispatch_days, appeal.callback_days) == (1, 5)
