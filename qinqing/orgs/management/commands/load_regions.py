"""manage.py load_regions [--path CSV]: upsert the GB/T 2260 region table from the committed CSV."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from qinqing.core.context import batch
from qinqing.orgs import regions
from qinqing.orgs.actions import sync_regions


class Command(BaseCommand):
    @property
    def help(self) -> str:  # argparse needs a str, not a lazy string
        return _("从 CSV 载入 GB/T 2260 行政区划代码（含已撤销代码及其起止年份），可重复执行")

    def add_arguments(self, parser):
        parser.add_argument(
            "--path", default=str(regions.CSV_PATH), help=_("CSV 文件路径（默认随程序发布的 gb2260.csv）")
        )

    def handle(self, *args, path, **options):
        try:
            rows = regions.read_csv(path)
        except FileNotFoundError:
            raise CommandError(_("找不到文件：%(path)s") % {"path": path})
        except (ValueError, KeyError) as exc:
            raise CommandError(_("文件格式错误：%(error)s") % {"error": exc})
        try:
            with batch("load_regions", None):
                counts = sync_regions(rows)
        except ValidationError as exc:
            raise CommandError("；".join(m for msgs in exc.message_dict.values() for m in msgs))
        self.stdout.write(
            _("行政区划：共 %(total)s 条；新增 %(created)s，更新 %(updated)s，删除 %(deleted)s，未变 %(unchanged)s")
            % {"total": len(rows), **counts}
        )
