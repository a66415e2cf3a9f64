"""manage.py export_enterprises PATH.csv|PATH.xlsx [--org CODE] [--unmasked]: the register, re-importable.

ID and mobile numbers are masked (as for staff without registry.view_pii) unless ``--unmasked`` is given.
Every export writes the same ``registry.export`` audit row as the page's export (rows, format, filters and
whether numbers were unmasked), under the operating-system account that ran the command.
"""

import getpass

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from qinqing.core import context
from qinqing.registry import actions
from qinqing.registry.exporting import EXPORTS, write_csv, write_xlsx
from qinqing.registry.models import Enterprise


class _Operator:
    """The command-line operator: may export; sees full numbers only when asked for with --unmasked."""

    pk = None
    org = None

    def __init__(self, unmasked: bool) -> None:
        self.unmasked = unmasked
        self.username = f"cli:{getpass.getuser()}"

    def has_perm(self, perm: str) -> bool:
        return self.unmasked if perm == "registry.view_pii" else True


class Command(BaseCommand):
    @property
    def help(self) -> str:  # argparse needs a str, not a lazy string
        return _("导出企业名录（.csv 或 .xlsx），含计算列“企业规模”；身份证号、手机号默认脱敏")

    kind = "enterprises"
    model = Enterprise

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--org", help=_("只导出该组织路径下的记录（组织编码）"))
        parser.add_argument(
            "--unmasked",
            action="store_true",
            help=_("导出完整的身份证号、手机号（默认脱敏；导出记入审计日志，注明含完整号码）"),
        )

    def queryset(self, org):
        qs = self.model.objects.all()
        if org:
            from qinqing.orgs.models import Organization

            node = Organization.objects.filter(code=org).first()
            if node is None:
                raise CommandError(_("未找到组织编码：%(org)s") % {"org": org})
            qs = qs.filter(org_path__startswith=node.path)
        return qs

    def handle(self, *args, path, org, unmasked, **options):
        columns, rows = EXPORTS[self.kind]
        lower = path.lower()
        if not lower.endswith((".csv", ".xlsx")):
            raise CommandError(_("文件名应以 .csv 或 .xlsx 结尾"))
        qs = self.queryset(org)
        operator = _Operator(unmasked)
        count = qs.count()
        with context.batch(f"cli-export-{self.kind}", user=operator):
            actions.record_export(
                actor=operator,
                kind=self.kind,
                rows=count,
                fmt="csv" if lower.endswith(".csv") else "xlsx",
                filters=f"channel=cli&org={org or ''}",
            )
        data = rows(qs, operator)
        if lower.endswith(".csv"):
            with open(path, "w", encoding="utf-8", newline="") as out:
                write_csv(columns, data, out)
        else:
            write_xlsx(columns, data, path)
        note = _("（含完整号码）") if unmasked else _("（号码已脱敏）")
        self.stdout.write(_("已导出 %(count)s 条到 %(path)s") % {"count": count, "path": path} + note)
