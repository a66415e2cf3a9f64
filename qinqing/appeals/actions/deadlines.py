"""The periodic sweep: 临期/超期 states, automatic 催办/督办, and the calendar-gap warning."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qinqing.appeals import actions as pkg  # today()/calendar()/limits looked up at call time (tests pin them)
from qinqing.core import audit
from qinqing.notifications.actions import notify

from .. import sla
from .. import workflow as wf
from ..models import (
    Appeal,
)
from .common import (
    _event,
    _notify,
    _users,
    department_users,
    leaders_of,
    logger,
    staff_of,
)

CALENDAR_LOOKAHEAD = timedelta(days=45)  # warn staff this long before a year nobody has entered begins


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
    cal, day = pkg.calendar(), day or pkg.today()
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
