# ruff: noqa: E501 -- benchmark report lines kept on one line
"""The whole leaders' dashboard and figures page, every registered figure a province leader may read, with the
figures of one model evaluated together (qinqing.core.figure_values: one grouped query per model and rollup
table, its SQL built once per figures/scope/periods by core/compiled.py) against the previous per-figure path (one
grouped query per figure counted from its records, the rollups read as before, every statement built by the ORM
on each call), interleaved in one process, equal values asserted before timing, best and worst of ``runs``. A
third side, "together, SQL built", is the new path on a node's first view (its statements not yet compiled); a
fourth, "days only, SQL built", the same first view with the appeal figures read from the daily rollup alone
(before its month twin): compare it with the third.

Run by run.py after its own measurements, or alone on a database filled by someone else, read only (no
migration, no write: the province load test's ``qq_prov_bench``):

    .venv/bin/python bench/registry_figures/pages.py --db postgres://postgres@127.0.0.1:5432/qq_prov_bench --runs 3
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from unittest.mock import patch

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", help="PostgreSQL URL (default: the settings' database, e.g. QINQING_SQLITE_PATH)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if args.db:
        os.environ["DATABASE_URL"] = args.db
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    import machine
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cur:  # read only: nothing this benchmark does may write
            cur.execute("set session characteristics as transaction read only")
    print(machine.state())
    measure(args.runs)


@contextmanager
def uncompiled():
    """Every statement turned into SQL by the ORM on each call (as before core/compiled.py), in a cache of its own."""
    from collections import OrderedDict

    from qinqing.core import compiled

    with patch.object(compiled, "_CACHE", OrderedDict()), patch.object(compiled, "SIZE", 0):
        yield


@contextmanager
def per_figure():
    """The previous path: every figure counted from its records in a query of its own (the rollups as before),
    its SQL built on each call."""
    from qinqing.core import figure_values

    with patch.object(figure_values, "batchable", lambda figure: False), uncompiled():
        yield


@contextmanager
def days_only():
    """The appeal figures read from the daily rollup alone (as before its month twin, appeals_months)."""
    from qinqing.core import figure_values

    with patch.object(figure_values, "month_split", lambda period: (None, [(period.start, period.end)])), uncompiled():
        yield


def _leader(province):
    """A province leader (every figure, 亲清日志's included), or an unsaved one with the same permissions."""
    from qinqing.accounts.models import User

    leader = User.objects.filter(role="fic_leader", org=province, is_active=True).order_by("pk").first()
    return leader or User(username="bench_leader", role="fic_leader", org=province)


def measure(runs: int) -> dict[str, list[float]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from qinqing.core.figures import Period, visible_figures
    from qinqing.orgs.models import Organization
    from qinqing.reports import dashboard, drilldown

    today = dt.date.today()
    period = Period(dt.date(today.year, 1, 1), today)
    province = Organization.objects.filter(kind="fic", parent=None).order_by("pk").first()
    city = Organization.objects.filter(kind="fic", parent=province).order_by("code").first()
    leader = _leader(province)
    figures = visible_figures(leader)
    print(f"pages of {province.name} and {city.name}: {len(figures)} figures (leader {leader.username})")

    def page(node):
        return drilldown.values(figures, node.path, period)

    def board(node):
        return dashboard.build(node, period, user=leader)

    sides = {}
    for label, node in (("province", province), ("city", city)):
        for what, fn in (("dashboard", board), ("figures page", page)):
            new = fn(node)
            with per_figure():
                old = fn(node)
            if what == "dashboard":
                new, old = _shown(new), _shown(old)
            assert new == old, {k: (new[k], old[k]) for k in new if new[k] != old.get(k)}
            with days_only():
                days = fn(node)
            days = _shown(days) if what == "dashboard" else days
            assert new == days, {k: (new[k], days[k]) for k in new if new[k] != days.get(k)}
            with CaptureQueriesContext(connection) as q_new:
                fn(node)
            with per_figure(), CaptureQueriesContext(connection) as q_old:
                fn(node)
            print(
                f"{label} {what}: {len(q_new.captured_queries)} queries (per figure: {len(q_old.captured_queries)}), values equal"
            )
            sides[f"{label} {what} · together"] = lambda fn=fn, node=node: fn(node)

            def old_side(fn=fn, node=node):
                with per_figure():
                    return fn(node)

            sides[f"{label} {what} · per figure"] = old_side

            def first_view(fn=fn, node=node):
                with uncompiled():
                    return fn(node)

            sides[f"{label} {what} · together, SQL built"] = first_view

            def daily(fn=fn, node=node):
                with days_only():
                    return fn(node)

            sides[f"{label} {what} · days only, SQL built"] = daily
    return timed(sides, runs, "together", "per figure")


def timed(sides: dict, runs: int, new: str, old: str, width: int = 52) -> dict[str, list[float]]:
    """``sides`` interleaved ``runs`` times: best and worst of each, and old/new for each pair ``<name> · new|old``."""
    import machine

    print(machine.state())
    times = machine.interleaved(sides, runs)
    print(machine.state())
    print(f"{'side':{width}} {'best ms':>10} {'worst ms':>10}")
    for name, ms in times.items():
        print(f"{name:{width}} {ms[0]:10.1f} {ms[-1]:10.1f}")
    for name in times:
        if name.endswith(f"· {new}"):
            other = name.replace(f"· {new}", f"· {old}")
            print(
                f"{name.replace(f' · {new}', ''):{width}} {old}/{new} best {times[other][0] / times[name][0]:.1f}×, worst {times[other][-1] / times[name][-1]:.1f}×"
            )
    return times


def _shown(data: dict) -> dict:
    return {f["key"]: f for section in data["sections"] for f in section.figures}


if __name__ == "__main__":
    main()
