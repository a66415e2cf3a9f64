from datetime import date

import pytest

from qinqing.appeals import sla
from qinqing.core.workdays import WorkCalendar

CAL = WorkCalendar.build()  # the State Council arrangement as shipped by the package (2004–2026)


def test_given_eve_of_national_day_when_adding_one_workday_then_after_the_holiday():
    assert sla.add_workdays(CAL, date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert sla.add_workdays(CAL, date(2026, 9, 29), 3) == date(2026, 10, 9)


def test_given_makeup_saturday_then_it_counts_as_workday():
    # 2026-10-10 (Saturday) is a 调休 workday; 2026-10-11 (Sunday) is not.
    assert sla.add_workdays(CAL, date(2026, 10, 9), 1) == date(2026, 10, 10)
    assert sla.add_workdays(CAL, date(2026, 10, 10), 1) == date(2026, 10, 12)


def test_given_spring_festival_when_three_workdays_then_skips_the_week():
    # 2026-02-14 (Sat) is a make-up workday; 15–23 February are holidays.
    assert sla.add_workdays(CAL, date(2026, 2, 13), 3) == date(2026, 2, 25)


def test_workdays_between_counts_half_open_interval():
    assert sla.workdays_between(CAL, date(2026, 9, 30), date(2026, 10, 8)) == 1
    assert sla.workdays_between(CAL, date(2026, 10, 8), date(2026, 9, 30)) == -1
    assert sla.workdays_between(CAL, date(2026, 3, 2), date(2026, 3, 2)) == 0


def test_given_pause_over_holiday_when_resumed_then_remaining_days_carry_over():
    # Assigned 2026-09-24 with 5 days; 9-25 is 中秋节: 28, 29, 30, 10-08, 10-09 → due 2026-10-09.
    due = sla.add_workdays(CAL, date(2026, 9, 24), 5)
    assert due == date(2026, 10, 9)
    # Paused on 9-28 (Mon): 29, 30, 10-08, 10-09 remain = 4. Resumed 10-12 → 13, 14, 15, 16.
    assert sla.resume_deadline(CAL, due, date(2026, 9, 28), date(2026, 10, 12)) == date(2026, 10, 16)


def test_given_extension_then_deadline_moves_by_workdays():
    due = date(2026, 9, 30)
    assert sla.add_workdays(CAL, due, 2) == date(2026, 10, 9)


def test_deadline_state_and_escalation():
    due = date(2026, 10, 8)
    assert sla.deadline_state(CAL, due, date(2026, 9, 28)) == sla.OK
    assert sla.deadline_state(CAL, due, date(2026, 9, 30)) == sla.WARNING  # one working day left
    assert sla.deadline_state(CAL, due, date(2026, 10, 9)) == sla.OVERDUE
    assert sla.escalation_level(CAL, due, date(2026, 10, 8)) == 0
    assert sla.escalation_level(CAL, due, date(2026, 10, 9)) == 1
    assert sla.escalation_level(CAL, due, date(2026, 10, 10)) == 2


def test_pick_rule_prefers_most_specific():
    general = sla.Rule()
    by_domain = sla.Rule(reply_days=10)
    both = sla.Rule(reply_days=2)
    rules = [(None, None, general), (None, "finance", by_domain), ("complaint", "finance", both)]
    assert sla.pick_rule(rules, "consult", "finance") is by_domain
    assert sla.pick_rule(rules, "complaint", "finance") is both
    assert sla.pick_rule(rules, "consult", "land") is general
    assert sla.pick_rule([], "x", "y") == sla.DEFAULT_RULE


def test_given_unentered_year_when_counting_then_provisional_statutory_days_not_a_refusal():
    # Given a calendar that covers 2026 officially but not 2027
    cal = WorkCalendar.build()
    assert not cal.covers(2027) and cal.is_provisional(2027)
    # When a deadline runs into 2027, then it is computed on 2027's statutory days (元旦 01-01 off)
    assert sla.add_workdays(cal, date(2026, 12, 29), 5) == date(2027, 1, 6)  # 12-30, 12-31, 01-04, 01-05, 01-06
    assert sla.workdays_between(cal, date(2026, 12, 30), date(2027, 1, 5)) == 3
    # And inside a covered year nothing changes
    assert sla.add_workdays(cal, date(2026, 12, 29), 2) == date(2026, 12, 31)


def test_given_a_year_no_table_computes_then_clear_error():
    with pytest.raises(sla.CalendarNotCovered) as exc:
        sla.add_workdays(CAL, date(2100, 12, 29), 5)
    assert exc.value.year == 2101


def test_given_year_entered_by_admin_then_deadline_crosses_new_year():
    cal = WorkCalendar.build(overrides={date(2027, 1, 1): False}, complete_years=[2027])
    assert sla.add_workdays(cal, date(2026, 12, 30), 2) == date(2027, 1, 4)  # 12-31, (元旦), 01-04


def test_uncovered_years_lists_the_gaps_in_a_span():
    assert sla.uncovered_years(CAL, date(2026, 11, 1), date(2026, 12, 31)) == []
    assert sla.uncovered_years(CAL, date(2026, 11, 1), date(2028, 1, 1)) == [2027, 2028]


def test_add_zero_workdays_keeps_the_day():
    assert sla.add_workdays(CAL, date(2026, 10, 3), 0) == date(2026, 10, 3)


def test_default_calendar_matches_package_for_2026(db):
    from qinqing.appeals.actions import calendar

    cal = calendar()
    assert sla.add_workdays(cal, date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert sla.add_workdays(cal, date(2026, 9, 30), 3) == date(2026, 10, 10)  # 调休 Saturday


def test_given_pause_after_deadline_over_national_day_when_resumed_then_still_overdue_by_same_workdays():
    # Given a reply due 2026-09-30 and a pause on 10-08 (one working day late: 10-01…10-07 are holidays)
    due, paused, resumed = date(2026, 9, 30), date(2026, 10, 8), date(2026, 10, 12)
    assert sla.workdays_between(CAL, due, paused) == 1
    # When resumed on Monday 10-12
    new_due = sla.resume_deadline(CAL, due, paused, resumed)
    # Then the deadline is the 调休 Saturday 10-10: one working day overdue on resume, as when paused
    assert new_due == date(2026, 10, 10)
    assert sla.deadline_state(CAL, new_due, resumed) == sla.OVERDUE
    assert sla.workdays_between(CAL, new_due, resumed) == 1
    assert sla.escalation_level(CAL, new_due, resumed) == sla.escalation_level(CAL, due, paused) == 1


def test_given_pause_two_workdays_late_when_resumed_on_makeup_saturday_then_supervision_level_kept():
    # Given due 09-29, paused 10-08: 09-30 and 10-08 are the working days overdue
    due, paused = date(2026, 9, 29), date(2026, 10, 8)
    assert sla.escalation_level(CAL, due, paused) == 2
    # When resumed on the 调休 Saturday 10-10 (a working day)
    new_due = sla.resume_deadline(CAL, due, paused, date(2026, 10, 10))
    # Then it is two working days overdue again (10-09, 10-10 after a due date of 10-08)
    assert new_due == date(2026, 10, 8)
    assert sla.escalation_level(CAL, new_due, date(2026, 10, 10)) == 2


def test_given_overdue_only_over_holiday_when_resumed_then_overdue_not_laundered():
    # Given due 09-30 and a pause during the holiday (10-03): late, but by no working day yet
    due, paused, resumed = date(2026, 9, 30), date(2026, 10, 3), date(2026, 10, 9)
    new_due = sla.resume_deadline(CAL, due, paused, resumed)
    # Then on resume it is overdue all the same: a reply now can never count as on time
    assert new_due < resumed and sla.deadline_state(CAL, new_due, resumed) == sla.OVERDUE


def test_given_pause_on_the_due_day_when_resumed_then_resume_day_is_the_last_day():
    # Paused on 09-30, the due day itself (no working day left), resumed 10-09: due that day, not late yet
    assert sla.resume_deadline(CAL, date(2026, 9, 30), date(2026, 9, 30), date(2026, 10, 9)) == date(2026, 10, 9)


def test_given_pause_before_makeup_saturday_when_resumed_then_makeup_day_counted_as_used_left():
    # Due 10-10 (调休 Saturday), paused 10-09: one working day (10-10) left; resumed 10-12 → 10-13
    assert sla.resume_deadline(CAL, date(2026, 10, 10), date(2026, 10, 9), date(2026, 10, 12)) == date(2026, 10, 13)
