"""manage.py workdays DATE N: the date N working days after DATE.

Prints the ISO date; when the count runs through a year without an official schedule (provisional:
statutory holidays only) it prints ``YYYY-MM-DD 暂定`` and says why on stderr. Exit status 0 either way;
1 for a bad date, a year no table can compute, or a database that has not been migrated yet.
"""

import datetime as dt
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qinqing.core.calendar_source import database_ready, get_calendar
from qinqing.core.workdays import CalendarNotCovered

NOT_MIGRATED = gettext_lazy("数据库尚未初始化（缺少节假日数据表），请先运行 make migrate 再试。")


class Command(BaseCommand):
    @property
    def help(self) -> str:  # argparse needs a str, not a lazy string
        return _(
            "推算 DATE 之后第 N 个工作日（按法定节假日及调休安排；N 为 0 时取当日或其后第一个工作日）。"
            "涉及尚未录入国务院通知的年份时按法定节假日推算，结果标注“暂定”"
        )

    def add_arguments(self, parser):
        parser.add_argument("date", help=_("起始日期，如 2026-09-30"))
        parser.add_argument("n", type=int, help=_("工作日数，可为负数（向前推算）"))

    def handle(self, *args, date, n, **options):
        try:
            start = dt.date.fromisoformat(date)
        except ValueError:
            raise CommandError(_("日期“%(date)s”格式不正确，应为 YYYY-MM-DD") % {"date": date})
        if not database_ready():
            raise CommandError(str(NOT_MIGRATED))
        calendar = get_calendar()
        try:
            result = calendar.add_workdays(start, n)
        except CalendarNotCovered as exc:
            self.stderr.write(str(exc))
            sys.exit(1)
        if not calendar.any_provisional(start, result):
            self.stdout.write(result.isoformat())
            return
        years = [y for y in range(min(start, result).year, max(start, result).year + 1) if calendar.is_provisional(y)]
        self.stdout.write(f"{result.isoformat()} {_('暂定')}")
        self.stderr.write(
            _(
                "%(years)s年尚未录入国务院办公厅的节假日安排通知，按《全国年节及纪念日放假办法》的法定节假日推算，结果暂定。"
            )
            % {"years": "、".join(map(str, years))}
        )
