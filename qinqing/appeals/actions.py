"""The only code that writes appeals. Every verb: atomic, row-locked, state re-checked after the lock,
audited with before/after, one AppealEvent history row, notifications queued for after the commit."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import TypeVar
from uuid import uuid4

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qinqing.core import audit
from qinqing.core.calendar_source import get_calendar
from qinqing.notifications.actions import notify

from . import sla
from . import workflow as wf
from .models import (
    Appeal,
    AppealAttachment,
    AppealDomain,
    AppealEvent,
    AppealType,
    Channel,
    DeadlineRule,
    ExtensionRequest,
)

AppealError = wf.TransitionError  # every refusal carries a Chinese message for the user
logger = logging.getLogger(__name__)
T = TypeVar("T")
CALENDAR_LOOKAHEAD = timedelta(days=45)  # warn staff this long before a year nobody has entered begins

AUDIT_FIELDS = [
    "status",
    "lead_department_id",
    "accept_due",
    "contact_due",
    "reply_due",
    "dispatch_due",
    "callback_due",
    "is_paused",
    "paused_on",
    "escalation",
    "deadline_state",
    "ever_overdue",
    "extension_days",
    "rehandle_count",
    "urge_count",
    "satisfaction",
    "solved",
    "merged_into_id",
    "reject_reason",
]
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


def today() -> date:
    return timezone.localdate()


def calendar() -> sla.Calendar:
    """The foundation's working-day calendar in force (State Council arrangement + admin overrides)."""
    return get_calendar()


def calendar_gap_message(year: int) -> str:
    return _(
        "%(year)s年的法定节假日和调休安排尚未录入，无法按工作日计算办理期限，本次操作未执行。"
        "请系统管理员在“节假日设置”（/calendar/）录入%(year)s年的安排后再试。"
    ) % {"year": year}


def _on_calendar(compute: Callable[[], T]) -> T:
    """Run deadline arithmetic; an uncovered year refuses the action (the transaction writes nothing)."""
    try:
        return compute()
    except sla.CalendarNotCovered as exc:
        raise AppealError(calendar_gap_message(exc.year)) from exc


# ---------------------------------------------------------------- recipients


def _users(**filters):
    return list(get_user_model().objects.filter(is_active=True, **filters))


def staff_of(appeal: Appeal):
    return _users(role="fic_staff", org_id=appeal.fic_id)


def enterprise_users(appeal: Appeal):
    users = _users(role="enterprise", enterprise_id=appeal.enterprise_id)
    if appeal.reported_by_id and appeal.reported_by.role == "chamber_secretary":
        users.append(appeal.reported_by)
    return users


def department_users(appeal: Appeal, *, co: bool = True):
    ids = [appeal.lead_department_id] if appeal.lead_department_id else []
    if co:
        ids += list(appeal.co_departments.values_list("pk", flat=True))
    return _users(role="dept_liaison", org_id__in=ids) if ids else []


def leaders_of(appeal: Appeal):
    return [
        u
        for u in get_user_model().objects.filter(is_active=True, role="fic_leader").select_related("org")
        if appeal.org_path.startswith(u.org.path)
    ]


# ---------------------------------------------------------------- plumbing


def _rule_for(appeal_type: AppealType, domain: AppealDomain) -> sla.Rule:
    rules = [
        (
            r.appeal_type.code if r.appeal_type_id else None,
            r.domain.code if r.domain_id else None,
            sla.Rule(
                r.accept_days,
                r.contact_days,
                r.reply_days,
                r.warn_days,
                r.supervise_after,
                dispatch_days=r.dispatch_days,
                callback_days=r.callback_days,
            ),
        )
        for r in DeadlineRule.objects.select_related("appeal_type", "domain")
    ]
    return sla.pick_rule(rules, appeal_type.code, domain.code)


def _check_scope(appeal: Appeal, actor, name: str) -> None:
    """The actor's own right over this appeal (the queryset scope already hid other counties)."""
    role = actor.role
    org_path = getattr(actor.org, "path", "") or "//"
    if role in (wf.STAFF, wf.LEADER):
        if not appeal.org_path.startswith(org_path):
            raise AppealError(_("该诉求不在您的管辖范围内"))
    elif role == wf.LIAISON and name == "co_note":
        if not appeal.co_departments.filter(pk=actor.org_id).exists():
            raise AppealError(_("只有协办单位可以填写协办意见"))
    elif role == wf.LIAISON:
        if appeal.lead_department_id != actor.org_id:
            raise AppealError(_("只有主办单位可以办理该诉求"))
    elif role == wf.ENTERPRISE:
        if appeal.enterprise_id != actor.enterprise_id:
            raise AppealError(_("只能评价本企业的诉求"))
    else:
        raise AppealError(_("您的角色不能办理诉求"))


def _event(appeal: Appeal, actor, name: str, label: str, before_status: str, comment: str = "", **data) -> AppealEvent:
    return AppealEvent.objects.create(
        appeal=appeal,
        action=name,
        label=str(label),
        from_status=before_status,
        to_status=appeal.status,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=getattr(actor, "name", "") or _("系统"),
        actor_org=getattr(getattr(actor, "org", None), "name", "") if actor else "",
        comment=comment,
        public=data.pop("public", True),
        data=audit._jsonable(data),
    )


def _notify(appeal: Appeal, event: AppealEvent, recipients: Iterable, title: str, kind: str = "") -> None:
    users = list(recipients)
    url = reverse("appeals:detail", args=[appeal.pk])
    if event.comment:
        body = _("%(number)s %(title)s：%(comment)s") % {
            "number": appeal.number,
            "title": appeal.title,
            "comment": event.comment,
        }
    else:
        body = f"{appeal.number} {appeal.title}"
    key = f"appeal:{appeal.pk}:{event.pk}"
    transaction.on_commit(
        lambda: notify(users, kind=kind or f"appeals.{event.action}", title=title, body=body, url=url, key=key)
    )


def _apply(
    appeal: Appeal,
    actor,
    name: str,
    mutate: Callable[[Appeal], None] | None = None,
    *,
    comment: str = "",
    skip_scope: bool = False,
    **data,
) -> tuple[Appeal, AppealEvent]:
    """Lock the row, re-check the transition against the state read under the lock, mutate, audit, log."""
    locked = (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("fic", "enterprise", "lead_department")
        .get(pk=appeal.pk)
    )
    transition = wf.check(name, locked.status, actor.role, paused=locked.is_paused)
    if not skip_scope:
        _check_scope(locked, actor, name)
    before = audit.snapshot(locked, AUDIT_FIELDS)
    before_status = locked.status
    if transition.target:
        locked.status = transition.target
    if mutate:
        _on_calendar(lambda: mutate(locked))
    locked.save()
    after = audit.snapshot(locked, AUDIT_FIELDS)
    old, new = audit.diff(before, after)
    audit.record(f"appeals.{name}", obj=locked, actor=actor, before=old, after=new, message=comment[:500])
    event = _event(locked, actor, name, transition.label, before_status, comment, **data)
    return locked, event


def _cancel_pending_extensions(appeal: Appeal, actor, why: str) -> list[ExtensionRequest]:
    """A pending extension belongs to the department and deadline it was asked for: when the appeal is
    returned, re-handled or merged it is withdrawn (audited; the requester is told after commit), so it
    can neither block the next department's request nor move the next deadline when approved."""
    pending = list(
        ExtensionRequest.objects.select_for_update(of=("self",))
        .select_related("requested_by")
        .filter(appeal=appeal, status=ExtensionRequest.PENDING)
    )
    for ext in pending:
        ext.status = ExtensionRequest.CANCELLED
        ext.decision_note = why[:500]
        ext.save(update_fields=["status", "decision_note", "updated_at"])
        audit.record(
            "appeals.cancel_extension",
            obj=ext,
            actor=actor,
            before={"status": ExtensionRequest.PENDING},
            after={"status": ExtensionRequest.CANCELLED, "reason": why},
        )
        if ext.requested_by_id:
            users, url = [ext.requested_by], reverse("appeals:detail", args=[appeal.pk])
            title = _("延期申请已撤销：%(number)s") % {"number": appeal.number}
            body = _("%(number)s %(title)s：您申请的延期%(days)s个工作日未经审批即撤销，原因：%(why)s") % {
                "number": appeal.number,
                "title": appeal.title,
                "days": ext.days,
                "why": why,
            }
            transaction.on_commit(
                lambda users=users, title=title, body=body, url=url, pk=ext.pk: notify(
                    users,
                    kind="appeals.cancel_extension",
                    title=title,
                    body=body,
                    url=url,
                    key=f"extension:{pk}:cancel",
                )
            )
    return pending


def _require(text: str, refusal: str) -> str:
    """The stripped text; refuse with ``refusal`` (e.g. 请填写诉求标题) when it is empty."""
    text = (text or "").strip()
    if not text:
        raise AppealError(refusal)
    return text


# ---------------------------------------------------------------- verbs


@transaction.atomic
def register_appeal(
    *,
    actor,
    enterprise,
    appeal_type: AppealType,
    domain: AppealDomain,
    title: str,
    description: str,
    channel: str = Channel.ONLINE,
    contact_name: str = "",
    contact_phone: str = "",
    chamber=None,
    meeting=None,
    files: Iterable = (),
    registered_on: date | None = None,
) -> Appeal:
    """登记: by the enterprise online, FIC staff (hotline, visit, meeting…), or a chamber secretary."""
    role = actor.role
    if role == wf.ENTERPRISE:
        if enterprise.pk != actor.enterprise_id:
            raise AppealError(_("只能为本企业提交诉求"))
        channel = Channel.ONLINE
    elif role == wf.STAFF:
        if not enterprise.org_path.startswith(actor.org.path):
            raise AppealError(_("企业不在您的管辖范围内"))
    elif role == wf.SECRETARY:
        from .permissions import chamber_member_ids

        if not chamber_member_ids(actor.org_id).filter(enterprise_id=enterprise.pk).exists():
            raise AppealError(_("只能为本商会的会员企业报送诉求"))
        channel = Channel.CHAMBER
        chamber = actor.org
    else:
        raise AppealError(_("您的角色不能登记诉求"))
    title = _require(title, _("请填写诉求标题"))
    description = _require(description, _("请填写诉求内容"))
    if channel not in Channel.values:
        raise AppealError(_("来源渠道无效"))
    files = list(files)
    for f in files:
        if f.size > MAX_ATTACHMENT_BYTES:
            raise AppealError(_("附件“%(name)s”超过20MB") % {"name": f.name})
    rule = _rule_for(appeal_type, domain)
    day = registered_on or today()
    accept_due = _on_calendar(lambda: sla.add_workdays(calendar(), day, rule.accept_days))
    appeal = Appeal.objects.create(
        number=uuid4().hex[:20],
        enterprise=enterprise,
        fic=enterprise.fic,
        org_path=enterprise.org_path,
        region_code=enterprise.region_code,
        channel=channel,
        appeal_type=appeal_type,
        domain=domain,
        title=title[:200],
        description=description,
        contact_name=contact_name,
        contact_phone=contact_phone,
        reported_by=actor,
        chamber=chamber,
        meeting=meeting,
        registered_on=day,
        accept_days=rule.accept_days,
        contact_days=rule.contact_days,
        reply_days=rule.reply_days,
        warn_days=rule.warn_days,
        supervise_after=rule.supervise_after,
        dispatch_days=rule.dispatch_days,
        callback_days=rule.callback_days,
        accept_due=accept_due,
    )
    appeal.number = f"SQ{day:%Y}{appeal.pk:08d}"
    appeal.save(update_fields=["number"])
    for f in files:
        AppealAttachment.objects.create(appeal=appeal, file=f, name=f.name[:200], uploaded_by=actor)
    audit.record("appeals.register", obj=appeal, actor=actor, after=audit.snapshot(appeal, ["number", *AUDIT_FIELDS]))
    event = AppealEvent.objects.create(
        appeal=appeal,
        action="register",
        label=_("登记"),
        to_status=appeal.status,
        actor=actor,
        actor_name=actor.name,
        actor_org=actor.org.name if actor.org_id else "",
        comment=_("来源：%(channel)s") % {"channel": appeal.get_channel_display()},
    )
    _notify(appeal, event, staff_of(appeal), _("新诉求待受理：%(number)s") % {"number": appeal.number})
    return appeal


@transaction.atomic
def accept_appeal(appeal: Appeal, *, actor, comment: str = "") -> Appeal:
    def mutate(a: Appeal) -> None:
        a.accepted_at = timezone.now()
        _start_dispatch_clock(a)

    appeal, event = _apply(appeal, actor, "accept", mutate, comment=comment)
    _notify(appeal, event, enterprise_users(appeal), _("您的诉求已受理：%(number)s") % {"number": appeal.number})
    return appeal


@transaction.atomic
def reject_appeal(appeal: Appeal, *, actor, reason: str) -> Appeal:
    reason = _require(reason, _("请填写不予受理理由"))

    def mutate(a: Appeal) -> None:
        a.reject_reason = reason[:500]
        a.closed_at = timezone.now()
        a.deadline_state = sla.OK

    appeal, event = _apply(appeal, actor, "reject", mutate, comment=reason)
    _notify(appeal, event, enterprise_users(appeal), _("您的诉求不予受理：%(number)s") % {"number": appeal.number})
    return appeal


def _start_dispatch_clock(a: Appeal) -> None:
    """交办 within ``dispatch_days`` working days of acceptance or of a 退回."""
    cal, day = calendar(), today()
    a.dispatch_due = sla.add_workdays(cal, day, a.dispatch_days)
    a.deadline_state = sla.deadline_state(cal, a.dispatch_due, day, a.warn_days)
    a.escalation = 0


def _start_handling_clock(a: Appeal, *, keep_lateness: bool = False) -> None:
    """A fresh handling round. ``keep_lateness`` (re-handling by the same department after an unsatisfied
    callback): a first contact or reply that was late stays late, so the second round cannot make the
    appeal count as answered on time. A new assignment (after a 退回) starts the new department clean."""
    cal, day = calendar(), today()
    a.assigned_at = timezone.now()
    a.contacted_at = None
    a.replied_at = None
    if not (keep_lateness and a.contacted_on_time is False):
        a.contacted_on_time = None
    if not (keep_lateness and a.replied_on_time is False):
        a.replied_on_time = None
    a.contact_due = sla.add_workdays(cal, day, a.contact_days)
    a.reply_due = sla.add_workdays(cal, day, a.reply_days)
    a.deadline_state = sla.deadline_state(cal, a.contact_due, day, a.warn_days)
    a.escalation = 0


@transaction.atomic
def assign_appeal(appeal: Appeal, *, actor, lead_department, co_departments=(), comment: str = "") -> Appeal:
    """交办: one lead department (主办) and optional co-handlers (协办), all within the actor's tree."""
    co_departments = [d for d in co_departments if d.pk != getattr(lead_department, "pk", None)]
    for dept in [lead_department, *co_departments]:
        if dept is None or dept.kind != "department":
            raise AppealError(_("请选择承办单位（政府部门）"))
        if not dept.path.startswith(actor.org.path):
            raise AppealError(_("承办单位“%(name)s”不在您的管辖范围内") % {"name": dept.name})

    def mutate(a: Appeal) -> None:
        a.lead_department = lead_department
        _start_handling_clock(a)

    appeal, event = _apply(
        appeal,
        actor,
        "assign",
        mutate,
        comment=comment,
        lead=lead_department.name,
        co=[d.name for d in co_departments],
    )
    appeal.co_departments.set(co_departments)
    _notify(
        appeal,
        event,
        department_users(appeal),
        _("新交办诉求：%(number)s，答复期限 %(due)s") % {"number": appeal.number, "due": appeal.reply_due},
    )
    return appeal


@transaction.atomic
def contact_enterprise(appeal: Appeal, *, actor, comment: str) -> Appeal:
    comment = _require(comment, _("请填写联系情况"))

    def mutate(a: Appeal) -> None:
        a.contacted_at = timezone.now()
        on_time = today() <= a.contact_due if a.contact_due else True
        a.contacted_on_time = on_time and a.contacted_on_time is not False  # late once (re-handling): late
        a.deadline_state = sla.deadline_state(calendar(), a.reply_due, today(), a.warn_days)

    appeal, event = _apply(appeal, actor, "contact", mutate, comment=comment)
    _notify(appeal, event, enterprise_users(appeal), _("承办单位已与您联系：%(number)s") % {"number": appeal.number})
    return appeal


@transaction.atomic
def reply_appeal(appeal: Appeal, *, actor, reply: str) -> Appeal:
    reply = _require(reply, _("请填写答复内容"))

    def mutate(a: Appeal) -> None:
        a.reply = reply
        a.replied_at = timezone.now()
        on_time = today() <= a.reply_due if a.reply_due else True
        a.replied_on_time = on_time and a.replied_on_time is not False  # late once (re-handling): late
        # 回访 within ``callback_days`` working days of the reply: the FIC's clock now.
        a.callback_due = sla.add_workdays(calendar(), today(), a.callback_days)
        a.deadline_state = sla.deadline_state(calendar(), a.callback_due, today(), a.warn_days)
        a.escalation = 0

    appeal, event = _apply(appeal, actor, "reply", mutate, comment=reply)
    _notify(
        appeal,
        event,
        [*enterprise_users(appeal), *staff_of(appeal)],
        _("诉求已答复，待回访：%(number)s") % {"number": appeal.number},
    )
    return appeal


@transaction.atomic
def return_appeal(appeal: Appeal, *, actor, reason: str, suggested_department=None) -> Appeal:
    """退回: the lead department says it is not theirs; back to 已受理 for the FIC to reassign."""
    reason = _require(reason, _("请填写退回理由"))

    def mutate(a: Appeal) -> None:
        department = a.lead_department.name if a.lead_department else _("承办单位")
        _cancel_pending_extensions(a, actor, _("诉求已被%(department)s退回") % {"department": department})
        a.lead_department = None
        a.contact_due = a.reply_due = None
        _start_dispatch_clock(a)

    suggestion = suggested_department.name if suggested_department else ""
    appeal, event = _apply(
        appeal,
        actor,
        "return",
        mutate,
        comment=_("%(reason)s（建议承办单位：%(department)s）") % {"reason": reason, "department": suggestion}
        if suggestion
        else reason,
        suggested_department=getattr(suggested_department, "pk", None),
        public=False,
    )
    appeal.co_departments.clear()
    _notify(appeal, event, staff_of(appeal), _("诉求被退回，请重新交办：%(number)s") % {"number": appeal.number})
    return appeal


@transaction.atomic
def record_callback(appeal: Appeal, *, actor, satisfaction: int, solved: bool, comment: str = "") -> Appeal:
    """回访: 非常满意/满意/基本满意 close it; 不满意/非常不满意 send it back to the same departments (重办)."""
    satisfaction = int(satisfaction)
    outcome = wf.callback_outcome(satisfaction)
    label = wf.SATISFACTION_LABELS[satisfaction]

    def close(a: Appeal) -> None:
        a.satisfaction = satisfaction
        a.solved = bool(solved)
        a.rating_comment = comment[:500]
        a.closed_at = timezone.now()
        a.deadline_state = sla.OK

    def rehandle(a: Appeal) -> None:
        _cancel_pending_extensions(a, actor, _("企业不满意，诉求重办，办理期限重新计算"))
        a.rehandle_count += 1
        _start_handling_clock(a, keep_lateness=True)

    if solved:
        summary = _("%(satisfaction)s；已实际解决") % {"satisfaction": label}
    else:
        summary = _("%(satisfaction)s；未实际解决") % {"satisfaction": label}
    if comment:
        summary = _("%(summary)s；%(comment)s") % {"summary": summary, "comment": comment}
    appeal, event = _apply(
        appeal,
        actor,
        outcome,
        close if outcome == "close" else rehandle,
        comment=summary,
        satisfaction=satisfaction,
        solved=bool(solved),
    )
    if outcome == "close":
        _notify(
            appeal,
            event,
            [*department_users(appeal), *enterprise_users(appeal)],
            _("诉求已办结：%(number)s") % {"number": appeal.number},
        )
    else:
        _notify(
            appeal, event, department_users(appeal), _("企业不满意，诉求重办：%(number)s") % {"number": appeal.number}
        )
    return appeal


@transaction.atomic
def request_extension(appeal: Appeal, *, actor, days: int, reason: str) -> ExtensionRequest:
    reason = _require(reason, _("请填写延期理由"))
    days = int(days)
    if not 1 <= days <= 30:
        raise AppealError(_("延期天数须在1到30个工作日之间"))
    holder: dict = {}

    def mutate(a: Appeal) -> None:
        if a.reply_due and today() > a.reply_due:
            raise AppealError(_("已超过答复期限（%(due)s），不能再申请延期") % {"due": a.reply_due})
        if a.extensions.filter(status=ExtensionRequest.PENDING).exists():
            raise AppealError(_("已有待审批的延期申请"))
        holder["ext"] = ExtensionRequest.objects.create(appeal=a, days=days, reason=reason[:500], requested_by=actor)

    comment = _("申请延期%(days)s个工作日：%(reason)s") % {"days": days, "reason": reason}
    appeal, event = _apply(appeal, actor, "request_extension", mutate, comment=comment)
    _notify(appeal, event, staff_of(appeal), _("延期申请待审批：%(number)s") % {"number": appeal.number})
    return holder["ext"]


@transaction.atomic
def decide_extension(extension: ExtensionRequest, *, actor, approve: bool, note: str = "") -> ExtensionRequest:
    # Appeal row first, then the request: the same order as return/rehandle/merge, so no deadlock.
    Appeal.objects.select_for_update(of=("self",)).filter(pk=extension.appeal_id).first()
    ext = ExtensionRequest.objects.select_for_update().get(pk=extension.pk)
    if ext.status == ExtensionRequest.CANCELLED:
        raise AppealError(_("该延期申请已撤销（诉求已退回、重办或合并），无需审批"))
    if ext.status != ExtensionRequest.PENDING:
        raise AppealError(_("该延期申请已审批"))
    if not approve:
        note = _require(note, _("请填写不同意的理由"))

    def mutate(a: Appeal) -> None:
        ext.old_due = a.reply_due
        if approve:
            a.reply_due = sla.add_workdays(calendar(), a.reply_due or today(), ext.days)
            a.extension_days += ext.days
            a.deadline_state = sla.deadline_state(calendar(), a.current_due, today(), a.warn_days)
            a.escalation = 0
        ext.new_due = a.reply_due

    facts = {"days": ext.days, "reason": ext.reason, "note": note}
    if approve:
        summary = _("同意延期%(days)s个工作日。延期理由：%(reason)s") % facts
        if note:
            summary = _("同意延期%(days)s个工作日。延期理由：%(reason)s；审批意见：%(note)s") % facts
    else:
        summary = _("不同意延期%(days)s个工作日。延期理由：%(reason)s") % facts
        if note:
            summary = _("不同意延期%(days)s个工作日。延期理由：%(reason)s；审批意见：%(note)s") % facts
    appeal, event = _apply(ext.appeal, actor, "decide_extension", mutate, comment=summary)
    ext.status = ExtensionRequest.APPROVED if approve else ExtensionRequest.REFUSED
    ext.decided_by = actor
    ext.decision_note = note[:500]
    ext.save()
    _notify(
        appeal,
        event,
        [*department_users(appeal, co=False), *enterprise_users(appeal)],
        (_("延期申请同意：%(number)s") if approve else _("延期申请不同意：%(number)s")) % {"number": appeal.number},
    )
    return ext


@transaction.atomic
def pause_appeal(appeal: Appeal, *, actor, reason: str) -> Appeal:
    """等待企业补充材料: the clock stops until resume_appeal."""
    reason = _require(reason, _("请填写需要企业补充的材料"))

    def mutate(a: Appeal) -> None:
        a.is_paused = True
        a.paused_on = today()
        if a.current_due and a.paused_on > a.current_due:  # paused late: the lateness is on record
            a.deadline_state = sla.OVERDUE
            a.ever_overdue = True

    appeal, event = _apply(appeal, actor, "pause", mutate, comment=reason)
    _notify(appeal, event, enterprise_users(appeal), _("请补充材料：%(number)s") % {"number": appeal.number})
    return appeal


def _resume_clocks(a: Appeal) -> None:
    """Restart the stopped clocks with the working days that were left (lateness kept)."""
    cal, day = calendar(), today()
    paused_on = a.paused_on or day
    if a.status == wf.REGISTERED and a.accept_due:
        a.accept_due = sla.resume_deadline(cal, a.accept_due, paused_on, day)
    if a.status == wf.ACCEPTED and a.dispatch_due:
        a.dispatch_due = sla.resume_deadline(cal, a.dispatch_due, paused_on, day)
    if a.status in wf.HANDLING_STATES:
        if a.contacted_at is None and a.contact_due:
            a.contact_due = sla.resume_deadline(cal, a.contact_due, paused_on, day)
        if a.reply_due:
            a.reply_due = sla.resume_deadline(cal, a.reply_due, paused_on, day)
    a.is_paused = False
    a.paused_on = None
    # The state is right from the resume on, not from the next sweep; raising 催办/督办 (and its
    # notifications) stays with the sweep, which sees the level above the recorded one.
    a.deadline_state = sla.deadline_state(cal, a.current_due, day, a.warn_days)
    a.ever_overdue = a.ever_overdue or a.deadline_state == sla.OVERDUE


@transaction.atomic
def resume_appeal(appeal: Appeal, *, actor, comment: str = "") -> Appeal:
    appeal, event = _apply(appeal, actor, "resume", _resume_clocks, comment=comment or _("企业已补充材料，恢复计时"))
    _notify(
        appeal,
        event,
        [*department_users(appeal, co=False), *staff_of(appeal)],
        _("恢复办理：%(number)s") % {"number": appeal.number},
    )
    return appeal


@transaction.atomic
def supply_materials(appeal: Appeal, *, actor, comment: str, files: Iterable = ()) -> Appeal:
    """补充材料: the enterprise sends what was asked for (a note and/or files); the clock resumes."""
    files = list(files)
    comment = (comment or "").strip()
    if not comment and not files:
        raise AppealError(_("请填写补充说明或上传补充材料"))
    for f in files:
        if f.size > MAX_ATTACHMENT_BYTES:
            raise AppealError(_("附件“%(name)s”超过20MB") % {"name": f.name})
    names = [f.name[:200] for f in files]
    text = comment
    if names:
        text = _("%(comment)s（附件：%(files)s）") % {"comment": comment, "files": "、".join(names)}
    appeal, event = _apply(appeal, actor, "supply", _resume_clocks, comment=text or _("企业已补充材料"), files=names)
    for f in files:
        AppealAttachment.objects.create(appeal=appeal, file=f, name=f.name[:200], uploaded_by=actor)
    recipients = [*department_users(appeal, co=False), *staff_of(appeal)]
    _notify(appeal, event, recipients, _("企业已补充材料，恢复办理：%(number)s") % {"number": appeal.number})
    return appeal


@transaction.atomic
def record_co_note(appeal: Appeal, *, actor, comment: str) -> Appeal:
    """协办意见: a co-handling department records its contribution for the lead department and the FIC."""
    comment = _require(comment, _("请填写协办意见"))
    appeal, event = _apply(appeal, actor, "co_note", comment=comment, public=False)
    lead = department_users(appeal, co=False)
    title = _("协办单位%(department)s填写了协办意见：%(number)s") % {
        "department": actor.org.name,
        "number": appeal.number,
    }
    _notify(appeal, event, [*lead, *staff_of(appeal)], title)
    return appeal


@transaction.atomic
def urge_appeal(appeal: Appeal, *, actor, comment: str = "") -> Appeal:
    """催办: a reminder to the handling department."""

    def mutate(a: Appeal) -> None:
        a.urge_count += 1
        a.escalation = max(a.escalation, 1)

    appeal, event = _apply(appeal, actor, "urge", mutate, comment=comment or _("请抓紧办理"), public=False)
    recipients = department_users(appeal) if appeal.lead_department_id else staff_of(appeal)
    _notify(appeal, event, recipients, _("催办：%(number)s") % {"number": appeal.number}, kind="appeals.urge")
    return appeal


@transaction.atomic
def supervise_appeal(appeal: Appeal, *, actor, comment: str = "") -> Appeal:
    """督办: escalate to the FIC leadership and the department."""

    def mutate(a: Appeal) -> None:
        a.escalation = 2

    appeal, event = _apply(
        appeal, actor, "supervise", mutate, comment=comment or _("超期未办结，提请督办"), public=False
    )
    _notify(
        appeal,
        event,
        [*leaders_of(appeal), *department_users(appeal)],
        _("督办：%(number)s") % {"number": appeal.number},
    )
    return appeal


MERGE_TARGET_REFUSED = frozenset({wf.MERGED, wf.REJECTED, wf.CLOSED})


@transaction.atomic
def merge_appeal(duplicate: Appeal, *, actor, master: Appeal, comment: str = "") -> Appeal:
    """合并: the duplicate ends as 已合并 pointing at the master; both keep their full histories.

    Both rows are locked in id order (two merges A→B and B→A running at once queue on the same first
    row instead of deadlocking), then the master is checked as it is under the lock: not the duplicate
    itself, still open, inside the actor's tree, and not (through earlier merges) below the duplicate.
    """
    if duplicate.pk == master.pk:
        raise AppealError(_("不能把诉求合并到它自己"))
    rows = {
        a.pk: a
        for a in Appeal.objects.select_for_update(of=("self",)).filter(pk__in=[duplicate.pk, master.pk]).order_by("pk")
    }
    locked_master = rows.get(master.pk)
    if locked_master is None or duplicate.pk not in rows:
        raise AppealError(_("诉求不存在"))
    if locked_master.status in MERGE_TARGET_REFUSED:
        raise AppealError(
            _("主诉求 %(number)s %(state)s，不能作为合并对象（请选择仍在办理中的诉求）")
            % {"number": locked_master.number, "state": locked_master.status_label}
        )
    if not locked_master.org_path.startswith(actor.org.path):
        raise AppealError(_("主诉求不在您的管辖范围内"))
    seen, up = {duplicate.pk}, locked_master.merged_into_id
    while up is not None:  # defensive: an open master has no merged_into, but old data might
        if up in seen:
            raise AppealError(_("不能循环合并：主诉求已（间接）合并到本诉求"))
        seen.add(up)
        up = Appeal.objects.filter(pk=up).values_list("merged_into_id", flat=True).first()
    master = locked_master

    def mutate(a: Appeal) -> None:
        _cancel_pending_extensions(a, actor, _("诉求已合并至 %(number)s") % {"number": master.number})
        a.merged_into = master
        a.closed_at = timezone.now()
        a.deadline_state = sla.OK

    comment = comment or _("与 %(number)s 重复，已合并") % {"number": master.number}
    duplicate, event = _apply(duplicate, actor, "merge", mutate, comment=comment)
    duplicate.related.add(master)
    _event(
        master,
        actor,
        "merged_in",
        _("并入重复诉求"),
        master.status,
        _("%(number)s 已并入本诉求") % {"number": duplicate.number},
        duplicate=duplicate.pk,
        public=duplicate.enterprise_id == master.enterprise_id,  # another enterprise's appeal stays internal
    )
    audit.record("appeals.merged_in", obj=master, actor=actor, after={"duplicate": duplicate.pk})
    _notify(
        duplicate, event, enterprise_users(duplicate), _("您的诉求已与 %(number)s 合并办理") % {"number": master.number}
    )
    return duplicate


@transaction.atomic
def link_appeals(appeal: Appeal, other: Appeal, *, actor) -> None:
    """关联: mark two appeals as related without changing either's state."""
    if appeal.pk == other.pk:
        raise AppealError(_("不能关联诉求自身"))
    for a in (appeal, other):
        if not a.org_path.startswith(actor.org.path):
            raise AppealError(_("诉求 %(number)s 不在您的管辖范围内") % {"number": a.number})
    appeal.related.add(other)
    audit.record("appeals.link", obj=appeal, actor=actor, after={"related": other.pk})
    _event(
        appeal,
        actor,
        "link",
        _("关联诉求"),
        appeal.status,
        _("关联 %(number)s") % {"number": other.number},
        public=False,
    )


@transaction.atomic
def solve_on_spot(appeal: Appeal, *, actor, comment: str = "") -> Appeal:
    """现场解决 at a meeting: closed at once, counted as solved."""

    def mutate(a: Appeal) -> None:
        a.solved_on_spot = True
        a.solved = True
        a.accepted_at = a.accepted_at or timezone.now()
        a.closed_at = timezone.now()
        a.reply = comment or a.reply or _("会上现场解决")
        a.deadline_state = sla.OK

    appeal, _event_row = _apply(appeal, actor, "solve_on_spot", mutate, comment=comment or _("会上现场解决"))
    return appeal


# ---------------------------------------------------------------- periodic


SWEPT_STATES = [wf.REGISTERED, wf.ACCEPTED, wf.ASSIGNED, wf.CONTACTED, wf.REPLIED]
FIC_CLOCK_STATES = frozenset({wf.REGISTERED, wf.ACCEPTED, wf.REPLIED})  # 受理, 交办, 回访: the FIC's own steps


def _backfill_due(cal: sla.Calendar, appeal: Appeal) -> date | None:
    """Appeals accepted or replied before the 交办/回访 clocks existed get them from their timestamps."""
    if appeal.status == wf.ACCEPTED and appeal.dispatch_due is None and appeal.accepted_at:
        appeal.dispatch_due = sla.add_workdays(cal, timezone.localdate(appeal.accepted_at), appeal.dispatch_days)
        return appeal.dispatch_due
    if appeal.status == wf.REPLIED and appeal.callback_due is None and appeal.replied_at:
        appeal.callback_due = sla.add_workdays(cal, timezone.localdate(appeal.replied_at), appeal.callback_days)
        return appeal.callback_due
    return appeal.current_due


def _deadline_levels(cal: sla.Calendar, appeal: Appeal, day: date) -> tuple[date | None, str, int]:
    due = _backfill_due(cal, appeal)
    return (
        due,
        sla.deadline_state(cal, due, day, appeal.warn_days),
        sla.escalation_level(cal, due, day, appeal.supervise_after),
    )


def mark_deadlines(day: date | None = None) -> dict[str, int]:
    """Recompute warning/overdue and escalation for open, running appeals; notify on each new level.

    Every clock is swept: 受理 (registered), 交办 (accepted, incl. returned), 首次联系/答复 (with the
    department) and 回访 (replied). The decision is taken again on the locked row, so two sweeps running
    at once write and notify each new level once.

    Appeals whose deadline arithmetic needs a year the calendar does not cover keep their state and are
    counted under ``uncovered``; staff and system administrators get an inbox warning (see
    ``warn_calendar_gap``), as they do 45 days before such a year begins.
    """
    cal, day = calendar(), day or today()
    counts = {"warning": 0, "overdue": 0, "urged": 0, "supervised": 0, "uncovered": 0}
    gaps: set[int] = set(sla.uncovered_years(cal, day, day + CALENDAR_LOOKAHEAD))
    open_qs = Appeal.objects.filter(status__in=SWEPT_STATES, is_paused=False).select_related("lead_department", "fic")
    for appeal in open_qs.iterator(chunk_size=500):
        try:
            due, state, level = _deadline_levels(cal, appeal, day)
        except sla.CalendarNotCovered as exc:
            gaps.add(exc.year)
            counts["uncovered"] += 1
            continue
        if state == appeal.deadline_state and level <= appeal.escalation:
            continue
        with transaction.atomic():
            locked = (
                Appeal.objects.select_for_update(of=("self",))
                .select_related("fic", "lead_department")
                .get(pk=appeal.pk)
            )
            if locked.status not in SWEPT_STATES or locked.is_paused:
                continue
            before = audit.snapshot(
                locked, ["deadline_state", "escalation", "ever_overdue", "dispatch_due", "callback_due"]
            )
            due, state, level = _deadline_levels(cal, locked, day)  # decided again under the lock
            new_level = max(level, locked.escalation)
            raised = new_level > locked.escalation
            warned = state == sla.WARNING and locked.deadline_state != sla.WARNING
            backfilled = before["dispatch_due"] != locked.dispatch_due or before["callback_due"] != locked.callback_due
            if state == locked.deadline_state and not raised and not backfilled:
                continue  # another sweep got here first
            locked.deadline_state = state
            locked.escalation = new_level
            locked.ever_overdue = locked.ever_overdue or state == sla.OVERDUE
            locked.save(
                update_fields=[
                    "deadline_state",
                    "escalation",
                    "ever_overdue",
                    "dispatch_due",
                    "callback_due",
                    "updated_at",
                ]
            )
            after = audit.snapshot(
                locked, ["deadline_state", "escalation", "ever_overdue", "dispatch_due", "callback_due"]
            )
            old, new = audit.diff(before, after)
            audit.record("appeals.deadline", obj=locked, actor=None, before=old, after=new)
            counts[state] = counts.get(state, 0) + (1 if state != sla.OK else 0)
            if locked.status in FIC_CLOCK_STATES:
                recipients = staff_of(locked)
            else:
                recipients = department_users(locked) or staff_of(locked)
            step = {wf.REGISTERED: _("受理"), wf.ACCEPTED: _("交办"), wf.REPLIED: _("回访")}.get(
                locked.status, _("办理")
            )
            facts = {"step": step, "number": locked.number, "due": due}
            if raised:
                counts["supervised" if new_level == 2 else "urged"] += 1
                event_label = _("超期自动督办") if new_level == 2 else _("超期自动催办")
                event_comment = _("%(step)s期限 %(due)s") % facts
                event = _event(locked, None, "auto_escalate", event_label, locked.status, event_comment, public=False)
                if new_level == 2:
                    recipients = [*recipients, *leaders_of(locked)]
                _notify(
                    locked,
                    event,
                    recipients,
                    (
                        _("%(step)s超期督办：%(number)s（期限 %(due)s）")
                        if new_level == 2
                        else _("%(step)s超期催办：%(number)s（期限 %(due)s）")
                    )
                    % facts,
                    kind="appeals.escalate",
                )
            elif warned:
                event_comment = _("%(step)s期限 %(due)s") % facts
                event = _event(locked, None, "warning", _("临期预警"), locked.status, event_comment, public=False)
                title = _("%(step)s临期预警：%(number)s（期限 %(due)s）") % facts
                _notify(locked, event, recipients, title, kind="appeals.warning")
    if gaps:
        warn_calendar_gap(sorted(gaps), day, stalled=counts["uncovered"])
    return counts


def warn_calendar_gap(years: list[int], day: date, *, stalled: int = 0) -> None:
    """Tell FIC staff and system administrators that a year's holidays must be entered at /calendar/.

    Once per year ahead of time; once a day per year while appeals cannot be tracked because of it.
    """
    names = "、".join(_("%(year)s年") % {"year": y} for y in years)
    logger.warning("working-day calendar does not cover %s; %d open appeals not tracked", years, stalled)
    title = _("%(years)s节假日安排尚未录入，诉求办理期限无法计算") % {"years": names}
    if stalled:
        body = _(
            "请系统管理员在“节假日设置”（/calendar/）录入国务院办公厅公布的放假和调休安排。"
            "目前有%(count)s件在办诉求因此无法判断临期、超期。"
        ) % {"count": stalled}
    else:
        body = _(
            "请系统管理员在“节假日设置”（/calendar/）录入国务院办公厅公布的放假和调休安排。"
            "录入前，办理期限落在该年的诉求将无法登记、交办或延期。"
        )
    recipients = _users(role__in=["fic_staff", "sys_admin"])
    key = f"calendar-gap:{'-'.join(map(str, years))}" + (f":{day}" if stalled else "")
    transaction.on_commit(
        lambda: notify(recipients, kind="appeals.calendar_gap", title=title, body=body, url="/calendar/", key=key)
    )
