"""Stage helpers and the shared plumbing of the appeal actions: refusal type, clock and calendar, recipients,
the locking ``_apply`` every verb goes through, history events and notifications, and the deadline clocks."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import date
from typing import TypeVar

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qinqing.appeals import actions as pkg  # today()/calendar() looked up at call time (tests pin them)
from qinqing.core import audit
from qinqing.core.calendar_source import get_calendar
from qinqing.notifications.actions import notify

from .. import sla
from .. import workflow as wf
from ..models import (
    Appeal,
    AppealDomain,
    AppealEvent,
    AppealType,
    DeadlineRule,
)

AppealError = wf.TransitionError  # every refusal carries a Chinese message for the user
logger = logging.getLogger("qinqing.appeals.actions")  # one logger name for the whole package
T = TypeVar("T")

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
MAX_DESCRIPTION_CHARS = 5000  # about three pages; longer material goes in an attachment


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


def acting_unit(actor) -> str:
    """The unit a step is shown under: an enterprise user's enterprise (never the FIC their account hangs
    under), a chamber secretary's chamber, a liaison's department, staff's FIC; empty for the system."""
    if actor is None:
        return ""
    if getattr(actor, "role", "") == wf.ENTERPRISE and getattr(actor, "enterprise_id", None):
        return actor.enterprise.name
    return getattr(getattr(actor, "org", None), "name", "") or ""


def _event(appeal: Appeal, actor, name: str, label: str, before_status: str, comment: str = "", **data) -> AppealEvent:
    return AppealEvent.objects.create(
        appeal=appeal,
        action=name,
        label=str(label),
        from_status=before_status,
        to_status=appeal.status,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=getattr(actor, "name", "") or _("系统"),
        actor_org=acting_unit(actor),
        comment=comment,
        public=data.pop("public", True),
        data=audit._jsonable(data),
    )


def _notify(
    appeal: Appeal, event: AppealEvent, recipients: Iterable, title: str, kind: str = "", *, link: Appeal | None = None
) -> None:
    """Queue an inbox message about ``appeal`` (linking to ``link`` when given, e.g. a merge's master)."""
    users = list(recipients)
    url = reverse("appeals:detail", args=[(link or appeal).pk])
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


def _require(text: str, refusal: str) -> str:
    """The stripped text; refuse with ``refusal`` (e.g. 请填写诉求标题) when it is empty."""
    text = (text or "").strip()
    if not text:
        raise AppealError(refusal)
    return text


# ---------------------------------------------------------------- clocks


def _start_dispatch_clock(a: Appeal) -> None:
    """交办 within ``dispatch_days`` working days of acceptance or of a 退回."""
    cal, day = pkg.calendar(), pkg.today()
    a.dispatch_due = sla.add_workdays(cal, day, a.dispatch_days)
    a.deadline_state = sla.deadline_state(cal, a.dispatch_due, day, a.warn_days)
    a.escalation = 0


def _start_handling_clock(a: Appeal, *, keep_lateness: bool = False) -> None:
    """A fresh handling round. ``keep_lateness`` (re-handling by the same department after an unsatisfied
    callback): a first contact or reply that was late stays late, so the second round cannot make the
    appeal count as answered on time. A new assignment (after a 退回) starts the new department clean."""
    cal, day = pkg.calendar(), pkg.today()
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
