"""manage.py import_holiday_notice PATH [--dry-run] [--json] [--force]: enter a State Council notice.

Reads 国务院办公厅关于YYYY年部分节假日安排的通知 from PATH (UTF-8 text, "-" for stdin) with
``qinqing.core.holiday_notice``; prints every day off and make-up working day, then saves them as that
year's official schedule (audited; open deadlines in a provisional year are recomputed). ``--dry-run``
saves nothing. ``--json`` prints exactly ``{"year": 2026, "off": [...], "on": [...]}`` (sorted ISO dates:
``off`` every date inside the announced 放假 ranges, ``on`` every announced 上班 date). A text it cannot
read fully is refused with the line it could not read (exit 1, nothing saved); a weekday that does not
match its date is printed as a warning and blocks saving unless ``--force``.
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from qinqing.core import calendar_actions
from qinqing.core.calendar_source import database_ready
from qinqing.core.holiday_notice import NoticeError, parse_notice

from .workdays import NOT_MIGRATED


class Command(BaseCommand):
    @property
    def help(self) -> str:  # argparse needs a str, not a lazy string
        return _("录入国务院办公厅节假日安排通知：读取通知全文，列出放假日和调休上班日并保存为该年正式安排")

    def add_arguments(self, parser):
        parser.add_argument("path", help=_("通知全文的文本文件（UTF-8），“-”表示从标准输入读取"))
        parser.add_argument("--dry-run", action="store_true", help=_("只解析和显示，不保存"))
        parser.add_argument("--json", action="store_true", help=_("以 JSON 输出年份、放假日和上班日"))
        parser.add_argument("--force", action="store_true", help=_("星期与日期不符时仍然保存"))

    def handle(self, *args, path, dry_run, force, **options):
        as_json = options["json"]
        try:
            text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(_("无法读取文件“%(path)s”：%(error)s") % {"path": path, "error": exc}) from exc
        if not dry_run and not database_ready():
            raise CommandError(str(NOT_MIGRATED))
        try:
            notice = parse_notice(text)
        except NoticeError as exc:
            raise CommandError(_("通知未能完整识别，未保存任何内容。%(error)s") % {"error": exc}) from exc
        for warning in notice.warnings:
            self.stderr.write(_("注意：%(warning)s") % {"warning": warning})
        if as_json:
            self.stdout.write(_json_dumps(notice.as_json()))
        else:
            self._print(notice)
        if dry_run:
            return
        if notice.warnings and not force:
            raise CommandError(_("通知中有需要核对的地方（见上），未保存。核对无误后加 --force 保存。"))
        row = calendar_actions.enter_holiday_notice(notice, actor=None)
        if not as_json:
            self.stdout.write(_("已保存%(year)s年节假日安排（依据：%(note)s）") % {"year": row.year, "note": row.note})

    def _print(self, notice):
        self.stdout.write(notice.title or _("%(year)s年节假日安排") % {"year": notice.year})
        for item in notice.items:
            off = "、".join(f"{d:%m-%d}" for d in item["off"])
            line = _("%(name)s：放假 %(off)s（%(n)s天）") % {"name": item["name"], "off": off, "n": len(item["off"])}
            if item["on"]:
                line += _("；上班 %(on)s") % {"on": "、".join(f"{d:%m-%d}" for d in item["on"])}
            self.stdout.write(line)
        self.stdout.write(_("合计放假%(off)s天，调休上班%(on)s天") % {"off": len(notice.off), "on": len(notice.on)})


def _json_dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)
