"""Appeal deadlines on the Chinese working-day calendar: pure functions on dates and plain rules.

The calendar is anything with ``is_workday(date) -> bool`` (the foundation's WorkCalendar, or the
package adapter below until it is present). Working-day arithmetic:

- ``add_workdays(d, n)``: the n-th working day after d (d itself not counted);
- ``workdays_between(a, b)``: working days in (a, b], i.e. how many remain from a until b.

Rules are copied onto the appeal when a clock starts, so changing them later never rewrites history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol


class Calendar(Protocol):
    def is_workday(self, d: date) -> bool: ...


class PackageCalendar:
    """Adapter over the ``chinese_calendar`` package (statutory holidays and 调休 make-up workdays)."""

    def is_workday(self, d: date) -> bool:
        import chinese_calendar

        try:
            return chinese_calendar.is_workday(d)
        except NotImplementedError:
            return d.weekday() < 5  # years the package does not cover yet: plain weekdays


class FallbackCalendar:
    """The foundation's calendar; a year nobody has entered yet counts plain weekdays instead of failing,
    so registering an appeal never breaks on a missing holiday arrangement (the admin page flags it)."""

    def __init__(self, inner) -> None:
        self.inner = inner

    def is_workday(self, d: date) -> bool:
        try:
            return self.inner.is_workday(d)
        except Exception as exc:  # CalendarNotCovered
            if type(exc).__name__ != "CalendarNotCovered":
                raise
            return d.weekday() < 5


def default_calendar() -> Calendar:
    """The foundation's calendar (admin overrides included) when installed, else the package."""
    try:
        from qinqing.core.calendar_source import get_calendar  # type: ignore[import-not-found]
    except ImportError:
        return PackageCalendar()
    return FallbackCalendar(get_calendar())


def add_workdays(cal: Calendar, start: date, n: int) -> date:
    """The n-th working day after ``start`` (n ≥ 0; n = 0 gives start itself)."""
    d = start
    remaining = n
    while remaining > 0:
        d += timedelta(days=1)
        if cal.is_workday(d):
            remaining -= 1
    return d


def workdays_between(cal: Calendar, a: date, b: date) -> int:
    """Working days in (a, b]; negative when b is before a (working days overdue)."""
    if b == a:
        return 0
    sign = 1
    if b < a:
        a, b, sign = b, a, -1
    count = 0
    d = a
    while d < b:
        d += timedelta(days=1)
        if cal.is_workday(d):
            count += 1
    return sign * count


@dataclass(frozen=True)
class Rule:
    """Time limits in working days. ``warn_days``: warn this many working days before; escalate to
    督办 after ``supervise_after`` working days overdue."""

    accept_days: int = 3
    contact_days: int = 3
    reply_days: int = 5
    warn_days: int = 1
    supervise_after: int = 2


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
    """
    remaining = max(workdays_between(cal, paused_on, due), 0)
    if resumed_on <= paused_on:
        return due
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
