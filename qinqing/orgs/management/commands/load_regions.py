"""manage.py load_regions [--path CSV]: upsert the GB/T 2260 region table from the committed CSV."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from qinqing.core.context import batch
from qinqing.orgs import regions
from qinqing.orgs.actions import sync_regions


class Command(BaseCommand):
    help = "从 CSV 载入 GB/T 2260 行政区划代码（含已撤销代码及其起止年份），可重复执行"

    def add_arguments(self, parser):
        parser.add_argument("--path", default=str(regions.CSV_PATH), help="CSV 文件路径（默认随程序发布的 gb2260.csv）")

    def handle(self, *args, path, **options):
        try:
            rows = regions.read_csv(path)
        except FileNotFoundError:
            raise CommandError(f"找不到文件：{path}")
        except (ValueError, KeyError) as exc:
            raise CommandError(f"文件格式错误：{exc}")
        try:
            with batch("载入行政区划", None):
                counts = sync_regions(rows)
        except ValidationError as exc:
            raise CommandError("；".join(m for msgs in exc.message_dict.values() for m in msgs))
        self.stdout.write(
            f"行政区划：共 {len(rows)} 条；新增 {counts['created']}，更新 {counts['updated']}，"
            f"删除 {counts['deleted']}，未变 {counts['unchanged']}"
        )
