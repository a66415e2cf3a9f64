"""manage.py workdays DATE N: the date N working days after DATE (exit status 1 when the year is not covered)."""

import datetime as dt
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from qinqing.core.calendar_source import get_calendar
from qinqing.core.workdays import CalendarNotCovered


class Command(BaseCommand):
    @property
    def help(self) -> str:  # argparse needs a str, not a lazy string
        return _("推算 DATE 之后第 N 个工作日（按法定节假日及调休安排；N 为 0 时取当日或其后第一个工作日）")

    def add_arguments(self, parser):
        parser.add_argument("date", help=_("起始日期，如 2026-09-30"))
        parser.add_argument("n", type=int, help=_("工作日数，可为负数（向前推算）"))

    def handle(self, *args, date, n, **options):
        try:
            start = dt.date.fromisoformat(date)
        except ValueError:
            raise CommandError(_("日期“%(date)s”格式不正确，应为 YYYY-MM-DD") % {"date": date})
        try:
            result = get_calendar().add_workdays(start, n)
        except CalendarNotCovered as exc:
            self.stderr.write(str(exc))
            sys.exit(1)
        self.stdout.write(result.isoformat())
