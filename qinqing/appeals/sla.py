"""Appeal deadlines on the Chinese working-day calendar: pure functions on dates and plain rules.

The calendar is the foundation's :class:`qinqing.core.workdays.WorkCalendar` (statutory holidays, 调休
make-up workdays and administrators' overrides); ``actions.calendar()`` gets the one in force. A year
without the State Council's official schedule is *provisional* (statutory holidays only): deadlines in it
are computed all the same, stored with their field names in ``Appeal.provisional_dues`` and shown as 暂定,
and recomputed when the notice is entered (``actions.recompute_deadlines``). Only a year no table can
compute (after 2100) raises :class:`CalendarNotCovered`, which the actions turn into a refusal.

- ``add_workdays(cal, d, n)``: the n-th working day after d (d itself not counted; n = 0 gives d);
- ``workdays_between(cal, a, b)``: working days in (a, b], i.e. how many remain from a until b.

Rules are copied onto the appeal when a clock starts, so changing them later never rewrites history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from qinqing.core.workdays import CalendarNotCovered

__all__ = ["CalendarNotCovered"]

DUE_FIELDS = ("accept_due", "contact_due", "reply_due", "dispatch_due", "callback_due")


class Calendar(Protocol):
    """What the deadline arithmetic needs of a calendar (WorkCalendar provides it)."""

    def covers(self, year: int) -> bool: ...

    def add_workdays(self, d: date, n: int) -> date: ...

    def workdays_between(self, a: date, b: date) -> int: ...


def add_workdays(cal: Calendar, start: date, n: int) -> date:
    """The n-th working day after ``start`` (n ≥ 0; n = 0 gives start itself, working day or not)."""
    return start if n == 0 else cal.add_workdays(start, n)


def workdays_between(cal: Calendar, a: date, b: date) -> int:
    """Working days in (a, b]; negative when b is before a (working days overdue)."""
    return cal.workdays_between(a, b)


def uncovered_years(cal: Calendar, first: date, last: date) -> list[int]:
    """The years from ``first`` to ``last`` (inclusive) whose official arrangement nobody has entered yet
    (provisional: deadlines in them are 暂定)."""
    return [y for y in range(first.year, last.year + 1) if not cal.covers(y)]


def provisional_dues(appeal, cal: Calendar | None = None) -> list[str]:
    """The deadline fields of ``appeal`` that fall in a provisional year (a deadline counted into a year
    is provisional when that year is; the start of a clock is never in a later year than its end)."""
    dues = {f: d for f in DUE_FIELDS if (d := getattr(appeal, f, None)) is not None}
    if not dues:
        return []
    if cal is None:
        from qinqing.core.calendar_source import get_calendar

        cal = get_calendar()
    return [f for f, d in dues.items() if not cal.covers(d.year)]


@dataclass(frozen=True)
class Rule:
    """Time limits in working days. ``warn_days``: warn this many working days before; escalate to
    督办 after ``supervise_after`` working days overdue."""

    accept_days: int = 3
    contact_days: int = 3
    reply_days: int = 5
    warn_days: int = 1
    supervise_after: int = 2
    dispatch_days: int = 2  # 交办: within 2 working days of acceptance (or of a 退回)
    callback_days: int = 3  # 回访: within 3 working days of the department's reply


DEFAULT_RULE = Rule()


def pick_rule(rules: list[tuple[str | None, str | None, Rule]], type_code: str | None, domain_code: str | None) -> Rule:
    """The most specific rule: type+domain, then domain, then type, then the default (None, None)."""
    best: tuple[int, Rule] | None = None
    for r_type, r_domain, rule in rules:
        if r_type not in (None, type_code) or r_domain not in (None, domain_code):
            continue
        score = (2 if r_domain else 0) + (1 if r_type else 0) + (1 if r_type and r_domain else 0)
        if best is None or score > best[0]:
            best = (score, rule)
    return best[1] if best else DEFAULT_RULE


def resume_deadline(cal: Calendar, due: date, paused_on: date, resumed_on: date) -> date:
    """After a pause the clock restarts with the working days that were left when it stopped.

    The day the pause started is counted as used if it was a working day and the deadline is after it.
    Lateness is kept: an appeal paused ``L`` working days after its deadline resumes ``L`` working days
    overdue (at least one calendar day: paused after the deadline, it is overdue on the resume day), so
    a pause can never turn a late contact or reply into an on-time one.
    """
    if resumed_on <= paused_on:
        return due
    if due < paused_on:
        late = workdays_between(cal, due, paused_on)  # working days already overdue when paused
        if late == 0:  # overdue only over a weekend/holiday: still overdue, by the least possible
            return resumed_on - timedelta(days=1)
        # The working day with exactly ``late`` working days in (it, resumed_on].
        return cal.add_workdays(resumed_on + timedelta(days=1), -(late + 1))
    remaining = workdays_between(cal, paused_on, due)
    return add_workdays(cal, resumed_on, remaining) if remaining else max(due, resumed_on)


WARNING = "warning"
OVERDUE = "overdue"
OK = "ok"


def deadline_state(cal: Calendar, due: date | None, today: date, warn_days: int = 1) -> str:
    """ok, warning (≤ warn_days working days left) or overdue (today is past the due date)."""
    if due is None:
        return OK
    if today > due:
        return OVERDUE
    if workdays_between(cal, today, due) <= warn_days:
        return WARNING
    return OK


def escalation_level(cal: Calendar, due: date | None, today: date, supervise_after: int = 2) -> int:
    """0 none, 1 催办 (overdue), 2 督办 (overdue by ``supervise_after`` working days or more)."""
    if due is None or today <= due:
        return 0
    late = workdays_between(cal, due, today)
    return 2 if late >= supervise_after else 1
