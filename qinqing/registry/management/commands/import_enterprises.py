"""manage.py import_enterprises PATH [--dry-run] [--strict] [--errors-out PATH.csv] [--org CODE]"""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from qinqing.core import context
from qinqing.orgs.models import Organization
from qinqing.registry.importing.runner import run_import
from qinqing.registry.tasks import write_errors_csv


class Command(BaseCommand):
    @property
    def help(self) -> str:  # argparse needs a str, not a lazy string
        return _("导入企业名录（.xlsx/.xls/.csv），按统一社会信用代码新增或更新")

    kind = "enterprises"

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--dry-run", action="store_true", help=_("只预检，不写入"))
        parser.add_argument("--strict", action="store_true", help=_("有任何错误行则整个文件不导入"))
        parser.add_argument("--errors-out", help=_("错误明细 CSV（行号,列,值,原因）"))
        parser.add_argument("--org", help=_("导入到的工商联组织编码（默认：最上级工商联）"))

    def handle(self, *args, path, dry_run, strict, errors_out, org, **options):
        if not Path(path).exists():
            raise CommandError(_("文件不存在：%(path)s") % {"path": path})
        if org:
            node = Organization.objects.filter(code=org).first()
            if node is None:
                raise CommandError(_("未找到组织编码：%(code)s") % {"code": org})
        else:
            node = Organization.objects.filter(kind="fic").order_by("path").first()
            if node is None:
                raise CommandError(_("尚无工商联组织，请先建立组织树"))
        started = time.perf_counter()
        with context.batch(f"cli-import-{self.kind}"):
            report = run_import(self.kind, path, org=node, dry_run=dry_run, strict=strict)
        elapsed = time.perf_counter() - started
        if errors_out:
            write_errors_csv(report, Path(errors_out))
        self.stdout.write(report.summary())
        for issue in report.errors[:20]:
            self.stdout.write(
                _("  第%(row)s行 %(column)s「%(value)s」：%(reason)s")
                % {"row": issue.row, "column": issue.column, "value": issue.value, "reason": issue.reason}
            )
        if len(report.errors) > 20:
            if errors_out:
                self.stdout.write(
                    _("  ……共%(count)s条错误，见 %(path)s") % {"count": len(report.errors), "path": errors_out}
                )
            else:
                self.stdout.write(_("  ……共%(count)s条错误") % {"count": len(report.errors)})
        self.stdout.write(_("用时 %(seconds).2f 秒") % {"seconds": elapsed})
        if report.fatal:
            raise CommandError(report.fatal)
