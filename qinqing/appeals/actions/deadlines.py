"""The periodic sweep: 临期/超期 states, automatic 催办/督办, and the calendar-gap warning."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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


def mark_deadlines(day: date | None = None, *, ids: list[int] | None = None) -> dict[str, int]:
    """Recompute warning/overdue and escalation for open, running appeals; notify on each new level.

    Every clock is swept: 受理 (registered), 交办 (accepted, incl. returned), 首次联系/答复 (with the
    department) and 回访 (replied). The decision is taken again on the locked row, so two sweeps running
    at once write and notify each new level once.

    A year without the official schedule is provisional and swept like any other (its deadlines are
    暂定); staff and system administrators get a reminder to enter the State Council's notice 45 days
    before such a year begins (``warn_calendar_gap``). Only a year no table can compute (after 2100)
    leaves appeals untracked, counted under ``uncovered``.
    """
    cal, day = pkg.calendar(), day or pkg.today()
    counts = {"warning": 0, "overdue": 0, "urged": 0, "supervised": 0, "uncovered": 0}
    gaps: set[int] = set(sla.uncovered_years(cal, day, day + CALENDAR_LOOKAHEAD))
    open_qs = Appeal.objects.filter(status__in=SWEPT_STATES, is_paused=False).select_related("lead_department", "fic")
    if ids is not None:  # only these appeals (their deadlines just moved): the rest wait for the regular sweep
        open_qs = open_qs.filter(pk__in=ids)
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
    """Remind FIC staff and system administrators to enter the State Council's notice at /calendar/.

    Work goes on meanwhile: deadlines in those years are 暂定 (statutory holidays only) and are
    recomputed on entry. Once per year ahead of time; once a day per year while appeals cannot be
    tracked at all (only a year no table can compute).
    """
    names = "、".join(_("%(year)s年") % {"year": y} for y in years)
    logger.warning("no official holiday schedule for %s (provisional); %d open appeals not tracked", years, stalled)
    title = _("%(years)s节假日安排尚未录入，办理期限暂按法定节假日计算") % {"years": names}
    body = _(
        "国务院办公厅公布%(years)s部分节假日安排的通知后，请系统管理员在“节假日设置”（/calendar/）粘贴通知全文录入。"
        "录入前诉求照常办理，落在该年的办理期限按《全国年节及纪念日放假办法》的法定节假日暂定计算并标注“暂定”；"
        "录入后，在办诉求的期限自动按正式安排重算，期限有变的经办人会收到通知。"
    ) % {"years": names}
    if stalled:
        body += _("目前有%(count)s件在办诉求无法判断临期、超期。") % {"count": stalled}
    recipients = _users(role__in=["fic_staff", "sys_admin"])
    key = f"calendar-gap:{'-'.join(map(str, years))}" + (f":{day}" if stalled else "")
    transaction.on_commit(
        lambda: notify(recipients, kind="appeals.calendar_gap", title=title, body=body, url="/calendar/", key=key)
    )


# ---------------------------------------------------------------- official schedule entered

# The clocks still running in each state (a met step's deadline is history and never moves).
LIVE_DUES = {
    wf.REGISTERED: ("accept_due",),
    wf.ACCEPTED: ("dispatch_due",),
    wf.ASSIGNED: ("contact_due", "reply_due"),
    wf.CONTACTED: ("reply_due",),
    wf.REPLIED: ("callback_due",),
}
DUE_LABELS = {
    "accept_due": gettext_lazy("受理期限"),
    "dispatch_due": gettext_lazy("交办期限"),
    "contact_due": gettext_lazy("首次联系期限"),
    "reply_due": gettext_lazy("答复期限"),
    "callback_due": gettext_lazy("回访期限"),
}


def _calendar_seen(old, year: int, overrides_before: dict, seen_at, cache: dict):
    """The calendar a deadline saved at ``seen_at`` was computed on: ``old`` without the day-by-day entries
    of ``year`` made after that moment (a deadline computed before an entry never followed it)."""
    if not overrides_before:
        return old
    kept = frozenset(d for d, (_w, at) in overrides_before.items() if seen_at is None or at <= seen_at)
    calendar = cache.get(kept)
    if calendar is None:
        overrides = {d: w for d, w in old.overrides.items() if d not in overrides_before}
        overrides.update({d: overrides_before[d][0] for d in kept})
        calendar = cache[kept] = dataclasses.replace(old, overrides=overrides)
    return calendar


def _moved_due(old: sla.Calendar, new: sla.Calendar, anchor: date, due: date) -> date:
    """``due`` moved from ``old`` to ``new``: the working days left after ``anchor`` on the calendar the
    deadline was computed with, counted again on the new one (days up to ``anchor`` are lived)."""
    remaining = old.workdays_between(anchor, due)
    return new.add_workdays(anchor, remaining) if remaining > 0 else due


def recompute_deadlines(
    year: int,
    *,
    old: sla.Calendar,
    new: sla.Calendar,
    overrides_before: dict | None = None,
    actor=None,
    day: date | None = None,
):
    """The official schedule of ``year`` replaced the provisional one: move every open deadline in it.

    For each open appeal (受理 … 回访, paused ones counted from the day they paused), every running clock
    due on or after 1 January of ``year`` keeps the number of working days it had left and is counted
    again on the new calendar — the old calendar as it was when the appeal was last saved (day-by-day
    entries of the year made later, listed in ``overrides_before``, are left out). A deadline that moves
    is audited (``appeals.recompute_deadlines``), noted in the appeal's history (not shown to the
    enterprise) and its handlers are told: the department for 首次联系/答复, the FIC staff for
    受理/交办/回访. Every deadline in the year loses its 暂定 flag. Closed appeals are not touched.
    Returns ``{"moved": n, "confirmed": m}``.
    """
    day = day or pkg.today()
    first = date(year, 1, 1)
    in_year = Q()
    for name in sla.DUE_FIELDS:
        in_year |= Q(**{f"{name}__gte": first})
    counts = {"moved": 0, "confirmed": 0}
    moved_ids: list[int] = []
    seen_cache: dict = {}
    ids = list(Appeal.objects.filter(in_year, status__in=SWEPT_STATES).values_list("pk", flat=True))
    for pk in ids:
        locked = Appeal.objects.select_for_update(of=("self",)).select_related("fic", "lead_department").get(pk=pk)
        if locked.status not in SWEPT_STATES:
            continue
        anchor = locked.paused_on if locked.is_paused and locked.paused_on else day
        seen = _calendar_seen(old, year, overrides_before or {}, locked.updated_at, seen_cache)
        moves = {}
        for name in LIVE_DUES.get(locked.status, ()):
            if name == "contact_due" and locked.contacted_at is not None:
                continue
            due = getattr(locked, name)
            if due is None or due < first or due <= anchor:
                continue
            moved = _moved_due(seen, new, anchor, due)
            if moved != due:
                moves[name] = (due, moved)
                setattr(locked, name, moved)
        flags = sla.provisional_dues(locked, new)
        if not moves:
            if flags != (locked.provisional_dues or []):
                locked.provisional_dues = flags
                locked.save(update_fields=["provisional_dues", "updated_at"])
                counts["confirmed"] += 1
            continue
        before = {name: old_due.isoformat() for name, (old_due, _new) in moves.items()}
        after = {name: new_due.isoformat() for name, (_old, new_due) in moves.items()}
        locked.save(update_fields=[*moves, "updated_at"])
        comment = "；".join(
            _("%(label)s由%(old)s改为%(new)s") % {"label": DUE_LABELS[n], "old": o, "new": m}
            for n, (o, m) in moves.items()
        )
        reason = _("%(year)s年节假日安排已按国务院办公厅通知录入") % {"year": year}
        audit.record(
            "appeals.recompute_deadlines",
            obj=locked,
            actor=actor,
            before=before,
            after=after,
            message=f"{reason}：{comment}"[:500],
        )
        event = _event(
            locked, actor, "recompute_deadlines", _("期限按正式安排重算"), locked.status, comment, public=False
        )
        if locked.status in FIC_CLOCK_STATES:
            recipients = staff_of(locked)
        else:
            recipients = department_users(locked) or staff_of(locked)
        title = _("办理期限调整：%(number)s（%(changes)s）") % {"number": locked.number, "changes": comment}
        _notify(locked, event, recipients, title[:200], kind="appeals.deadline_moved")
        counts["moved"] += 1
        moved_ids.append(locked.pk)
    if moved_ids:  # 临期/超期 and escalation follow the moved deadlines now, not at the next sweep
        mark_deadlines(day, ids=moved_ids)
    logger.info("recomputed deadlines for %s: %s", year, counts)
    return counts


def on_official_year_entered(sender, *, year, old, new, overrides_before=None, actor=None, **kwargs):
    """Receiver of ``qinqing.core.calendar_actions.official_year_entered`` (connected in apps.ready)."""
    return recompute_deadlines(year, old=old, new=new, overrides_before=overrides_before, actor=actor)
