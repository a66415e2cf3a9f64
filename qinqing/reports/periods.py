"""Reporting periods from a request: presets 本月 / 本季度 / 本年 / custom, and the comparison periods."""

from __future__ import annotations

import calendar
import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qinqing.core.figures import Period

PRESETS = {"month": _("本月"), "quarter": _("本季度"), "year": _("本年"), "custom": _("自定义")}


def preset(name: str, today: dt.date) -> Period:
    if name == "month":
        return Period(today.replace(day=1), today.replace(day=calendar.monthrange(today.year, today.month)[1]))
    if name == "quarter":
        first = 3 * ((today.month - 1) // 3) + 1
        last = first + 2
        last_day = calendar.monthrange(today.year, last)[1]
        return Period(dt.date(today.year, first, 1), dt.date(today.year, last, last_day))
    return Period.year(today.year)


def previous_month(period: Period) -> Period:
    """The period just before, of the same length in whole months when it is one (环比)."""
    start = period.start
    prev_end = start - dt.timedelta(days=1)
    months = (period.end.year - start.year) * 12 + period.end.month - start.month + 1
    if start.day == 1 and period.end.day == calendar.monthrange(period.end.year, period.end.month)[1]:
        y, m = start.year, start.month - months
        while m < 1:
            m += 12
            y -= 1
        return Period(dt.date(y, m, 1), prev_end)
    return Period(start - (period.end - start) - dt.timedelta(days=1), prev_end)


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def from_params(params) -> tuple[Period, str, list[str]]:
    """(period, preset name, errors): ``?period=month|quarter|year`` or ``?from=…&to=…`` (custom)."""
    today = timezone.localdate()
    errors: list[str] = []
    start, end = _date(params.get("from")), _date(params.get("to"))
    name = params.get("period") or ("custom" if start or end else "year")
    if params.get("from") and start is None:
        errors.append(str(_("起始日期格式应为 YYYY-MM-DD")))
    if params.get("to") and end is None:
        errors.append(str(_("截止日期格式应为 YYYY-MM-DD")))
    if params.get("year") and not (start or end):
        try:
            return Period.year(int(params["year"])), "year", errors
        except ValueError:
            errors.append(str(_("年度应为四位数字")))
    if name == "custom" and start and end:
        if start > end:
            errors.append(str(_("起始日期不能晚于截止日期")))
            return preset("year", today), "year", errors
        return Period(start, end), "custom", errors
    if name not in PRESETS or name == "custom":
        name = "year"
    return preset(name, today), name, errors
