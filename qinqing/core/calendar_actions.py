"""The only code that writes the holiday calendar (系统管理员, permission core.manage_calendar)."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils.translation import gettext as _

from . import audit, calendar_source
from .holiday_notice import Notice
from .models import CalendarDay, CalendarYear

PERMISSION = "core.manage_calendar"

# Sent inside the entering transaction when an official schedule replaces a provisional year, with
# ``year``, ``old`` and ``new`` (WorkCalendar before and after), ``overrides_before`` ({date: (is_workday,
# updated_at)} of the year's day-by-day entries before the change, so a receiver can tell which of them a
# deadline computed at some time already followed) and ``actor``. Receivers (the appeals' deadline
# recompute) run in the same transaction: if one fails, nothing is entered.
official_year_entered = Signal()


def _year_overrides(year: int) -> dict:
    rows = CalendarDay.objects.filter(date__year=year).values_list("date", "is_workday", "updated_at")
    return {d: (is_workday, at) for d, is_workday, at in rows}


def _check(actor) -> None:
    if actor is not None and not actor.has_perm(PERMISSION):
        raise PermissionDenied(_("您的账号没有维护节假日的权限"))


@transaction.atomic
def set_calendar_day(*, date: dt.date, is_workday: bool, name: str = "", actor) -> CalendarDay:
    """Add or replace the override for one date: a holiday (休息) or a make-up workday (上班)."""
    _check(actor)
    if date is None:
        raise ValidationError({"date": _("请填写日期")})
    name = (name or "").strip()
    if len(name) > 50:
        raise ValidationError({"name": _("名称不能超过50个字")})
    day = CalendarDay.objects.filter(date=date).first()
    before = audit.snapshot(day, ["date", "is_workday", "name"]) if day else None
    if day is None:
        day = CalendarDay.objects.create(date=date, is_workday=is_workday, name=name)
    else:
        day.is_workday, day.name = is_workday, name
        day.save(update_fields=["is_workday", "name", "updated_at"])
    after = audit.snapshot(day, ["date", "is_workday", "name"])
    audit.record("core.set_calendar_day", obj=day, actor=actor, before=before, after=after)
    transaction.on_commit(calendar_source.invalidate)
    calendar_source.invalidate()
    return day


@transaction.atomic
def remove_calendar_day(day: CalendarDay, *, actor) -> None:
    """Drop an override: the date goes back to the State Council arrangement (or plain weekday rules)."""
    _check(actor)
    before = audit.snapshot(day, ["date", "is_workday", "name"])
    audit.record("core.remove_calendar_day", obj=day, actor=actor, before=before)
    day.delete()
    transaction.on_commit(calendar_source.invalidate)
    calendar_source.invalidate()


@transaction.atomic
@audit.written_at_end()  # the deadline recompute locks open appeals one by one: the chain head is taken last
def mark_year_complete(*, year: int, complete: bool = True, note: str = "", actor) -> CalendarYear:
    """Declare that every holiday and make-up workday of ``year`` has been entered (or withdraw it).

    Completing a provisional year makes it official: open deadlines in it are recomputed (signal)."""
    _check(actor)
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("年份应在2000至2100之间")})
    old, overrides_before = calendar_source.get_calendar(), _year_overrides(year)
    row = CalendarYear.objects.filter(year=year).first()
    before = audit.snapshot(row, ["year", "complete", "note"]) if row else None
    if row is None:
        row = CalendarYear.objects.create(year=year, complete=complete, note=note.strip())
    else:
        row.complete, row.note = complete, note.strip() or row.note
        row.save(update_fields=["complete", "note", "updated_at"])
    audit.record(
        "core.mark_calendar_year",
        obj=row,
        actor=actor,
        before=before,
        after=audit.snapshot(row, ["year", "complete", "note"]),
    )
    transaction.on_commit(calendar_source.invalidate)
    calendar_source.invalidate()
    if complete and old.is_provisional(year):
        official_year_entered.send(
            sender=CalendarYear,
            year=year,
            old=old,
            new=calendar_source.get_calendar(),
            overrides_before=overrides_before,
            actor=actor,
        )
    return row


@transaction.atomic
@audit.written_at_end()  # as mark_year_complete
def enter_holiday_notice(notice: Notice, *, actor) -> CalendarYear:
    """Save a parsed State Council notice as the official schedule of ``notice.year``.

    Every day off and make-up working day of the notice becomes an override (名称 = the festival); the
    year's other overrides (a provisional guess or an earlier entry) are removed, since the notice is the
    whole arrangement; the year is marked complete with the notice's title as 依据. One audit entry
    lists what was saved and removed. When the year was provisional, the open deadlines in it are
    recomputed in the same transaction (``official_year_entered``).
    """
    _check(actor)
    year = notice.year
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("年份应在2000至2100之间")})
    old, overrides_before = calendar_source.get_calendar(), _year_overrides(year)
    wanted = {
        **{d: (False, n) for d, n in notice.off.items()},
        **{d: (True, (_("%(name)s调休上班") % {"name": n})[:50]) for d, n in notice.on.items()},
    }
    existing = {day.date: day for day in CalendarDay.objects.select_for_update().filter(date__year=year)}
    removed = sorted(d for d in existing if d not in wanted)
    CalendarDay.objects.filter(date__in=removed).delete()
    changed = []
    for d, (is_workday, name) in sorted(wanted.items()):
        day = existing.get(d)
        if day is None:
            CalendarDay.objects.create(date=d, is_workday=is_workday, name=name[:50])
            changed.append(d)
        elif (day.is_workday, day.name) != (is_workday, name[:50]):
            day.is_workday, day.name = is_workday, name[:50]
            day.save(update_fields=["is_workday", "name", "updated_at"])
            changed.append(d)
    note = (notice.title or _("国务院办公厅关于%(year)s年部分节假日安排的通知") % {"year": year})[:200]
    row, _created = CalendarYear.objects.get_or_create(year=year, defaults={"complete": True, "note": note})
    before = {"complete": row.complete, "note": row.note} if not _created else None
    row.complete, row.note = True, note
    row.save(update_fields=["complete", "note", "updated_at"])
    audit.record(
        "core.enter_holiday_notice",
        obj=row,
        actor=actor,
        before=before,
        after={
            "year": year,
            "note": note,
            "off": [d.isoformat() for d in sorted(notice.off)],
            "on": [d.isoformat() for d in sorted(notice.on)],
            "removed": [d.isoformat() for d in removed],
            "changed": len(changed),
            "warnings": list(notice.warnings),
        },
    )
    transaction.on_commit(calendar_source.invalidate)
    calendar_source.invalidate()
    if old.is_provisional(year):
        official_year_entered.send(
            sender=CalendarYear,
            year=year,
            old=old,
            new=calendar_source.get_calendar(),
            overrides_before=overrides_before,
            actor=actor,
        )
    return row
