"""Holiday overrides: actions, the cached calendar in force, manage.py workdays, and the 节假日设置 page."""

import datetime as dt
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from qinqing.core import calendar_actions, calendar_source
from qinqing.core.models import AuditEntry, CalendarDay, CalendarYear

D = dt.date
pytestmark = pytest.mark.django_db


def test_given_no_overrides_then_the_calendar_in_force_is_the_package():
    assert calendar_source.add_workdays(D(2026, 9, 30), 3) == D(2026, 10, 10)
    assert calendar_source.next_workday(D(2026, 3, 13)) == D(2026, 3, 16)
    assert calendar_source.workdays_between(D(2026, 3, 13), D(2026, 3, 16)) == 1


def test_given_an_override_added_by_the_action_then_the_cached_calendar_follows(django_assert_max_num_queries):
    saturday = D(2026, 3, 14)
    assert not calendar_source.is_workday(saturday)
    with django_assert_max_num_queries(1):
        calendar_source.get_calendar()  # cached: only the fingerprint query
    day = calendar_actions.set_calendar_day(date=saturday, is_workday=True, name="临时上班", actor=None)
    assert calendar_source.is_workday(saturday)
    calendar_actions.remove_calendar_day(day, actor=None)
    assert not calendar_source.is_workday(saturday)
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == [
        "core.set_calendar_day",
        "core.remove_calendar_day",
    ]


def test_given_an_override_written_elsewhere_then_the_fingerprint_notices_it():
    calendar_source.get_calendar()
    CalendarDay.objects.create(date=D(2026, 3, 16), is_workday=False, name="另一进程写入")
    assert not calendar_source.is_workday(D(2026, 3, 16))


def test_given_a_year_marked_complete_then_it_becomes_covered():
    assert calendar_source.get_calendar().is_provisional(2027)
    assert not calendar_source.is_workday(D(2027, 2, 9))  # provisional: 春节补假
    calendar_actions.set_calendar_day(date=D(2027, 1, 1), is_workday=False, name="元旦", actor=None)
    calendar_actions.mark_year_complete(year=2027, note="国办发明电〔2026〕X号", actor=None)
    assert calendar_source.is_workday(D(2027, 1, 4)) and not calendar_source.is_workday(D(2027, 1, 1))
    assert CalendarYear.objects.get(year=2027).complete and not calendar_source.get_calendar().is_provisional(2027)
    assert calendar_source.is_workday(D(2027, 2, 9))  # official now: only the entered days are off


def test_given_workdays_command_then_it_prints_the_date():
    out = StringIO()
    call_command("workdays", "2026-09-30", "3", stdout=out)
    assert out.getvalue().strip() == "2026-10-10"


def test_given_a_provisional_year_then_the_command_answers_with_the_date_and_provisional():
    out, err = StringIO(), StringIO()
    call_command("workdays", "2026-12-30", "5", stdout=out, stderr=err)  # no SystemExit: exit status 0
    assert out.getvalue().strip() == "2027-01-07 暂定"
    assert "2027年尚未录入国务院办公厅的节假日安排通知" in err.getvalue()
    out = StringIO()
    call_command("workdays", "2028-09-29", "3", stdout=out, stderr=StringIO())
    assert out.getvalue().strip() == "2028-10-09 暂定"  # 国庆 10-01…03 + 中秋 (10-03) + 补假 10-04


def test_given_a_year_no_table_computes_then_the_command_exits_non_zero_with_the_chinese_message():
    err = StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("workdays", "2101-03-01", "5", stdout=StringIO(), stderr=err)
    assert exc.value.code == 1
    assert "2101年的法定节假日安排尚未录入，请系统管理员在“节假日设置”中录入" in err.getvalue()


def test_given_an_unmigrated_database_then_the_command_says_run_make_migrate(monkeypatch):
    from django.core.management import CommandError
    from django.db import connection

    monkeypatch.setattr(connection.introspection, "table_names", lambda *args, **kwargs: [])  # as before migrate
    with pytest.raises(CommandError) as exc:
        call_command("workdays", "2026-12-30", "5", stdout=StringIO(), stderr=StringIO())
    assert "make migrate" in str(exc.value) and "数据库尚未初始化" in str(exc.value)


def test_given_fic_staff_then_calendar_actions_and_page_are_refused(users, login):
    with pytest.raises(PermissionDenied):
        calendar_actions.set_calendar_day(date=D(2026, 3, 14), is_workday=True, actor=users.city_staff)
    assert login(users.city_staff).get("/calendar/").status_code == 403
    assert not CalendarDay.objects.exists()


def test_given_sys_admin_when_using_the_page_then_overrides_are_added_checked_and_removed(users, login):
    client = login(users.sys_admin)
    response = client.get("/calendar/?year=2026")
    assert response.status_code == 200 and not response.context["check_form"].is_bound
    assert {"date": D(2026, 10, 10), "is_workday": True, "name": "国庆节"} in response.context["package_days"]
    response = client.post(
        "/calendar/?year=2026", {"op": "add", "day-date": "2026-03-14", "day-is_workday": "1", "day-name": "补班"}
    )
    assert response.status_code == 302
    day = CalendarDay.objects.get(date=D(2026, 3, 14))
    assert day.is_workday and day.name == "补班"
    response = client.get("/calendar/", {"start": "2026-03-13", "n": 1}, HTTP_HX_REQUEST="true")
    assert response.context["result"]["date"] == D(2026, 3, 14) and "2026-03-14" in response.content.decode()
    response = client.get("/calendar/", {"start": "2027-12-30", "n": 3})
    assert response.context["result"]["provisional"] and "暂定" in response.content.decode()
    assert client.post("/calendar/", {"op": "remove", "pk": day.pk}).status_code == 302
    assert not CalendarDay.objects.exists()
    response = client.post("/calendar/", {"op": "add", "day-date": "", "day-is_workday": "1"})
    assert response.status_code == 200 and response.context["day_form"].errors["date"]
    response = client.post("/calendar/", {"op": "year", "year-year": "2027", "year-complete": "on"})
    assert response.status_code == 302 and CalendarYear.objects.get(year=2027).complete


def test_given_the_navigation_then_sys_admin_sees_the_calendar_item(users, login):
    items = login(users.sys_admin).get("/calendar/").context["nav_items"]
    assert any(i["label"] == "节假日设置" and i["url"] == "/calendar/" for i in items)
