# ruff: noqa: E501 -- benchmark report lines kept on one line
"""The whole leaders' dashboard and figures page, every registered figure a province leader may read, with the
figures of one model evaluated together (qinqing.core.figure_values: one grouped query per model and rollup
table, its SQL built once per figures/scope/periods by core/compiled.py) against the previous per-figure path (one
grouped query per figure counted from its records, the rollups read as before, every statement built by the ORM
on each call), interleaved in one process, equal values asserted before timing, best and worst of ``runs``. A
third side, "together, SQL built", is the new path on a node's first view (its statements not yet compiled); a
fourth, "days only, SQL built", the same first view with the appeal figures read from the daily rollup alone
(before its month twin): compare it with the third.

Then (``--snapshots``, the default) the pages as a leader's request gets them (qinqing.reports.snapshots: the view,
its template and every query, through a RequestFactory request): "live" counts in the request (the threshold
above any count), "snapshot, first view" counts and keeps the values (threshold 0), "snapshot, repeat view"
reads them back (one cache read). The snapshots are kept in Redis under a prefix of this run's own (the database
is read only; ``--redis``), and deleted at the end.

Run by run.py after its own measurements, or alone on a database filled by someone else, read only (no
migration, no write: the province load test's ``qq_prov_bench``):

    .venv/bin/python bench/registry_figures/pages.py --db postgres://postgres@127.0.0.1:5432/qq_prov_bench --runs 3
    .venv/bin/python bench/registry_figures/pages.py --db ... --runs 3 --only-snapshots   # the page sides alone
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
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0", help="where the snapshot sides keep values")
    parser.add_argument("--no-snapshots", action="store_true", help="skip the page sides (live / snapshot)")
    parser.add_argument("--only-snapshots", action="store_true", help="the page sides alone")
    args = parser.parse_args()
    if args.db:
        os.environ["DATABASE_URL"] = args.db
    if not args.no_snapshots:  # a cache of this run's own: the database is read only, and no one else's keys
        os.environ["QINQING_REDIS_URL"] = args.redis
        os.environ["QINQING_CACHE_PREFIX"] = f"qq_figs_bench_{os.getpid()}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    import machine
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cur:  # read only: nothing this benchmark does may write
            cur.execute("set session characteristics as transaction read only")
    print(machine.state())
    if not args.only_snapshots:
        measure(args.runs)
    if not args.no_snapshots:
        measure_pages(args.runs)


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


def measure_pages(runs: int) -> dict[str, list[float]]:
    """The dashboard and figures page as views (template included) of a province and a city leader: counted live
    in the request, counted and kept (a snapshot's first view), and read back from the snapshot (repeat views)."""
    from django.core.cache import cache
    from django.test import RequestFactory
    from django.test.utils import override_settings

    from qinqing.core.figures import visible_figures
    from qinqing.orgs.models import Organization
    from qinqing.reports import snapshots, views
    from qinqing.reports.periods import from_params

    province = Organization.objects.filter(kind="fic", parent=None).order_by("pk").first()
    city = Organization.objects.filter(kind="fic", parent=province).order_by("code").first()
    factory, sides, keys = RequestFactory(), {}, []
    live, kept = override_settings(QINQING_FIGURES_SNAPSHOT_MS=10**9), override_settings(QINQING_FIGURES_SNAPSHOT_MS=0)
    for label, node in (("province", province), ("city", city)):
        leader = _leader(node)
        for page, view, path in (
            ("dashboard", views.dashboard, "/reports/"),
            ("figures page", views.figures_page, "/reports/figures/"),
        ):
            name = "dashboard" if page == "dashboard" else "figures"
            target = snapshots.Target(name, node, from_params({})[0], tuple(visible_figures(leader)))
            keys.append(target.key())

            def request(view=view, path=path, leader=leader, node=node):
                req = factory.get(path, {"org": node.code})
                req.user = leader
                response = view(req)
                assert response.status_code == 200, response.status_code
                return response

            with live:
                shown_live = request().content.decode()
            with kept:
                cache.delete(target.key())
                request()  # counted and kept
                shown_kept = request().content.decode()
            assert 'data-snapshot="0"' in shown_live and 'data-snapshot="1"' in shown_kept
            assert _numbers(shown_live) == _numbers(shown_kept), f"{label} {page}: the snapshot shows other numbers"
            print(f"{label} {page}: the snapshot shows the live page's numbers ({len(_numbers(shown_live))} cells)")

            def live_side(request=request, key=keys[-1]):
                with live:
                    cache.delete(key)  # nothing kept: counted in the request
                    return request()

            def first_side(request=request, key=keys[-1]):
                with kept:
                    cache.delete(key)
                    return request()

            def repeat_side(request=request):
                with kept:
                    return request()

            sides[f"{label} {page} view · live"] = live_side
            sides[f"{label} {page} view · snapshot, first view"] = first_side
            sides[f"{label} {page} view · snapshot, repeat view"] = repeat_side
    try:
        return timed(sides, runs, "snapshot, repeat view", "live")
    finally:
        cache.delete_many(keys)


def _numbers(html: str) -> list[str]:
    """The page's figure cells (the values, 同比/环比 and children), without its 数据统计于 line."""
    import re

    html = re.sub(r'<div class="muted counted".*?</div>', "", html, flags=re.S)
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return re.findall(r">([-+]?[\d,.]+%?)<", html)


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
