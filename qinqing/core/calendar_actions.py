"""The only code that writes the holiday calendar (系统管理员, permission core.manage_calendar)."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import audit, calendar_source
from .models import CalendarDay, CalendarYear

PERMISSION = "core.manage_calendar"


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
def mark_year_complete(*, year: int, complete: bool = True, note: str = "", actor) -> CalendarYear:
    """Declare that every holiday and make-up workday of ``year`` has been entered (or withdraw it)."""
    _check(actor)
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("年份应在2000至2100之间")})
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
    return row
