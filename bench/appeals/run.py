# ruff: noqa: E501 -- benchmark script: report lines kept on one line
"""Benchmark: 1,000,000 appeals in PostgreSQL (own database), staff list page query and figures.

Usage: .venv/bin/python bench/appeals/run.py [--rows 1000000] [--db postgres://postgres@127.0.0.1:5432/qq_appeals_bench]
(``make bench`` runs it at --rows 50000 --runs 5 in its own database.)

Runs the real ORM querysets of the list page (visible_appeals + filter_appeals + select_related, count and
one page) and of the figures page (by department with totals and league; by region with the departments by
region). Baselines in the same run:
- list: the same queries with the planner's index scans switched off, interleaved run by run (``--repeat N``
  repeats each case and prints the best and worst p95);
- figures: the page read from the rollup (appeals/rollups.py) against the same page counted from the appeals
  with one FILTER aggregate per dimension (the direct query), interleaved run by run; and, once, the naive
  strategy (fetch the rows and count in Python). The two figure sides are checked equal before timing.
Prints the load average and PostgreSQL's shared_buffers and work_mem.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import machine  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--db", default="postgres://postgres@127.0.0.1:5432/qq_appeals_bench")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=1, help="runs of the list cases (best/worst p95)")
    parser.add_argument("--list-only", action="store_true", help="the list page only, not the figures")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.db
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    _ensure_database(args.db)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    users = _fixtures()
    _fill(args.rows)
    _rollup()
    print(machine.state())
    _measure(users, args.runs, args.repeat, args.list_only)
    print(machine.state())


def _ensure_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("select 1 from pg_database where datname=%s", [name]).fetchone():
            conn.execute(f'create database "{name}"')


def _fixtures():
    from qinqing.accounts.actions import create_user
    from qinqing.accounts.models import User
    from qinqing.orgs.actions import create_organization
    from qinqing.orgs.models import Organization
    from qinqing.registry.models import Enterprise

    if (
        not Organization.objects.filter(code__startswith="BENCH").exists()
        and not User.objects.filter(username="bench_city").exists()
    ):
        province = create_organization(kind="fic", name="湖南省工商联", region_code="430000", parent=None)
        city = create_organization(kind="fic", name="岳阳市工商联", region_code="430600", parent=province)
        counties = [
            create_organization(kind="fic", name=f"县{i}工商联", region_code=f"4306{21 + i:02d}", parent=city)
            for i in range(5)
        ]
        for i in range(40):
            create_organization(
                kind="department", name=f"部门{i}", region_code="430600", parent=rngpick([*counties, city], i)
            )
        ents = []
        for i in range(5000):
            fic = counties[i % 5]
            ents.append(
                Enterprise(
                    credit_code=f"91430{i:013d}",
                    name=f"企业{i}",
                    fic=fic,
                    org_path=fic.path,
                    region_code=fic.region_code,
                )
            )
        Enterprise.objects.bulk_create(ents, batch_size=1000)
        pw = "Qinqing@2026!"
        create_user(
            username="bench_city", name="市", role="fic_staff", org=city, password=pw, must_change_password=False
        )
        create_user(
            username="bench_county",
            name="县",
            role="fic_staff",
            org=counties[0],
            password=pw,
            must_change_password=False,
        )
        create_user(
            username="bench_leader", name="领导", role="fic_leader", org=city, password=pw, must_change_password=False
        )
    return {u.username: u for u in User.objects.filter(username__startswith="bench_").select_related("org")}


def rngpick(seq, i):
    return seq[i % len(seq)]


def _fill(rows: int) -> None:
    from django.db import connection

    from qinqing.appeals.models import Appeal

    have = Appeal.objects.count()
    if have >= rows:
        print(f"appeals present: {have}")
        return
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("select min(id), max(id) from registry_enterprise")
        emin, emax = cur.fetchone()
        cur.execute("select array_agg(id) from orgs_organization where kind='department'")
        depts = cur.fetchone()[0]
        dept_list = ",".join(str(d) for d in depts)  # inlined: no parameters, so % stays the SQL operator
        cur.execute(
            f"""
            insert into appeals_appeal (
              number, enterprise_id, fic_id, org_path, region_code, channel, appeal_type_id, domain_id, title,
              description, contact_name, contact_phone, status, solved_on_spot, lead_department_id,
              accept_days, contact_days, reply_days, dispatch_days, callback_days, warn_days, supervise_after,
              registered_on, accept_due,
              contact_due, reply_due, accepted_at, assigned_at, contacted_at, replied_at, closed_at,
              contacted_on_time, replied_on_time, is_paused, deadline_state, escalation, ever_overdue,
              extension_days, rehandle_count, urge_count, reject_reason, reply, satisfaction, solved,
              rating_comment, created_at, updated_at, submission_key, provisional_dues)
            select 'SQB' || lpad(g::text, 12, '0'), e.id, e.fic_id, e.org_path, e.region_code,
              (array['online','hotline','visit','chamber','meeting','transfer'])[1 + g % 6],
              (select min(id) from appeals_appealtype) + g % 4, (select min(id) from appeals_appealdomain) + g % 10,
              '企业诉求' || g, '诉求内容', '', '',
              case when g % 100 < 90 then 'closed' when g % 100 < 93 then 'assigned' when g % 100 < 95 then 'contacted'
                   when g % 100 < 97 then 'registered' when g % 100 < 98 then 'replied' else 'rejected' end,
              false, ('{{{dept_list}}}'::int[])[1 + g % {len(depts)}],
              3, 3, 5, 2, 3, 1, 2, d, d + 3, d + 4, d + 7, d + time '10:00', d + time '15:00', d + time '16:00',
              d + time '17:00', case when g % 100 < 90 then d + 8 + time '10:00' end,
              g % 17 <> 0, g % 19 <> 0, false,
              case when g % 100 between 90 and 94 and g % 7 = 0 then 'overdue' else 'ok' end, 0, g % 17 = 0,
              case when g % 20 = 0 then 3 else 0 end, case when g % 25 = 0 then 1 else 0 end, 0, '', '',
              case when g % 100 < 90 then (array[5,5,5,4,4,3,5,4,5,2])[1 + g % 10] end,
              case when g % 100 < 90 then g % 14 <> 0 end, '', now(), now(), '', '[]'::jsonb
            from generate_series({have + 1}, {rows}) g
            cross join lateral (select current_date - (g % 730) as d) dd
            join registry_enterprise e on e.id = {emin} + (g::bigint * 7919) % ({emax - emin + 1})
            """
        )
        # As autovacuum would soon after a bulk load: the visibility map lets counts use index-only scans.
        cur.execute("vacuum analyze appeals_appeal")
    print(f"inserted {rows - have} appeals in {time.perf_counter() - t0:.1f} s")


def _rollup() -> None:
    """The bulk insert skips Appeal.save(): build the rollups from the appeals when they do not hold them all."""
    from django.db import connection
    from django.db.models import Sum

    from qinqing.appeals.models import Appeal, AppealRollup
    from qinqing.core import rollups

    if (AppealRollup.objects.aggregate(n=Sum("received"))["n"] or 0) == Appeal.objects.count():
        return
    t0 = time.perf_counter()
    written = {}
    for rollup in rollups.for_model(Appeal):  # daily, month, month × department: the figures page reads all three
        written[rollup.name] = rollup.rebuild()
        with connection.cursor() as cur:
            cur.execute(f"vacuum analyze {rollup.target_model._meta.db_table}")
    print(f"rollups rebuilt: {written} rows in {time.perf_counter() - t0:.1f} s")


def _timed(fn, runs: int) -> dict:
    fn()  # warm-up
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return {"p50": statistics.median(times), "p95": times[max(0, int(len(times) * 0.95) - 1)], "max": times[-1]}


def _list_query(user, params):
    from qinqing.appeals.filters import filter_appeals
    from qinqing.appeals.permissions import visible_appeals
    from qinqing.core.pagination import CappedPaginator

    def run():
        qs, _ = filter_appeals(visible_appeals(user), params)
        qs = qs.select_related("enterprise", "lead_department", "appeal_type", "domain")
        page = CappedPaginator(qs, 30).get_page(params.get("page", 1))
        return [a.number for a in page]

    return run


def _figures(user, *, rolled: bool, dimension: str = "department"):
    """The figures page's queries (views_figures.figures_page) from the rollup or from the appeals."""
    from qinqing.appeals import figures
    from qinqing.appeals.permissions import visible_appeals

    def run():
        source = figures.rollup_source(user, {}) if rolled else visible_appeals(user)
        rows = figures.by_dimension(source, dimension, base_path=user.org.path)
        dept = (
            rows if dimension == "department" else figures.by_dimension(source, "department", base_path=user.org.path)
        )
        figures.totals_from(rows)
        figures.league_from(dept)
        if dimension == "region":
            figures.departments_by_region(dept)
        return rows

    return run


def _figures_naive(user):
    from collections import defaultdict

    from qinqing.appeals.permissions import visible_appeals

    def run():
        counts = defaultdict(lambda: defaultdict(int))
        fields = ("lead_department_id", "status", "accepted_at", "assigned_at", "contacted_on_time", "replied_on_time",
                  "satisfaction", "solved")  # fmt: skip
        for row in visible_appeals(user).values_list(*fields).iterator(chunk_size=20000):
            c = counts[row[0]]
            c["received"] += 1
            c["closed"] += row[1] == "closed"
            c["accepted"] += row[2] is not None
            c["assigned"] += row[3] is not None
            c["contacted_on_time"] += bool(row[4])
            c["replied_on_time"] += bool(row[5])
            c["satisfied"] += (row[6] or 0) >= 3
            c["solved"] += bool(row[7])
        return counts

    return run


def _without_indexes(fn):
    """``fn`` with the planner's index scans switched off for its queries (the same SQL, no index used)."""
    from django.db import connection

    def run():
        with connection.cursor() as cur:
            for setting in ("enable_indexscan", "enable_bitmapscan", "enable_indexonlyscan"):
                cur.execute(f"set {setting} = off")
        try:
            return fn()
        finally:
            with connection.cursor() as cur:
                for setting in ("enable_indexscan", "enable_bitmapscan", "enable_indexonlyscan"):
                    cur.execute(f"reset {setting}")

    return run


def _measure(users, runs: int, repeat: int = 1, list_only: bool = False) -> None:
    county, city, leader = users["bench_county"], users["bench_city"], users["bench_leader"]
    cases = {
        "county staff, status=assigned, page 1": (county, {"status": "assigned"}),
        "county staff, open, page 20": (county, {"status": "open", "page": 20}),
        "city staff, overdue board": (city, {"deadline": "overdue"}),
        "city staff, all, page 1": (city, {}),
    }
    print(f"\nList page query (count + one page of 30), milliseconds; indexed and without indexes interleaved "
          f"(the planner's index scans switched off: enable_indexscan/bitmapscan/indexonlyscan); {repeat} run(s)")  # fmt: skip
    print(f"{'case':45} {'run':>3} {'p50':>8} {'p95':>8} {'worst':>8} | {'no-index p50':>12} {'p95':>8} {'ratio':>7}")
    for name, (user, params) in cases.items():
        p95s = []
        for run in range(repeat):
            times = machine.interleaved(
                {"indexed": _list_query(user, params), "no index": _without_indexes(_list_query(user, params))},
                runs,
            )
            ix, no = machine.summary(times["indexed"]), machine.summary(times["no index"])
            p95s.append(ix["p95"])
            print(
                f"{name:45} {run + 1:>3} {ix['p50']:8.1f} {ix['p95']:8.1f} {ix['worst']:8.1f} | "
                f"{no['p50']:12.1f} {no['p95']:8.1f} {no['p95'] / ix['p95']:6.1f}x"
            )
        if repeat > 1:
            print(f"{name:45} p95 best {min(p95s):.1f} ms, worst {max(p95s):.1f} ms")
    print(machine.state())
    if list_only:
        return
    print("\nFigures page for the city leader, milliseconds (rollup and direct query interleaved)")
    print(
        f"{'page':12} {'rollup p50':>10} {'p95':>7} {'best':>7} {'worst':>7} | {'direct p50':>10} {'p95':>7} {'worst':>7} {'ratio':>6}"
    )
    for dimension in ("department", "region", "month"):
        fast, direct = (
            _figures(leader, rolled=True, dimension=dimension),
            _figures(leader, rolled=False, dimension=dimension),
        )
        assert fast() == direct(), f"rollup and direct query disagree by {dimension}"
        times = machine.interleaved({"rollup": fast, "direct": direct}, max(3, runs // 3))
        r, d = machine.summary(times["rollup"]), machine.summary(times["direct"])
        print(
            f"{dimension:12} {r['p50']:10.1f} {r['p95']:7.1f} {r['best']:7.1f} {r['worst']:7.1f} | {d['p50']:10.1f} {d['p95']:7.1f} {d['worst']:7.1f} {d['p50'] / r['p50']:5.1f}x"
        )
    naive = _timed(_figures_naive(leader), 1)
    print(f"naive Python counting (by department) p50 {naive['p50']:.0f} ms")


if __name__ == "__main__":
    main()
