"""Rebuild rollup tables (qinqing.core.rollups) from their records: all of them, or the named ones."""

import time

from django.core.management.base import BaseCommand, CommandError

from qinqing.core import rollups


class Command(BaseCommand):
    help = "Rebuild the rollup tables from the records (after bulk loads or to check them)."

    def add_arguments(self, parser):
        parser.add_argument("names", nargs="*", help="rollup names (default: every registered rollup)")

    def handle(self, *args, names, **options):
        known = {r.name: r for r in rollups.all_rollups()}
        unknown = sorted(set(names) - set(known))
        if unknown:
            raise CommandError(f"unknown rollup(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        for name in names or sorted(known):
            t0 = time.perf_counter()
            written = known[name].rebuild()
            self.stdout.write(f"{name}: {written} rows in {time.perf_counter() - t0:.1f} s")
