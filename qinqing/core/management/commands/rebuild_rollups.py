"""Rebuild rollup tables (qinqing.core.rollups) from their records: all of them, or the named ones."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from qinqing.core import rollups


class Command(BaseCommand):
    @property
    def help(self) -> str:  # argparse needs a str, not a lazy string
        return _("从业务记录重建汇总表（批量导入数据后或核对时使用）")

    def add_arguments(self, parser):
        parser.add_argument("names", nargs="*", help=_("汇总表名称（默认：全部已登记的汇总表）"))

    def handle(self, *args, names, **options):
        known = {r.name: r for r in rollups.all_rollups()}
        unknown = sorted(set(names) - set(known))
        if unknown:
            raise CommandError(f"unknown rollup(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        for name in names or sorted(known):
            t0 = time.perf_counter()
            written = known[name].rebuild()
            self.stdout.write(f"{name}: {written} rows in {time.perf_counter() - t0:.1f} s")
