"""Sessions, outcomes in order (调解成功 → 申请司法确认 → 法院裁定; 调解不成 → 立案案号; 撤回; 超期退回法院) and
the reminders of overdue cases. Atomic and audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from qinqing.core import audit

from .. import rules
from ..choices import Confirmation, FailedNext, SessionMode, Status
from ..models import Case, Session
from .cases import rules_open
from .common import choice, notify_users, parse_amount, parse_date, raise_rule, text, today

OUTCOME_FIELDS = ("status", "closed_on", "duration_days", "outcome_note", "agreement_text", "settled_amount",
                  "failed_next", "lawsuit_case_number")  # fmt: skip
CONFIRMATION_FIELDS = ("confirmation", "confirmation_court", "confirmation_requested_on", "confirmation_on",
                       "confirmation_number")  # fmt: skip


@transaction.atomic
def log_session(case: Case, *, actor, data: dict) -> Session:
    rules_open(case)
    held_on = parse_date(data.get("held_on"), "held_on", _("调解日期"))
    if held_on < case.received_on:
        raise ValidationError({"held_on": _("调解日期不能早于受理日期 %(day)s") % {"day": case.received_on}})
    if held_on > today():
        raise ValidationError({"held_on": _("调解日期不能晚于今天")})
    mode = choice(data, "mode", SessionMode, _("调解方式"))
    attendees = text(data, "attendees", 500)
    if not attendees:
        raise ValidationError({"attendees": _("请填写参加人员")})
    place = text(data, "place", 200)
    if mode == SessionMode.ONSITE and not place:
        raise ValidationError({"place": _("现场调解请填写地点")})
    session = Session.objects.create(case=case, held_on=held_on, mode=mode, place=place, attendees=attendees,
                                     notes=text(data, "notes", 10000),
                                     recorded_by=actor if getattr(actor, "pk", None) else None)  # fmt: skip
    audit.record("mediation.log_session", obj=case, actor=actor,
                  after={"session": session.pk, "held_on": held_on, "mode": mode})  # fmt: skip
    return session


def _close(case: Case, *, actor, outcome: str, data: dict, extra: dict) -> Case:
    closed_on = parse_date(data.get("closed_on"), "closed_on", _("结案日期"), required=False) or today()
    try:
        rules.check_close(status=case.status, source=case.source, received_on=case.received_on, on=closed_on,
                          today=today(), outcome=outcome, deadline=case.deadline)  # fmt: skip
    except rules.RuleError as exc:
        raise_rule(exc)
    before = audit.snapshot(case, OUTCOME_FIELDS)
    case.status = outcome
    case.closed_on = closed_on
    case.duration_days = rules.days_taken(case.received_on, closed_on)
    case.outcome_note = text(data, "outcome_note", 2000)
    for key, value in extra.items():
        setattr(case, key, value)
    case.save(update_fields=[*OUTCOME_FIELDS, "updated_at"])
    old, new = audit.diff(before, audit.snapshot(case, OUTCOME_FIELDS))
    audit.record(f"mediation.close_{outcome}", obj=case, actor=actor, before=old, after=new)
    return case


@transaction.atomic
def settle(case: Case, *, actor, data: dict) -> Case:
    """调解成功: the agreement's text (printed as 调解协议书) and the amount agreed."""
    rules_open(case)
    agreement = text(data, "agreement_text", 20000)
    if not agreement:
        raise ValidationError({"agreement_text": _("调解成功须填写调解协议内容")})
    amount = parse_amount(data.get("settled_amount"), "settled_amount", _("协议金额（万元）"), required=False)
    return _close(case, actor=actor, outcome=Status.SETTLED, data=data,
                  extra={"agreement_text": agreement, "settled_amount": amount})  # fmt: skip


@transaction.atomic
def fail(case: Case, *, actor, data: dict) -> Case:
    """调解不成: what happens next (转诉讼/立案, with the court's case number when known)."""
    rules_open(case)
    next_step = choice(data, "failed_next", FailedNext, _("调解不成后续"), required=False)
    number = text(data, "lawsuit_case_number", 60)
    if number and next_step != FailedNext.LITIGATION:
        raise ValidationError({"lawsuit_case_number": _("只有转诉讼/立案的案件才填写立案案号")})
    return _close(case, actor=actor, outcome=Status.FAILED, data=data,
                  extra={"failed_next": next_step, "lawsuit_case_number": number})  # fmt: skip


@transaction.atomic
def withdraw(case: Case, *, actor, data: dict) -> Case:
    rules_open(case)
    if not text(data, "outcome_note", 2000):
        raise ValidationError({"outcome_note": _("撤回须说明原因")})
    return _close(case, actor=actor, outcome=Status.WITHDRAWN, data=data, extra={})


@transaction.atomic
def return_to_court(case: Case, *, actor, data: dict) -> Case:
    """超期退回法院: a court-referred case whose (extended) period ran out without an agreement."""
    rules_open(case)
    return _close(case, actor=actor, outcome=Status.RETURNED, data=data, extra={})


@transaction.atomic
def record_lawsuit(case: Case, *, actor, data: dict) -> Case:
    """The court's 立案案号 of a failed case, when it becomes known after closing."""
    try:
        rules.check_lawsuit(status=case.status)
    except rules.RuleError as exc:
        raise_rule(exc)
    number = text(data, "lawsuit_case_number", 60)
    if not number:
        raise ValidationError({"lawsuit_case_number": _("请填写立案案号")})
    before = {"failed_next": case.failed_next, "lawsuit_case_number": case.lawsuit_case_number}
    case.failed_next = FailedNext.LITIGATION
    case.lawsuit_case_number = number
    case.save(update_fields=["failed_next", "lawsuit_case_number", "updated_at"])
    audit.record("mediation.record_lawsuit", obj=case, actor=actor, before=before,
                 after={"failed_next": case.failed_next, "lawsuit_case_number": number})  # fmt: skip
    return case


@transaction.atomic
def request_confirmation(case: Case, *, actor, data: dict) -> Case:
    """申请司法确认 of a successful mediation's agreement."""
    on = parse_date(data.get("confirmation_requested_on"), "confirmation_requested_on", _("申请日期"),
                    required=False) or today()  # fmt: skip
    try:
        rules.check_request_confirmation(status=case.status, confirmation=case.confirmation, closed_on=case.closed_on,
                                         on=on, today=today())  # fmt: skip
    except rules.RuleError as exc:
        raise_rule(exc)
    court = text(data, "confirmation_court", 100) or case.court_name
    if not court:
        raise ValidationError({"confirmation_court": _("请填写受理司法确认的法院")})
    before = audit.snapshot(case, CONFIRMATION_FIELDS)
    case.confirmation = Confirmation.REQUESTED
    case.confirmation_court = court
    case.confirmation_requested_on = on
    case.save(update_fields=[*CONFIRMATION_FIELDS, "updated_at"])
    old, new = audit.diff(before, audit.snapshot(case, CONFIRMATION_FIELDS))
    audit.record("mediation.request_confirmation", obj=case, actor=actor, before=old, after=new)
    return case


@transaction.atomic
def record_confirmation(case: Case, *, actor, data: dict) -> Case:
    """The court's ruling on the 司法确认 application."""
    on = parse_date(data.get("confirmation_on"), "confirmation_on", _("裁定日期"), required=False) or today()
    result = str(data.get("result") or "")
    try:
        rules.check_confirmation_result(status=case.status, confirmation=case.confirmation,
                                        requested_on=case.confirmation_requested_on, result=result, on=on,
                                        today=today())  # fmt: skip
    except rules.RuleError as exc:
        raise_rule(exc)
    before = audit.snapshot(case, CONFIRMATION_FIELDS)
    case.confirmation = result
    case.confirmation_on = on
    case.confirmation_number = text(data, "confirmation_number", 60)
    case.save(update_fields=[*CONFIRMATION_FIELDS, "updated_at"])
    old, new = audit.diff(before, audit.snapshot(case, CONFIRMATION_FIELDS))
    audit.record("mediation.record_confirmation", obj=case, actor=actor, before=old, after=new)
    return case


def remind_overdue() -> dict:
    """Remind each overdue open case's mediator (and the body's secretaries or staff) once a day; idempotent."""
    from qinqing.accounts.models import User
    from qinqing.core.roles import Role

    day = today()
    cases = list(
        Case.objects.filter(status=Status.OPEN, deadline__lt=day)
        .exclude(reminded_on=day)
        .select_related("body", "body__organization")
    )
    for case in cases:
        title = _("调解案件 %(number)s 已超过调解期限 %(day)s") % {"number": case.number, "day": case.deadline}
        role = Role.CHAMBER_SECRETARY if case.body.organization.kind == "chamber" else Role.FIC_STAFF
        users = list(User.objects.filter(org_id=case.body.organization_id, role=role, is_active=True))
        if case.mediator_id:
            users.append(case.mediator)
        notify_users(users, title=title, key=f"mediation.overdue.{case.pk}.{day}", url=f"/mediation/cases/{case.pk}/")
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(reminded_on=day)
    return {"reminded": len(cases)}
