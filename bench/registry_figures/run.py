# ruff: noqa: E501 -- benchmark generator: SQL statements kept on one line
"""Benchmark: the leaders' dashboard and the reports figures page of a province at 1–3 M enterprises on
PostgreSQL, the registry figures read from the registry rollups (qinqing/registry/rollups.py) against the same
figures counted from the records (the direct queries: each figure's ``direct_value`` and the dashboard's one
grouped query per figure), interleaved in one process, best and worst of ``--runs``.

Usage: .venv/bin/python bench/registry_figures/run.py [--enterprises 1000000] [--members 0.12] [--chambers 5000]
       [--runs 3] [--db postgres://postgres@127.0.0.1:5432/qq_regroll_bench] [--prepare-only]

The database is its own (never the province load test's ``qq_prov_bench``) and is filled once: a province with
its cities and counties (real region codes when the region table is loaded), then enterprises, FIC memberships
and chambers copied inside PostgreSQL from one template row each (``INSERT … SELECT`` over ``generate_series``,
bench/province/sqlcopy.py), entered over three years, members joined over ten years (15 % left since), chambers
registered over twenty years (some undated, cancelled or with a party organisation). A later run with a larger
``--enterprises`` adds the difference. The rollups are rebuilt after a fill (``rebuild_rollups``), and every
run checks that both sides give the same numbers for every figure before timing them. Then pages.py times the
whole dashboard and figures page, every figure evaluated together against one query per figure (it also runs
alone, read only, on a database filled by someone else: the province load test's).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from unittest.mock import patch

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "bench" / "province"))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, default=1_000_000)
    parser.add_argument("--members", type=float, default=0.12, help="share of enterprises that are FIC members")
    parser.add_argument("--chambers", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db", default="postgres://postgres@127.0.0.1:5432/qq_regroll_bench")
    parser.add_argument("--prepare-only", action="store_true")
    args = parser.parse_args()
    if "qq_prov_bench" in args.db:
        raise SystemExit("qq_prov_bench belongs to the province load test: use a database of your own")
    os.environ["DATABASE_URL"] = args.db
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import machine  # bench/machine.py

    machine.ensure_database(args.db)
    import django

    django.setup()
    from django.core.management import call_command

    print(machine.state())
    call_command("migrate", verbosity=0)
    province = _tree()
    if _fill(province, args.enterprises, args.members, args.chambers) or not _rollups_current():
        t0 = time.perf_counter()
        from qinqing.registry import rollups

        call_command("rebuild_rollups", *(r.name for r in rollups.ALL))
        print(f"rollups rebuilt in {time.perf_counter() - t0:.1f} s")
    _vacuum()
    if not args.prepare_only:
        _measure(province, args.runs)
        import pages  # the whole dashboard and figures page, figures together vs one query per figure

        pages.measure(args.runs)


# ---------------------------------------------------------------------- data
def _tree():
    """The province, 14 cities and their counties (about 120 FIC nodes), made once through the action."""
    from qinqing.orgs.actions import create_organization
    from qinqing.orgs.models import Organization, Region

    existing = Organization.objects.filter(kind="fic", parent=None).first()
    if existing is not None:
        return existing
    regions = Region.objects.filter(valid_to__isnull=True)
    province = create_organization(kind="fic", name="湖南省工商联", region_code="430000", parent=None)
    if regions.exists():
        cities = list(regions.filter(parent_code="430000").order_by("code").values_list("code", "name"))
    else:
        cities = [(f"43{c:02d}00", f"第{c}市") for c in range(1, 15)]
    for code, name in cities:
        city = create_organization(kind="fic", name=f"{name}工商联", region_code=code, parent=province)
        if regions.exists():
            counties = list(regions.filter(parent_code=code).order_by("code").values_list("code", "name"))
        else:
            counties = [(f"{code[:4]}{k:02d}", f"{name}第{k}县") for k in range(1, 10)]
        for county_code, county_name in counties:
            create_organization(kind="fic", name=f"{county_name}工商联", region_code=county_code, parent=city)
    return province


def _fill(province, n_ent: int, member_share: float, n_chambers: int) -> bool:
    """Add what is missing; True when anything was added."""
    from django.db import connection, transaction
    from sqlcopy import insert, scalar, sync_sequence

    from qinqing.orgs.models import Organization
    from qinqing.registry.models import Enterprise, Member

    fics = list(Organization.objects.filter(kind="fic", path__startswith=province.path).order_by("path"))
    leaves = [f for f in fics if not any(o.parent_id == f.pk for o in fics)] or fics
    template = Enterprise.objects.order_by("pk").first()
    if template is None:
        template = Enterprise.objects.create(credit_code="91430000MA4L0TPL01", name="模板企业有限公司", fic=leaves[0],
                                             org_path=leaves[0].path, region_code=leaves[0].region_code,
                                             industry_code="1391", size_class="小型")  # fmt: skip
    added = False
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("create temp table bench_fic (rn int, id bigint, path text, region text) on commit drop")
        # 2 % of the enterprises sit at a city or the province node itself, the rest in the counties.
        rows = [(i + 1, f.pk, f.path, f.region_code) for i, f in enumerate(leaves)]
        cur.executemany("insert into bench_fic values (%s, %s, %s, %s)", rows)
        n_leaves = len(rows)
        have = scalar(cur, "select count(*) from registry_enterprise")
        if have < n_ent:
            t0 = time.perf_counter()
            base = scalar(cur, "select coalesce(max(id), 0) from registry_enterprise")
            insert(cur, "registry_enterprise",
                   f"generate_series({have + 1}, {n_ent}) g join registry_enterprise t on t.id = {template.pk} "
                   f"join bench_fic f on f.rn = 1 + (g::bigint * 7919) % {n_leaves}",
                   {"id": f"{base} + g - {have}", "credit_code": "'B' || lpad(g::text, 17, '0')",
                    "name": "'生成企业' || g || '有限公司'", "fic_id": "f.id", "org_path": "f.path",
                    "region_code": "f.region", "created_at": "now() - ((g::bigint * 104729) % 1095) * interval '1 day'",
                    "updated_at": "now()"})  # fmt: skip
            sync_sequence(cur, "registry_enterprise")
            print(f"enterprises: {have:,} → {n_ent:,} in {time.perf_counter() - t0:.1f} s")
            added = True
        n_members = int(n_ent * member_share)
        have_m = scalar(cur, "select count(*) from registry_member")
        if have_m < n_members:
            t0 = time.perf_counter()
            tpl = Member.objects.order_by("pk").first()
            if tpl is None:
                tpl = Member.objects.create(organization=leaves[0], org_path=leaves[0].path, kind="enterprise",
                                            enterprise=template, joined_on=dt.date(2020, 1, 1))  # fmt: skip
                have_m = 1
            insert(cur, "registry_member",
                   f"(select e.id eid, e.fic_id, e.org_path, g from generate_series({have_m + 1}, {n_members}) g "
                   f"join registry_enterprise e on e.id = (select min(id) from registry_enterprise) + g * {max(1, int(1 / member_share))}) e "
                   f"join registry_member t on t.id = {tpl.pk}",
                   {"organization_id": "e.fic_id", "org_path": "e.org_path", "enterprise_id": "case when e.g % 50 = 0 then null else e.eid end",
                    "kind": "case when e.g % 50 = 0 then 'individual' else 'enterprise' end",
                    "joined_on": "date '2016-01-01' + ((e.g::bigint * 7907) % 3650)::int",
                    "left_on": "case when e.g % 7 = 0 then date '2016-01-01' + ((e.g::bigint * 7907) % 3650)::int + (e.g % 900)::int end",
                    "created_at": "now()", "updated_at": "now()"})  # fmt: skip
            sync_sequence(cur, "registry_member")
            print(
                f"members: {have_m:,} → {scalar(cur, 'select count(*) from registry_member'):,} in {time.perf_counter() - t0:.1f} s"
            )
            added = True
        have_c = scalar(cur, "select count(*) from registry_chamber")
        if have_c < n_chambers:
            t0 = time.perf_counter()
            _chambers(cur, leaves[0], have_c, n_chambers, n_leaves)
            print(f"chambers: {have_c:,} → {n_chambers:,} in {time.perf_counter() - t0:.1f} s")
            added = True
    return added


def _chambers(cur, first_fic, have: int, target: int, n_leaves: int) -> None:
    from sqlcopy import insert, scalar, sync_sequence

    from qinqing.orgs.actions import create_organization
    from qinqing.registry.models import Chamber

    tpl = Chamber.objects.order_by("pk").first()
    if tpl is None:
        org = create_organization(kind="chamber", name="模板商会", region_code=first_fic.region_code, parent=first_fic)
        tpl = Chamber.objects.create(organization=org, org_path=org.path, chamber_type="industry")
        have = 1
    org_base = scalar(cur, "select coalesce(max(id), 0) from orgs_organization")
    ch_base = scalar(cur, "select coalesce(max(id), 0) from registry_chamber")
    cur.execute(f"""create temp table bench_cmap on commit drop as
        select g, {org_base} + g - {have} org_id, {ch_base} + g - {have} chamber_id, f.id parent_id,
               'BCH' || lpad(g::text, 7, '0') code, f.path || 'BCH' || lpad(g::text, 7, '0') || '/' path
        from generate_series({have + 1}, {target}) g join bench_fic f on f.rn = 1 + (g * 31) % {n_leaves}""")
    insert(cur, "orgs_organization", f"bench_cmap m join orgs_organization t on t.id = {tpl.organization_id}",
           {"id": "m.org_id", "code": "m.code", "path": "m.path", "parent_id": "m.parent_id",
            "name": "'生成商会' || m.g"})  # fmt: skip
    insert(cur, "registry_chamber", f"bench_cmap m join registry_chamber t on t.id = {tpl.pk}",
           {"id": "m.chamber_id", "organization_id": "m.org_id", "org_path": "m.path",
            "chamber_type": "(array['township','industry','nonlocal'])[1 + m.g % 3]",
            "registration_status": "case when m.g % 23 = 0 then 'cancelled' when m.g % 4 = 0 then 'unregistered' else 'registered' end",
            "registered_on": "case when m.g % 11 = 0 then null else date '2006-01-01' + (m.g * 389) % 7300 end",
            "party_org_established": "m.g % 3 = 0"})  # fmt: skip
    sync_sequence(cur, "orgs_organization")
    sync_sequence(cur, "registry_chamber")


def _rollups_current() -> bool:
    from django.db.models import Sum

    from qinqing.registry.models import Enterprise, EnterpriseRollup, EnterpriseYearRollup

    n = Enterprise.objects.count()
    return all(
        (m.objects.aggregate(n=Sum("enterprises"))["n"] or 0) == n for m in (EnterpriseRollup, EnterpriseYearRollup)
    )


def _vacuum() -> None:
    from django.db import connection

    from qinqing.registry import rollups

    with connection.cursor() as cur:
        tables = ["registry_enterprise", "registry_member", "registry_chamber"]
        tables += [r.target_model._meta.db_table for r in rollups.ALL]
        for table in tables:
            cur.execute(f"vacuum analyze {table}")


# ---------------------------------------------------------------------- measuring
@contextmanager
def direct_registry_figures():
    """The registry figures as they were before the rollups: counted from the records."""
    from qinqing.core import figures as registry

    registry.discover()
    kept = dict(registry._REGISTRY)
    for key, f in kept.items():
        if key.startswith("registry.") and isinstance(f, registry.Figure) and f.reading is not None:
            registry._REGISTRY[key] = replace(f, reading=None)
    try:
        yield
    finally:
        registry._REGISTRY.clear()
        registry._REGISTRY.update(kept)


def _measure(province, runs: int) -> None:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from qinqing.core.figures import Period, visible_figures
    from qinqing.orgs.models import Organization
    from qinqing.registry import rollups
    from qinqing.registry.models import Chamber, Enterprise, Member
    from qinqing.reports import dashboard, drilldown

    today = dt.date.today()
    period = Period(dt.date(today.year, 1, 1), today)
    city = Organization.objects.filter(parent=province, kind="fic").order_by("code").first()
    print(f"data: {Enterprise.objects.count():,} enterprises, {Member.objects.count():,} members, "
          f"{Chamber.objects.count():,} chambers; rollup rows: "
          + ", ".join(f"{r.name} {r.target_model.objects.count():,}" for r in rollups.ALL))  # fmt: skip

    def page(node):
        figures = visible_figures(None)
        return drilldown.values(figures, node.path, period)

    def board(node):
        return dashboard.build(node, period)

    def registry_only(node):
        """The dashboard's registry section alone (the registry figures, their 同比, 环比 and children)."""
        mine = [f for f in visible_figures(None) if f.key.startswith("registry.")]
        with patch.object(dashboard, "visible_figures", lambda user: mine):
            return dashboard.build(node, period)

    sides = {}
    for label, node in (("province", province), ("city", city)):
        # Both sides give the same numbers before either is timed.
        rolled = page(node)
        with direct_registry_figures():
            direct = page(node)
        assert rolled == direct, {k: (rolled[k], direct[k]) for k in rolled if rolled[k] != direct[k]}
        for what, fn in (("dashboard", board), ("figures page", page), ("dashboard registry figures", registry_only)):
            with CaptureQueriesContext(connection) as q:
                fn(node)
            registry_sql = [
                s["sql"]
                for s in q.captured_queries
                if '"registry_enterprise"' in s["sql"] or '"registry_member"' in s["sql"]
            ]
            print(
                f"{label} {what}: {len(q.captured_queries)} queries, {len(registry_sql)} on the enterprise/member tables (rollups)"
            )
            sides[f"{label} {what} · rollups"] = lambda fn=fn, node=node: fn(node)

            def direct_side(fn=fn, node=node):
                with direct_registry_figures():
                    return fn(node)

            sides[f"{label} {what} · direct"] = direct_side
    reset_queries()
    import pages

    pages.timed(sides, runs, "rollups", "direct")


if __name__ == "__main__":
    main()
