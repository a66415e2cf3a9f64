# ruff: noqa: E501 -- benchmark script: long report lines
"""Financing on PostgreSQL: N needs, their referrals and ~3 stage events per need; the figures page and a bank's
list, each against the naive way in the same run.

    .venv/bin/python bench/financing/run.py --postgres postgres://postgres@127.0.0.1:5432/<scratch db> [--needs 1000000]

Loaded with COPY (not timed): 300 enterprises per 1,000 needs under 10 county FICs, 22 banks, the needs over one
year, one referral per pushed need (90%), stages 对接 → 意向 → 授信 → 放款 / 未获贷 with the demo's proportions.
Timed (p50/p95 of --repeat runs, warm cache):
- figures: every financing figure for the whole tree and the year — values_batch (one conditional aggregate per
  model) against the registry's default, one aggregate query per figure (Figure.value);
- bank list: the bank page's first page (visible_referrals + select_related + CappedPaginator) against the naive
  list (Django's Paginator with a full COUNT and no select_related: two queries per row for need and enterprise).
"""

import argparse
import datetime as dt
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import polars as pl


def _fill(model, frame: pl.DataFrame, now: str) -> pl.DataFrame:
    """Add every concrete column the frame lacks: its default, '' for text, NULL where allowed."""
    extra = []
    for f in model._meta.concrete_fields:
        if f.column in frame.columns or f.primary_key:
            continue
        kind = f.get_internal_type()
        if f.column in ("created_at", "updated_at"):
            extra.append(pl.lit(now).alias(f.column))
        elif f.has_default() and not callable(f.default):
            value = f.default
            extra.append(pl.lit("{}" if value == {} else "[]" if value == [] else value).alias(f.column))
        elif f.has_default():
            value = f.get_default()
            extra.append(pl.lit("{}" if value == {} else "[]" if value == [] else value).alias(f.column))
        elif f.null:
            extra.append(pl.lit(None, dtype=pl.Utf8).alias(f.column))
        elif kind in ("CharField", "TextField", "SlugField"):
            extra.append(pl.lit("").alias(f.column))
        else:
            raise ValueError(f"{model.__name__}.{f.column} needs a value")
    return frame.with_columns(extra)


def _copy(model, frame: pl.DataFrame, now: str) -> None:
    from django.db import connection

    frame = _fill(model, frame, now)
    columns = ", ".join(connection.ops.quote_name(c) for c in frame.columns)
    buffer = io.BytesIO()
    frame.write_csv(buffer, include_header=False, null_value="\\N")
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')") as copy,
    ):
        copy.write(buffer.getvalue())


def load(n_needs: int) -> dict:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from qinqing.financing.models import FinancingNeed, NeedReferral, RefusalReason, StageEvent
    from qinqing.orgs.models import Organization
    from qinqing.registry.models import Enterprise

    call_command("migrate", verbosity=0)
    root, _ = Organization.objects.get_or_create(
        code="BFROOT", defaults={"kind": "fic", "name": "融资基准市工商联", "region_code": "430600", "path": "/BFROOT/"}
    )
    counties = [Organization.objects.get_or_create(code=f"BFC{i:02d}", defaults={
        "kind": "fic", "name": f"融资基准县{i}", "region_code": f"4306{i:02d}", "parent": root,
        "path": f"{root.path}BFC{i:02d}/"})[0] for i in range(10)]  # fmt: skip
    banks = [Organization.objects.get_or_create(code=f"BFB{i:02d}", defaults={
        "kind": "bank", "name": f"基准银行{i}", "region_code": "430600", "parent": root,
        "path": f"{root.path}BFB{i:02d}/"})[0] for i in range(22)]  # fmt: skip
    if FinancingNeed.objects.count() == n_needs and StageEvent.objects.exists():
        from qinqing.financing.models import FinancingReach

        if not FinancingReach.objects.exists():
            rebuild_rollups()
        return {"root": root, "banks": banks}
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE financing_stageevent, financing_needreferral, financing_financingneed, "
                       "registry_enterprise CASCADE")  # fmt: skip
    now = timezone.now().isoformat()
    today = timezone.localdate()
    n_ent = max(10, n_needs * 3 // 10)
    county_ids = pl.Series([c.pk for c in counties])
    county_paths = pl.Series([c.path for c in counties])
    county_regions = pl.Series([c.region_code for c in counties])
    e = pl.int_range(1, n_ent + 1, dtype=pl.Int64, eager=True).to_frame("id")
    c = pl.col("id") % 10
    ents = e.select(
        "id",
        pl.format("91430600BF{}", pl.col("id").cast(pl.Utf8).str.zfill(8)).alias("credit_code"),
        pl.format("融资基准企业{}", pl.col("id")).alias("name"),
        pl.lit(county_ids).gather(c).alias("fic_id"),
        pl.lit(county_paths).gather(c).alias("org_path"),
        pl.lit(county_regions).gather(c).alias("region_code"),
        pl.lit(pl.Series(["C1391", "C3989", "F4710", "G5121", "I6510"]))
        .gather(pl.col("id") % 5)
        .alias("industry_code"),
        pl.lit(pl.Series(["中型", "小型", "小型", "微型"])).gather(pl.col("id") % 4).alias("size_class"),
    )
    _copy(Enterprise, ents, now)

    idx = pl.int_range(1, n_needs + 1, dtype=pl.Int64)

    def u(k: int) -> pl.Expr:
        return (idx.hash(300 + k) % 1_000_003).cast(pl.Float64) / 1_000_003

    start = today - dt.timedelta(days=365)
    needs = pl.select(
        idx.alias("id"),
        (u(1) * n_ent).cast(pl.Int64).clip(0, n_ent - 1).alias("ent0"),
        (u(2) * 360).cast(pl.Int64).alias("day"),
        (10 * (1000 ** u(3))).round(0).alias("amount"),
        (u(4) < 0.9).alias("pushed"),
        u(5).alias("fate"),
        (u(6) * 22).cast(pl.Int64).alias("bank_i"),
        (u(7) < 0.3).alias("is_first_loan"),
        pl.lit(pl.Series(["credit", "surety", "mortgage", "pledge", "government"])).gather((u(8) * 5).cast(pl.Int64)).alias("guarantee"),
    ).join(ents.select(pl.col("id").alias("eid"), "fic_id", "org_path", "region_code", "industry_code", "size_class")
           .with_row_index("ent0").with_columns(pl.col("ent0").cast(pl.Int64)), on="ent0")  # fmt: skip
    needs = needs.sort("id").with_columns((pl.lit(start) + pl.duration(days=pl.col("day"))).alias("stated_on"))
    # Stage reached: fate < .27 refused; else contacted/intended/credited/lent by fate bands (as the demo).
    needs = needs.with_columns(
        pl.when(~pl.col("pushed")).then(pl.lit(""))
        .when(pl.col("fate") < 0.27).then(pl.lit("refused"))
        .when(pl.col("fate") < 0.35).then(pl.lit("contacted"))
        .when(pl.col("fate") < 0.45).then(pl.lit("intended"))
        .when(pl.col("fate") < 0.55).then(pl.lit("credited"))
        .otherwise(pl.lit("lent")).alias("stage")
    )  # fmt: skip
    _copy(FinancingNeed, needs.select(
        "id", pl.format("RZB{}", pl.col("id")).alias("number"), pl.col("eid").alias("enterprise_id"), "fic_id",
        "org_path", "region_code", "industry_code", "size_class", "amount", pl.lit(12).alias("term_months"),
        pl.lit("working").alias("purpose"), "guarantee", "is_first_loan", "stated_on",
        pl.when(pl.col("pushed")).then(pl.lit("recommended")).otherwise(pl.lit("stated")).alias("list_state"),
        "stage", pl.lit("visit").alias("source"),
    ), now)  # fmt: skip

    bank_ids = pl.Series([b.pk for b in banks])
    bank_paths = pl.Series([b.path for b in banks])
    refs = (
        needs.filter(pl.col("pushed"))
        .with_columns(
            (pl.col("stated_on") + pl.duration(days=5)).alias("pushed_on"),
            pl.lit(bank_ids).gather(pl.col("bank_i")).alias("bank_id"),
            pl.lit(bank_paths).gather(pl.col("bank_i")).alias("bank_path"),
        )
        .with_row_index("rid", offset=1)
        .with_columns(pl.col("rid").cast(pl.Int64))
    )
    reason = RefusalReason.objects.get(code="cashflow").pk
    lent = pl.col("stage") == "lent"
    credited = pl.col("stage").is_in(["credited", "lent"])
    _copy(NeedReferral, refs.select(
        pl.col("rid").alias("id"), pl.col("id").alias("need_id"), "bank_id", "bank_path", "org_path", "stage",
        "pushed_on", pl.col("pushed_on").alias("application_complete_on"),
        (pl.col("pushed_on") + pl.duration(days=30)).alias("answer_due"),
        pl.when(pl.col("stage").is_in(["intended", "credited", "lent"])).then(pl.col("amount") * 1.8).otherwise(None).alias("intention_amount"),
        pl.when(credited).then(pl.col("amount") * 0.85).otherwise(None).alias("credit_amount"),
        pl.when(credited).then(pl.col("pushed_on") + pl.duration(days=15)).otherwise(None).alias("credit_on"),
        pl.when(lent).then(pl.col("amount") * 0.8).otherwise(None).alias("loan_amount"),
        pl.when(lent).then(pl.col("pushed_on") + pl.duration(days=20)).otherwise(None).alias("loan_on"),
        (pl.col("guarantee") == "credit").alias("is_credit_loan"),
        pl.when(pl.col("stage") == "refused").then(pl.lit(reason)).otherwise(None).alias("refusal_reason_id"),
    ), now)  # fmt: skip
    # Stage events: pushed for every referral, then each stage up to the one reached (≈3 per need).
    steps = []
    order = ["contacted", "intended", "credited", "lent"]
    for i, stage in enumerate(order):
        reached = pl.col("stage").is_in(order[i:])
        amount = {
            "intended": pl.col("amount") * 1.8,
            "credited": pl.col("amount") * 0.85,
            "lent": pl.col("amount") * 0.8,
        }.get(stage)
        steps.append(refs.filter(reached).select(pl.col("rid").alias("referral_id"), pl.lit(stage).alias("stage"),
                     (pl.col("pushed_on") + pl.duration(days=3 * (i + 1))).alias("on"),
                     (amount if amount is not None else pl.lit(None, dtype=pl.Float64)).alias("amount")))  # fmt: skip
    steps.insert(0, refs.select(pl.col("rid").alias("referral_id"), pl.lit("pushed").alias("stage"),
                                pl.col("pushed_on").alias("on"), pl.lit(None, dtype=pl.Float64).alias("amount")))  # fmt: skip
    steps.append(refs.filter(pl.col("stage") == "refused").select(pl.col("rid").alias("referral_id"), pl.lit("refused").alias("stage"),
                 (pl.col("pushed_on") + pl.duration(days=10)).alias("on"), pl.lit(None, dtype=pl.Float64).alias("amount")))  # fmt: skip
    _copy(StageEvent, pl.concat(steps), now)
    with connection.cursor() as cursor:
        for table in (
            "registry_enterprise",
            "financing_financingneed",
            "financing_needreferral",
            "financing_stageevent",
        ):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
            cursor.execute(f"VACUUM ANALYZE {table}")
    rebuild_rollups()
    return {"root": root, "banks": banks}


def rebuild_rollups() -> None:
    """COPY skips save(): build the figures' rollups from the records, as `manage.py rebuild_rollups` does."""
    from django.db import connection

    from qinqing.core import rollups

    for name in ("financing_needs", "financing_referrals", "financing_steps", "financing_reach"):
        t = time.perf_counter()
        rows = rollups.get(name).rebuild()
        print(f"rebuild_rollups {name}: {rows:,} rows in {time.perf_counter() - t:.1f}s")
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {rollups.get(name).target_model._meta.db_table}")


def timed(fn, repeat: int) -> list[float]:
    fn()  # warm
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def p(values, q):
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", required=True)
    parser.add_argument("--needs", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--figure-runs", type=int, default=3, help="interleaved runs of the figures sides")
    parser.add_argument("--load-only", action="store_true", help="load the data and rollups, time nothing")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.postgres
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import machine  # bench/machine.py: load average, shared_buffers, work_mem

    print(machine.state())
    from django.core.paginator import Paginator
    from django.db import connection, reset_queries
    from django.utils import timezone

    from qinqing.core import figures as registry
    from qinqing.core.pagination import CappedPaginator
    from qinqing.financing import figures as fin_figures
    from qinqing.financing.models import NeedReferral, StageEvent
    from qinqing.financing.permissions import visible_referrals

    t = time.perf_counter()
    ctx = load(args.needs)
    print(
        f"loaded in {time.perf_counter() - t:.0f}s: {NeedReferral.objects.count():,} referrals, {StageEvent.objects.count():,} stage events"
    )
    today = timezone.localdate()
    # The page's kind of period: from the first of a month (a year of data: the 12 months up to today's).
    first = today.replace(day=1)
    year, month = (first.year, first.month - 11) if first.month > 11 else (first.year - 1, first.month + 1)
    period = registry.Period(dt.date(year, month, 1), today)
    dims = {"bank": "", "region": "", "industry": "", "size": ""}
    scope = ctx["root"].path
    figs = registry.all_figures(domain="financing")
    if args.load_only:
        return

    from django.test import RequestFactory

    from qinqing.accounts.models import User
    from qinqing.financing import views_figures

    leader = User.objects.filter(username="bench_fin_leader").first()
    if leader is None:
        from qinqing.accounts.actions import create_user

        leader = create_user(username="bench_fin_leader", name="基准领导", role="fic_leader", org=ctx["root"],
                             password="Bench-Password-2026!", must_change_password=False)  # fmt: skip
    query = {"start": period.start.isoformat(), "end": period.end.isoformat()}

    def page():
        request = RequestFactory().get("/financing/figures/", query)
        request.user = leader
        response = views_figures.figures_page(request)
        assert response.status_code == 200
        return response

    rolled = fin_figures.values_batch(scope, period, dims)
    direct = fin_figures.direct_values(scope, period, dims)
    assert rolled == direct, [k for k in rolled if rolled[k] != direct[k]]
    print(f"values equal: rollups and direct queries ({len(figs)} figures, {period.start}..{period.end})")
    print(machine.state())
    sides = {
        "figures page (rollups)": page,
        "values_batch from the records (the page before)": lambda: fin_figures.direct_values(scope, period, dims),
        "one query per figure (Figure.direct_value)": lambda: [
            f.direct_value(scope, period) for f in figs if isinstance(f, registry.Figure)
        ],
    }
    times = machine.interleaved(sides, args.figure_runs)
    print(machine.state())
    for name, ms in times.items():
        print(f"  {name}: {machine.summary(ms)}")
    fast = statistics.median(times["figures page (rollups)"])
    for name in list(sides)[1:]:
        print(f"  ratio {name} / page: {statistics.median(times[name]) / fast:.1f}× (p50)")
    print(
        f"  放款 {rolled['financing.loan_amount']} 万元, 放款户数 {rolled['financing.lent']}, 需求 {rolled['financing.needs']}, "
        f"提出需求企业 {rolled['financing.need_enterprises']}"
    )

    class Officer:
        is_authenticated = True
        role = "bank_officer"
        org_id = ctx["banks"][0].pk

        def has_perm(self, perm):
            return True

    officer = Officer()

    def page_fast():
        qs = visible_referrals(officer).select_related("need", "need__enterprise").order_by("-pushed_on", "-pk")
        page = CappedPaginator(qs, 30).get_page(1)
        return [(r.need.number, r.need.enterprise.name) for r in page]

    def page_naive():
        qs = NeedReferral.objects.filter(bank_id=officer.org_id).order_by("-pushed_on", "-pk")
        page = Paginator(qs, 30).get_page(1)
        return [(r.need.number, r.need.enterprise.name) for r in page]

    assert page_fast() == page_naive()
    from django.conf import settings

    settings.DEBUG = True
    reset_queries()
    page_fast()
    nq_fast = len(connection.queries)
    reset_queries()
    page_naive()
    nq_naive = len(connection.queries)
    settings.DEBUG = False
    fast = timed(page_fast, args.repeat)
    slow = timed(page_naive, args.repeat)
    print(
        f"bank list (one bank of 22, first page of 30): p50 {p(fast, 50) * 1000:.1f} ms p95 {p(fast, 95) * 1000:.1f} ms, {nq_fast} queries; "
        f"naive p50 {p(slow, 50) * 1000:.1f} ms p95 {p(slow, 95) * 1000:.1f} ms, {nq_naive} queries; ratio {p(slow, 95) / p(fast, 95):.1f}× at p95"
    )


if __name__ == "__main__":
    main()
