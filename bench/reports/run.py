"""Benchmark: the annual work summary of a province node on PostgreSQL (own database), every registered
figure through the registry (one aggregate query each) against per-record Python in the same run.

Usage: .venv/bin/python bench/reports/run.py [--enterprises 300000] [--appeals 60000] [--members 100000]
       [--db postgres://postgres@127.0.0.1:5432/qq_reports_bench]

The issue's scale is 3,000,000 enterprises and 600,000 appeals; the defaults are a tenth of it (what fits in
this machine's time budget) and the page in docs/performance/ says which size was measured. Baseline: the
same figures computed by loading every counted record into Python (``for row in figure.drilldown(...)``)
and counting or summing there, the loop a report script without the registry would write.
"""

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
YEAR = 2025


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, default=300_000)
    parser.add_argument("--appeals", type=int, default=60_000)
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--db", default="postgres://postgres@127.0.0.1:5432/qq_reports_bench")
    parser.add_argument("--naive-cap", type=int, default=0, help="stop the per-record loop after N figures (0: all)")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.db
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    _ensure_database(args.db)
    import django

    django.setup()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import machine  # bench/machine.py: load average, shared_buffers, work_mem

    print(machine.state())
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    province = _fill(args.enterprises, args.appeals, args.members)
    _measure(province, args.naive_cap)


def _ensure_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("select 1 from pg_database where datname=%s", [name]).fetchone():
            conn.execute(f'create database "{name}"')


def _fill(n_ent: int, n_appeals: int, n_members: int):
    from qinqing.appeals.models import Appeal, AppealDomain, AppealType
    from qinqing.orgs.actions import create_organization
    from qinqing.orgs.models import Organization
    from qinqing.registry.models import Enterprise, EnterpriseYearFigures, Member

    province = Organization.objects.filter(code="430000").first()
    if (
        province is not None
        and Enterprise.objects.count() >= n_ent
        and Appeal.objects.count() >= n_appeals
        and Member.objects.count() >= n_members
    ):
        return province
    rng = random.Random(15)
    t0 = time.perf_counter()
    if province is None:
        province = create_organization(kind="fic", name="湖南省工商联", region_code="430000", parent=None)
        for c in range(3):
            city = create_organization(kind="fic", name=f"市{c}工商联", region_code=f"43{c + 1:02d}00", parent=province)
            for k in range(4):
                create_organization(kind="fic", name=f"县{c}{k}工商联", region_code=f"43{c + 1:02d}{21 + k:02d}",
                                    parent=city)  # fmt: skip
    fics = list(Organization.objects.filter(kind="fic", fic_level__isnull=False).exclude(pk=province.pk))
    counties = [f for f in fics if f.parent_id != province.pk]
    start = Enterprise.objects.count()
    for lo in range(start, n_ent, 20_000):
        batch = []
        for i in range(lo, min(lo + 20_000, n_ent)):
            fic = counties[i % len(counties)]
            batch.append(Enterprise(credit_code=f"91B{i:015d}", name=f"企业{i}", fic=fic, org_path=fic.path,
                                    region_code=fic.region_code, serious_dishonesty=i % 997 == 0))  # fmt: skip
        Enterprise.objects.bulk_create(batch, batch_size=5000)
    ids = list(Enterprise.objects.values_list("pk", "org_path", "fic_id"))
    if not EnterpriseYearFigures.objects.exists():
        rows = [EnterpriseYearFigures(enterprise_id=pk, year=YEAR, revenue_wan=rng.randint(10, 10**7) / 100,
                                      tax_wan=rng.randint(1, 10**6) / 100, employees=rng.randint(1, 5000))
                for pk, _p, _f in ids if rng.random() < 0.5]  # fmt: skip
        EnterpriseYearFigures.objects.bulk_create(rows, batch_size=5000)
    have = Member.objects.count()
    if have < n_members:
        taken = set(Member.objects.values_list("enterprise_id", flat=True))
        free = [row for row in ids if row[0] not in taken]
        sample = rng.sample(free, min(n_members - have, len(free)))
        Member.objects.bulk_create(
            [Member(organization_id=f, org_path=p, kind="enterprise", enterprise_id=pk,
                    joined_on=dt.date(2015 + rng.randint(0, 10), rng.randint(1, 12), 1),
                    left_on=dt.date(YEAR, 6, 1) if rng.random() < 0.03 else None)
             for pk, p, f in sample],
            batch_size=5000,
        )  # fmt: skip
    if Appeal.objects.count() < n_appeals:
        kinds, domains = list(AppealType.objects.all()), list(AppealDomain.objects.all())
        done = Appeal.objects.count()
        for lo in range(done, n_appeals, 20_000):
            batch = []
            for i in range(lo, min(lo + 20_000, n_appeals)):
                pk, path, fic = ids[rng.randrange(len(ids))]
                closed = rng.random() < 0.8
                batch.append(Appeal(number=f"B{i:09d}", enterprise_id=pk, fic_id=fic, org_path=path,
                                    appeal_type=kinds[i % len(kinds)], domain=domains[i % len(domains)],
                                    title="融资难", description="贷款审批慢",
                                    registered_on=dt.date(YEAR - rng.randint(0, 1), rng.randint(1, 12), 1),
                                    status="closed" if closed else "assigned",
                                    satisfaction=rng.choice([3, 4, 5, 1]) if closed else None,
                                    solved=rng.random() < 0.9 if closed else None))  # fmt: skip
            Appeal.objects.bulk_create(batch, batch_size=5000)
    from django.db.models import Sum

    from qinqing.core import rollups

    rolled = rollups.get("appeals").target_model.objects.aggregate(n=Sum("received"))["n"] or 0
    if rolled != Appeal.objects.count():
        for rollup in rollups.for_model(Appeal):
            rollup.rebuild()  # bulk_create skips Appeal.save(): the figures read these rollups
    from qinqing.registry.models import Enterprise, EnterpriseRollup

    if (EnterpriseRollup.objects.aggregate(n=Sum("enterprises"))["n"] or 0) != Enterprise.objects.count():
        from qinqing.registry import rollups as registry_rollups

        for rollup in registry_rollups.ALL:
            rollup.rebuild()  # bulk_create skips save(): the registry figures read these rollups
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    print(f"filled in {time.perf_counter() - t0:.1f} s")
    return province


def _naive(province) -> dict:
    """Per-record Python: every counted record is loaded and counted or summed in a loop."""
    from decimal import Decimal

    from qinqing.core.figures import Figure, Period, Rate, all_figures

    period = Period.year(YEAR)
    out = {}
    for f in all_figures():
        if isinstance(f, Rate):
            continue
        field = f.measure.partition(":")[2]
        total, seen = (Decimal(0) if f.measure.startswith("sum:") else 0), set()
        for row in f.drilldown(province.path, period).iterator(chunk_size=5000):
            if f.measure == "count":
                total += 1
            elif f.measure.startswith("sum:"):
                total += getattr(row, field) or 0
            else:
                seen.add(getattr(row, field.replace("__", "_") + "_id", None) or getattr(row, field, None))
        out[f.key] = len(seen) if f.measure.startswith("distinct:") else total
        assert isinstance(f, Figure)
    return out


def _measure(province, naive_cap: int) -> None:
    import json
    import tempfile

    from django.core.management import call_command
    from django.db import connection

    from qinqing.appeals.models import Appeal
    from qinqing.registry.models import Enterprise
    from qinqing.reports import summary

    print(f"PostgreSQL {connection.pg_version}; load average {os.getloadavg()}")
    print(f"enterprises {Enterprise.objects.count():,}; appeals {Appeal.objects.count():,}")
    summary.as_json(province, YEAR)  # warm
    times = []
    for _ in range(3):
        t = time.perf_counter()
        data = summary.as_json(province, YEAR)
        times.append(time.perf_counter() - t)
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        call_command("annual_summary", province.code, str(YEAR), "--format", "json", "--out", f"{tmp}/s.json")
        command_s = time.perf_counter() - t
        json.loads(Path(f"{tmp}/s.json").read_text(encoding="utf-8"))
    t = time.perf_counter()
    naive = _naive(province)
    naive_s = time.perf_counter() - t
    registry = {f["key"]: f["value"] for f in data["figures"]}
    mismatched = [k for k, v in naive.items() if float(v) != float(registry[k] or 0)]
    best = min(times)
    print(f"registry summary: best {best:.2f} s of {[round(x, 2) for x in times]}; command {command_s:.2f} s")
    print(f"per-record Python: {naive_s:.2f} s; ratio {naive_s / best:.1f}x; figures {len(naive)}; "
          f"mismatches {mismatched}; load average {os.getloadavg()}")  # fmt: skip


if __name__ == "__main__":
    main()
