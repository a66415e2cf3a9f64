"""The working-day calendar in force: package arrangement + administrators' overrides from the database.

``get_calendar()`` is cached per process and rebuilt when the overrides change: the calendar actions call
``invalidate()``, and a one-query fingerprint of the override tables catches changes made by other
processes. Get it once per request or batch and reuse it for many dates::

    cal = get_calendar()
    due = cal.add_workdays(received_on, 15)

The module-level helpers below do the same for a single question.
"""

import datetime as dt
import threading

from django.db import connection

from .models import CalendarDay, CalendarYear
from .workdays import CalendarNotCovered, WorkCalendar

__all__ = [
    "CalendarNotCovered",
    "add_workdays",
    "database_ready",
    "get_calendar",
    "invalidate",
    "is_workday",
    "next_workday",
    "workdays_between",
]

_lock = threading.Lock()
_cached: tuple[tuple, WorkCalendar] | None = None


def database_ready() -> bool:
    """Whether the calendar tables exist (False before ``make migrate`` on an empty database)."""
    try:
        names = set(connection.introspection.table_names())
    except Exception:
        return False
    return {CalendarDay._meta.db_table, CalendarYear._meta.db_table} <= names


def _fingerprint() -> tuple:
    days, years = CalendarDay._meta.db_table, CalendarYear._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM {days}), (SELECT MAX(updated_at) FROM {days}), "  # noqa: S608 — table names only
            f"(SELECT COUNT(*) FROM {years}), (SELECT MAX(updated_at) FROM {years})"
        )
        return tuple(str(v) for v in cursor.fetchone())


def _load() -> WorkCalendar:
    overrides = dict(CalendarDay.objects.values_list("date", "is_workday"))
    complete = CalendarYear.objects.filter(complete=True).values_list("year", flat=True)
    return WorkCalendar.build(overrides=overrides, complete_years=list(complete))


def get_calendar() -> WorkCalendar:
    """The calendar in force (1 query when unchanged, 3 when it must be rebuilt)."""
    global _cached
    key = _fingerprint()
    cached = _cached
    if cached is not None and cached[0] == key:
        return cached[1]
    with _lock:
        calendar = _load()
        _cached = (key, calendar)
    return calendar


def invalidate() -> None:
    """Forget the cached calendar (called by the calendar actions after every change)."""
    global _cached
    _cached = None


def is_workday(d: dt.date) -> bool:
    return get_calendar().is_workday(d)


def add_workdays(d: dt.date, n: int) -> dt.date:
    return get_calendar().add_workdays(d, n)


def workdays_between(a: dt.date, b: dt.date) -> int:
    return get_calendar().workdays_between(a, b)


def next_workday(d: dt.date) -> dt.date:
    return get_calendar().next_workday(d)
