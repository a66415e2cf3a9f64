"""China's working-day calendar (pure: no ORM).

A date is a working day when an administrator's override says so; otherwise when the State Council's
arrangement (package ``chinese_calendar``) makes it a make-up workday (调休上班), or it is Monday to Friday
and not a public holiday.

A year neither the package nor a completed administrator entry covers ("official") is *provisional*: its
days off are the statutory holidays of 《全国年节及纪念日放假办法》 (2024 revision) with their 补假 when one
falls on a weekend (Article 6), computed by the ``holidays`` package; no 调休 is guessed. Work never stops
for want of a notice: ``is_provisional(year)`` tells callers to show the result as 暂定. Only a year the
``holidays`` package cannot compute (outside 1950–2100) raises :class:`CalendarNotCovered`.

Conventions (n working days "after" d, as in 办理时限 "N个工作日内"):

- ``add_workdays(d, n)`` with n > 0: the n-th working day strictly after d (d itself never counts).
- ``add_workdays(d, 0)``: d if it is a working day, else the next working day.
- ``add_workdays(d, n)`` with n < 0: the |n|-th working day strictly before d.
- ``workdays_between(a, b)``: working days in (a, b] — so ``workdays_between(d, add_workdays(d, n)) == n``
  for n > 0; negative when b < a.
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .holiday_notice import tidy_festival_name

ONE_DAY = dt.timedelta(days=1)

# chinese_calendar names its holidays in English.
HOLIDAY_NAMES = {
    "New Year's Day": gettext_lazy("元旦"),
    "Spring Festival": gettext_lazy("春节"),
    "Tomb-sweeping Day": gettext_lazy("清明节"),
    "Labour Day": gettext_lazy("劳动节"),
    "Dragon Boat Festival": gettext_lazy("端午节"),
    "National Day": gettext_lazy("国庆节"),
    "Mid-autumn Festival": gettext_lazy("中秋节"),
    "Anti-Fascist 70th Day": gettext_lazy("中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日"),
}


PROVISIONAL_YEARS = range(1950, 2101)  # what the ``holidays`` package's lunar tables can compute


class CalendarNotCovered(Exception):
    """The holiday arrangement of ``year`` cannot even be estimated (outside ``PROVISIONAL_YEARS``)."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(_("%(year)s年的法定节假日安排尚未录入，请系统管理员在“节假日设置”中录入") % {"year": year})


def statutory_days(year: int) -> dict[dt.date, str]:
    """The provisional days off of ``year``: 《全国年节及纪念日放假办法》 (2024 revision: 元旦 1, 春节 4 from
    除夕, 清明 1, 劳动节 2, 端午 1, 中秋 1, 国庆 3) plus 补假 on the next working day for a holiday falling on a
    Saturday or Sunday (Article 6), from the ``holidays`` package. Days it marks "substituted" (调休 it
    copied from a published notice) are left out: make-up working days are only ever taken from a notice.
    """
    if year not in PROVISIONAL_YEARS:
        raise CalendarNotCovered(year)
    import holidays

    days = holidays.China(years=year, language="zh_CN", categories=("public",))
    english = holidays.China(years=year, language="en_US", categories=("public",))
    result = {}
    for d, name in days.items():
        if "substituted" in english.get(d, "") or d.year != year:
            continue
        result[d] = tidy_festival_name(str(name))
    return result


@dataclass(frozen=True)
class WorkCalendar:
    """Holidays and make-up workdays, administrator overrides, and the years they cover."""

    holidays: Mapping[dt.date, str] = field(default_factory=dict)  # package: days off of a holiday -> name
    makeup_workdays: Mapping[dt.date, str] = field(default_factory=dict)  # package: weekend days worked (调休)
    overrides: Mapping[dt.date, bool] = field(default_factory=dict)  # administrator: date -> is_workday
    covered_years: frozenset[int] = frozenset()
    _provisional: dict = field(default_factory=dict, compare=False, repr=False)  # year -> statutory_days()

    @classmethod
    def build(
        cls,
        *,
        overrides: Mapping[dt.date, bool] | None = None,
        complete_years: Iterable[int] = (),
        use_package: bool = True,
    ) -> "WorkCalendar":
        """The package's arrangement (years it covers) plus overrides; ``complete_years`` are years an
        administrator has entered in full, covered even when the package does not know them."""
        holidays: dict[dt.date, str] = {}
        makeup: dict[dt.date, str] = {}
        years: set[int] = set(complete_years)
        if use_package:
            import chinese_calendar

            holidays = {d: str(HOLIDAY_NAMES.get(str(n), n)) for d, n in chinese_calendar.holidays.items()}
            makeup = {d: str(HOLIDAY_NAMES.get(str(n), n)) for d, n in chinese_calendar.workdays.items()}
            package_years = {d.year for d in holidays}
            years |= set(range(min(package_years), max(package_years) + 1))
        return cls(
            holidays=holidays, makeup_workdays=makeup, overrides=dict(overrides or {}), covered_years=frozenset(years)
        )

    def covers(self, year: int) -> bool:
        """True when ``year`` follows an official arrangement (package or a completed entry)."""
        return year in self.covered_years

    def is_provisional(self, year: int) -> bool:
        """True when ``year`` is computed from the statutory rules only (show results as 暂定)."""
        return year not in self.covered_years

    def any_provisional(self, a: dt.date, b: dt.date) -> bool:
        """Whether counting between a and b (either order) touches a provisional year."""
        lo, hi = sorted((a, b))
        return any(self.is_provisional(y) for y in range(lo.year, hi.year + 1))

    def provisional_days(self, year: int) -> Mapping[dt.date, str]:
        """The statutory days off used for a provisional ``year`` (computed once per calendar)."""
        days = self._provisional.get(year)
        if days is None:
            days = self._provisional[year] = statutory_days(year)
        return days

    def is_workday(self, d: dt.date) -> bool:
        if isinstance(d, dt.datetime):
            d = d.date()
        if d in self.overrides:
            return self.overrides[d]
        if d.year not in self.covered_years:
            return d.weekday() < 5 and d not in self.provisional_days(d.year)
        if d in self.makeup_workdays:
            return True
        return d.weekday() < 5 and d not in self.holidays

    def next_workday(self, d: dt.date) -> dt.date:
        """The first working day strictly after d."""
        d += ONE_DAY
        while not self.is_workday(d):
            d += ONE_DAY
        return d

    def previous_workday(self, d: dt.date) -> dt.date:
        """The last working day strictly before d."""
        d -= ONE_DAY
        while not self.is_workday(d):
            d -= ONE_DAY
        return d

    def add_workdays(self, d: dt.date, n: int) -> dt.date:
        """See the module docstring: n > 0 counts forward from the day after d, 0 rolls d forward to a
        working day, n < 0 counts backward from the day before d."""
        if isinstance(d, dt.datetime):
            d = d.date()
        if n == 0:
            return d if self.is_workday(d) else self.next_workday(d)
        step = self.next_workday if n > 0 else self.previous_workday
        for _count in range(abs(n)):
            d = step(d)
        return d

    def workdays_between(self, a: dt.date, b: dt.date) -> int:
        """Working days in (a, b]; negative (−(working days in (b, a])) when b is before a."""
        if b < a:
            return -self.workdays_between(b, a)
        count, d = 0, a + ONE_DAY
        while d <= b:
            count += self.is_workday(d)
            d += ONE_DAY
        return count

    def package_name(self, d: dt.date) -> str:
        """ "国庆节" for a package holiday or make-up workday of that festival (or a provisional statutory
        day off); "" otherwise."""
        if d.year not in self.covered_years and d.year in PROVISIONAL_YEARS:
            return self.provisional_days(d.year).get(d, "")
        return self.holidays.get(d) or self.makeup_workdays.get(d) or ""
