"""The State Council notice: parser on the real 2025 and 2026 texts, odd spellings, refusals, the
import_holiday_notice command's output contract, and the 节假日设置 page's preview-then-save."""

import datetime as dt
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from qinqing.core import calendar_source
from qinqing.core.holiday_notice import NoticeError, parse_notice
from qinqing.core.models import AuditEntry, CalendarDay, CalendarYear

D = dt.date
FIXTURES = Path(__file__).parent / "fixtures"
NOTICE_2025 = FIXTURES / "holiday_notice_2025.txt"
NOTICE_2026 = FIXTURES / "holiday_notice_2026.txt"


def _days(year, spans):
    out = []
    for (m1, d1), (m2, d2) in spans:
        d = D(year, m1, d1)
        while d <= D(year, m2, d2):
            out.append(d.isoformat())
            d += dt.timedelta(days=1)
    return out


OFFICIAL = {
    2025: {
        "off": _days(
            2025,
            [
                ((1, 1), (1, 1)),
                ((1, 28), (2, 4)),
                ((4, 4), (4, 6)),
                ((5, 1), (5, 5)),
                ((5, 31), (6, 2)),
                ((10, 1), (10, 8)),
            ],
        ),
        "on": ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"],
    },
    2026: {
        "off": _days(
            2026,
            [
                ((1, 1), (1, 3)),
                ((2, 15), (2, 23)),
                ((4, 4), (4, 6)),
                ((5, 1), (5, 5)),
                ((6, 19), (6, 21)),
                ((9, 25), (9, 27)),
                ((10, 1), (10, 7)),
            ],
        ),
        "on": ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"],
    },
}


@pytest.mark.parametrize("year,path", [(2025, NOTICE_2025), (2026, NOTICE_2026)])
def test_the_real_notices_parse_exactly_to_the_official_days(year, path):
    notice = parse_notice(path.read_text(encoding="utf-8"))
    assert notice.as_json() == {"year": year, **OFFICIAL[year]}
    assert notice.warnings == [] and notice.title == f"国务院办公厅关于{year}年部分节假日安排的通知"
    # and they agree with the chinesecalendar package, which covers both years
    import chinese_calendar

    assert set(notice.off) == {d for d in chinese_calendar.holidays if d.year == year}
    assert set(notice.on) == {d for d in chinese_calendar.workdays if d.year == year}


def test_2025_combined_festival_and_ranges_crossing_a_month():
    notice = parse_notice(NOTICE_2025.read_text(encoding="utf-8"))
    assert notice.off[D(2025, 10, 8)] == "国庆节、中秋节" and notice.on[D(2025, 10, 11)] == "国庆节、中秋节"
    assert notice.off[D(2025, 2, 4)] == "春节" and notice.off[D(2025, 6, 1)] == "端午节"
    assert [i["name"] for i in notice.items] == ["元旦", "春节", "清明节", "劳动节", "端午节", "国庆节、中秋节"]


def test_half_width_punctuation_and_digits_read_the_same():
    full = (
        "国务院办公厅关于２０２６年部分节假日安排的通知\n"
        "一、元旦：１月１日（周四）至３日（周六）放假调休，共３天。１月４日（周日）上班。"
    )
    half = "国务院办公厅关于2026年部分节假日安排的通知\n1、元旦:1月1日(周四)至3日(周六)放假调休,共3天.1月4日(周日)上班."
    assert parse_notice(full).as_json() == {
        "year": 2026,
        "off": ["2026-01-01", "2026-01-02", "2026-01-03"],
        "on": ["2026-01-04"],
    }
    half = half.replace("1、", "一、").replace(".", "。")
    assert parse_notice(half).as_json() == parse_notice(full).as_json()


def test_weekday_and_count_mismatches_are_flagged_not_silently_accepted():
    text = "关于2026年部分节假日安排的通知\n三、清明节：4月4日（周五）至6日（周一）放假，共4天。"
    notice = parse_notice(text)
    assert notice.as_json()["off"] == ["2026-04-04", "2026-04-05", "2026-04-06"]
    assert any("2026-04-04 实为星期六" in w and "周五" in w for w in notice.warnings)
    assert any("共4天" in w and "3天" in w for w in notice.warnings)


@pytest.mark.parametrize(
    "line,why",
    [
        ("二、春节：2月15日（周日）至23日（周一）放假调休，共9天。2月14日（周六）、2月28日（周六）补班。", "2月14日"),
        ("四、劳动节：5月1日至5日放假调休，另行通知。", "另行通知"),
        ("五、端午节：6月31日（周五）放假。", "6月31日不存在"),
    ],
)
def test_a_line_it_cannot_read_refuses_the_whole_text_naming_the_line(line, why):
    text = f"国务院办公厅关于2026年部分节假日安排的通知\n一、元旦：1月1日（周四）放假1天，不调休。\n{line}"
    with pytest.raises(NoticeError) as exc:
        parse_notice(text)
    assert exc.value.line_no == 3 and why in str(exc.value) and "第3行" in str(exc.value)


def test_a_text_without_a_year_or_without_items_is_refused():
    with pytest.raises(NoticeError, match="年份"):
        parse_notice("一、元旦：1月1日（周四）放假1天。")
    with pytest.raises(NoticeError, match="没有读到"):
        parse_notice("国务院办公厅关于2026年部分节假日安排的通知\n各省、自治区、直辖市人民政府：")


def test_command_json_prints_exactly_the_contract_and_dry_run_saves_nothing(db):
    out = StringIO()
    call_command("import_holiday_notice", str(NOTICE_2026), "--dry-run", "--json", stdout=out)
    assert out.getvalue().strip() == json.dumps({"year": 2026, **OFFICIAL[2026]}, ensure_ascii=False)
    assert json.loads(out.getvalue())["off"][:3] == ["2026-01-01", "2026-01-02", "2026-01-03"]
    assert not CalendarDay.objects.exists() and not CalendarYear.objects.exists()


def test_command_saves_the_notice_as_the_official_year(db):
    CalendarDay.objects.create(date=D(2025, 3, 3), is_workday=False, name="旧的手工猜测")
    out = StringIO()
    call_command("import_holiday_notice", str(NOTICE_2025), stdout=out)
    assert "已保存2025年节假日安排" in out.getvalue() and "国庆节、中秋节：放假 10-01" in out.getvalue()
    assert CalendarDay.objects.filter(date__year=2025, is_workday=False).count() == 28
    assert CalendarDay.objects.get(date=D(2025, 9, 28)).name == "国庆节、中秋节调休上班"
    assert not CalendarDay.objects.filter(date=D(2025, 3, 3)).exists()  # the notice is the whole year
    assert CalendarYear.objects.get(year=2025).note == "国务院办公厅关于2025年部分节假日安排的通知"
    entry = AuditEntry.objects.get(action="core.enter_holiday_notice")
    assert entry.after["removed"] == ["2025-03-03"] and len(entry.after["on"]) == 5


def test_command_refuses_an_unreadable_text_and_saves_nothing(db, tmp_path):
    bad = tmp_path / "notice.txt"
    bad.write_text(
        NOTICE_2026.read_text(encoding="utf-8").replace("5月9日（周六）上班", "5月9日（周六）照常上学"),
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as exc:
        call_command("import_holiday_notice", str(bad), stdout=StringIO())
    assert "未保存任何内容" in str(exc.value) and "四、劳动节" in str(exc.value)
    assert not CalendarDay.objects.exists()


def test_command_with_a_weekday_mismatch_saves_only_with_force(db, tmp_path):
    odd = tmp_path / "notice.txt"
    odd.write_text(
        NOTICE_2026.read_text(encoding="utf-8").replace("5月9日（周六）", "5月9日（周日）"), encoding="utf-8"
    )
    err = StringIO()
    with pytest.raises(CommandError, match="--force"):
        call_command("import_holiday_notice", str(odd), stdout=StringIO(), stderr=err)
    assert "2026-05-09 实为星期六" in err.getvalue() and not CalendarDay.objects.exists()
    call_command("import_holiday_notice", str(odd), "--force", stdout=StringIO(), stderr=StringIO())
    assert CalendarDay.objects.get(date=D(2026, 5, 9)).is_workday


def test_page_previews_every_day_then_saves_on_confirmation(db, users, login):
    client = login(users.sys_admin)
    text = NOTICE_2025.read_text(encoding="utf-8")
    response = client.post("/calendar/", {"op": "notice_preview", "notice-text": text})
    assert response.status_code == 200 and not CalendarDay.objects.exists()
    rows = response.context["preview"]["rows"]
    assert len(rows) == 33 and {"date": D(2025, 1, 26), "is_workday": True, "name": "春节"} in rows
    assert "调休上班" in response.content.decode() and "2025-10-08" in response.content.decode()
    response = client.post("/calendar/", {"op": "notice_save", "notice-text": text})  # not confirmed
    assert response.status_code == 200 and not CalendarDay.objects.exists()
    response = client.post("/calendar/", {"op": "notice_save", "notice-text": text, "confirm": "1"})
    assert response.status_code == 302 and CalendarDay.objects.filter(date__year=2025).count() == 33
    assert AuditEntry.objects.filter(action="core.enter_holiday_notice", actor=users.sys_admin).count() == 1


def test_page_shows_the_unreadable_line_and_saves_nothing(db, users, login):
    client = login(users.sys_admin)
    text = "国务院办公厅关于2027年部分节假日安排的通知\n一、元旦：1月1日（周五）放假1天，待定。"
    response = client.post("/calendar/", {"op": "notice_save", "notice-text": text, "confirm": "1"})
    assert response.status_code == 200 and "第2行无法识别" in response.content.decode()
    assert not CalendarDay.objects.exists() and calendar_source.get_calendar().is_provisional(2027)


def test_page_is_refused_to_fic_staff(db, users, login):
    text = NOTICE_2026.read_text(encoding="utf-8")
    response = login(users.city_staff).post("/calendar/", {"op": "notice_save", "notice-text": text, "confirm": "1"})
    assert response.status_code == 403 and not CalendarDay.objects.exists()


def test_api_previews_then_saves_the_notice_and_refuses_others(db, users, login):
    text = NOTICE_2026.read_text(encoding="utf-8")
    client = login(users.sys_admin)

    def post(body):
        return client.post("/api/v1/calendar/notice/", body, content_type="application/json")

    response = post({"text": text})
    assert response.status_code == 200 and response.json() == {
        "year": 2026,
        **OFFICIAL[2026],
        "warnings": [],
        "saved": False,
    }
    assert not CalendarDay.objects.exists()  # dry_run is the default
    bad = text.replace("5月9日（周六）上班", "5月9日（周六）照常上学")
    response = post({"text": bad, "dry_run": False})
    assert response.status_code == 400 and "四、劳动节" in response.json()["text"][0]
    odd = text.replace("5月9日（周六）", "5月9日（周日）")
    response = post({"text": odd, "dry_run": False})
    assert response.status_code == 409 and "实为星期六" in response.json()["detail"]
    assert not CalendarDay.objects.exists()
    response = post({"text": text, "dry_run": False})
    assert response.status_code == 201 and response.json()["saved"] is True
    assert CalendarDay.objects.filter(date__year=2026).count() == 39
    staff = login(users.city_staff)
    response = staff.post("/api/v1/calendar/notice/", {"text": text}, content_type="application/json")
    assert response.status_code == 403


def test_api_counts_workdays_and_says_when_provisional(db, users, login):
    client = login(users.county_staff)
    response = client.get("/api/v1/calendar/workdays/", {"date": "2026-09-30", "n": 3})
    assert response.json() == {"start": "2026-09-30", "n": 3, "date": "2026-10-10", "provisional": False}
    response = client.get("/api/v1/calendar/workdays/", {"date": "2026-12-30", "n": 5})
    assert response.json() == {"start": "2026-12-30", "n": 5, "date": "2027-01-07", "provisional": True}
    assert client.get("/api/v1/calendar/workdays/", {"date": "2026-13-01", "n": 1}).status_code == 400
