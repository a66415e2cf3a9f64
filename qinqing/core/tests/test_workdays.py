"""The pure working-day calendar: package arrangement, overrides, coverage, and its conventions."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qinqing.core.workdays import CalendarNotCovered, WorkCalendar

D = dt.date
CAL = WorkCalendar.build()


def test_given_the_eve_of_national_day_2026_when_adding_3_workdays_then_the_makeup_saturday_is_reached():
    assert CAL.add_workdays(D(2026, 9, 30), 3) == D(2026, 10, 10)
    assert CAL.is_workday(D(2026, 10, 10)) and D(2026, 10, 10).weekday() == 5
    assert not any(CAL.is_workday(D(2026, 10, day)) for day in range(1, 8))


def test_given_spring_festival_2026_then_holidays_and_makeup_workdays_follow_the_arrangement():
    assert all(not CAL.is_workday(D(2026, 2, day)) for day in range(15, 24))  # 2月15日—23日 放假
    assert CAL.is_workday(D(2026, 2, 14)) and CAL.is_workday(D(2026, 2, 28))  # 两个周六调休上班
    assert CAL.add_workdays(D(2026, 2, 13), 1) == D(2026, 2, 14)
    assert CAL.add_workdays(D(2026, 2, 14), 1) == D(2026, 2, 24)
    assert CAL.workdays_between(D(2026, 2, 13), D(2026, 2, 28)) == 6  # 14日, 24—27日, 28日
    assert CAL.package_name(D(2026, 2, 17)) == "春节"


def test_given_an_ordinary_weekend_then_it_is_skipped():
    friday = D(2026, 3, 13)
    assert not CAL.is_workday(D(2026, 3, 14)) and not CAL.is_workday(D(2026, 3, 15))
    assert CAL.next_workday(friday) == D(2026, 3, 16)
    assert CAL.add_workdays(friday, 1) == D(2026, 3, 16)


def test_given_n_zero_then_a_workday_stays_and_a_holiday_rolls_forward():
    assert CAL.add_workdays(D(2026, 3, 13), 0) == D(2026, 3, 13)
    assert CAL.add_workdays(D(2026, 3, 14), 0) == D(2026, 3, 16)


def test_given_a_negative_n_then_counting_goes_backwards():
    assert CAL.add_workdays(D(2026, 10, 8), -1) == D(2026, 9, 30)
    assert CAL.workdays_between(D(2026, 10, 8), D(2026, 9, 30)) == -1


def test_given_an_override_making_a_saturday_a_workday_then_it_counts():
    saturday = D(2026, 3, 14)
    cal = WorkCalendar.build(overrides={saturday: True})
    assert cal.is_workday(saturday)
    assert cal.add_workdays(D(2026, 3, 13), 1) == saturday


def test_given_an_override_making_a_weekday_a_holiday_then_it_is_skipped():
    cal = WorkCalendar.build(overrides={D(2026, 3, 16): False})
    assert cal.add_workdays(D(2026, 3, 13), 1) == D(2026, 3, 17)


def test_given_an_unentered_year_then_it_is_provisional_from_the_statutory_rules():
    # 2027 is in neither chinesecalendar 1.11 nor the database: weekends + statutory days + 补假
    assert CAL.is_provisional(2027) and not CAL.covers(2027) and not CAL.is_provisional(2026)
    assert CAL.add_workdays(D(2026, 12, 30), 5) == D(2027, 1, 7)  # 12-31, (元旦 01-01, weekend), 01-04…07
    days = CAL.provisional_days(2027)
    assert sorted(d for d, n in days.items() if n.startswith("春节")) == [D(2027, 2, d) for d in range(5, 11)]
    assert days[D(2027, 2, 9)] == "春节补假"  # 除夕 Fri, 初一—初三 Fri–Mon: two weekend days make up Tue, Wed
    assert sorted(d for d, n in days.items() if n.startswith("国庆节")) == [D(2027, 10, d) for d in range(1, 6)]
    assert len([n for n in days.values() if "补假" not in n]) == 13  # 元旦1 春节4 清明1 劳动2 端午1 中秋1 国庆3
    assert not CAL.is_workday(D(2027, 6, 9)) and CAL.is_workday(D(2027, 6, 10))  # 端午
    assert CAL.any_provisional(D(2026, 12, 30), D(2027, 1, 7)) and not CAL.any_provisional(
        D(2026, 1, 1), D(2026, 12, 31)
    )


def test_given_a_year_no_table_can_compute_then_a_clear_chinese_error_is_raised():
    with pytest.raises(CalendarNotCovered) as exc:
        CAL.is_workday(D(2101, 5, 3))
    assert exc.value.year == 2101
    assert str(exc.value) == "2101年的法定节假日安排尚未录入，请系统管理员在“节假日设置”中录入"


def test_given_a_year_marked_complete_then_it_is_covered_with_its_overrides():
    cal = WorkCalendar.build(overrides={D(2027, 1, 1): False}, complete_years=[2027])
    assert not cal.is_workday(D(2027, 1, 1)) and cal.is_workday(D(2027, 1, 4))
    assert cal.add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 4)


def test_given_an_override_in_a_provisional_year_then_it_wins_and_the_year_stays_provisional():
    cal = WorkCalendar.build(overrides={D(2027, 1, 2): True, D(2027, 1, 4): False})
    assert cal.is_workday(D(2027, 1, 2)) and not cal.is_workday(D(2027, 1, 4))
    assert cal.is_provisional(2027) and cal.is_workday(D(2027, 1, 5))


dates = st.dates(min_value=D(2005, 1, 1), max_value=D(2026, 9, 30))


@settings(max_examples=200, deadline=None)
@given(start=dates, n=st.integers(min_value=0, max_value=40), extra=st.integers(min_value=0, max_value=20))
def test_property_add_workdays_is_monotonic_and_lands_on_a_workday(start, n, extra):
    first, later = CAL.add_workdays(start, n), CAL.add_workdays(start, n + extra)
    assert CAL.is_workday(first) and CAL.is_workday(later)
    assert first >= start and later >= first
    assert (later > first) == (extra > 0)
    if n > 0:
        assert first > start and CAL.workdays_between(start, first) == n
