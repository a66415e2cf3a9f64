"""manage.py export_enterprises PATH.csv|PATH.xlsx [--org CODE]: the whole register, re-importable.

Run from the command line by an operator, so personal numbers are exported in full (no masking).
"""

from django.core.management.base import BaseCommand, CommandError

from qinqing.registry.exporting import EXPORTS, write_csv, write_xlsx
from qinqing.registry.models import Enterprise


class _FullAccess:
    """The command-line operator sees unmasked numbers (they have shell access to the database anyway)."""

    def has_perm(self, perm):
        return True


class Command(BaseCommand):
    help = "导出企业名录（.csv 或 .xlsx），含计算列“企业规模”"
    kind = "enterprises"
    model = Enterprise

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--org", help="只导出该组织路径下的企业（组织编码）")

    def queryset(self, org):
        qs = self.model.objects.all()
        if org:
            from qinqing.orgs.models import Organization

            node = Organization.objects.filter(code=org).first()
            if node is None:
                raise CommandError(f"未找到组织编码：{org}")
            qs = qs.filter(org_path__startswith=node.path)
        return qs

    def handle(self, *args, path, org, **options):
        columns, rows = EXPORTS[self.kind]
        qs = self.queryset(org)
        data = rows(qs, _FullAccess())
        if path.lower().endswith(".csv"):
            with open(path, "w", encoding="utf-8", newline="") as out:
                write_csv(columns, data, out)
        elif path.lower().endswith(".xlsx"):
            write_xlsx(columns, data, path)
        else:
            raise CommandError("文件名应以 .csv 或 .xlsx 结尾")
        self.stdout.write(f"已导出 {qs.count()} 条到 {path}")
