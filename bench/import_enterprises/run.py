"""Benchmark: import 100,000 enterprise rows (18 columns, .xlsx) with qinqing's engine, against
django-import-export's standard import of the same file and against the bare time to read it.

    .venv/bin/python bench/import_enterprises/run.py                 # SQLite and PostgreSQL
    .venv/bin/python bench/import_enterprises/run.py --db sqlite --rows 100000 --die-rows 5000

Each database runs in its own child process (fresh database, fresh memory figures); inside it the
read, qinqing's import (``run_import``: the path the page's job and ``manage.py import_enterprises``
use) and django-import-export's standard import run in the same process on the same file, interleaved,
--repeat times each into an emptied table; the best of each is compared. django-import-export imports
the first --die-rows rows (handed to it already read, so only its import is timed) and its time is
extrapolated linearly to the full file (its cost is per row: a SELECT and an INSERT per row; the
extrapolation from a small, still empty table flatters it slightly). PostgreSQL: database
$BENCH_PG_DB (default qq_reg_bench_<pid>, dropped at the end) on 127.0.0.1:5432. Files (the generated .xlsx,
the SQLite database) go to --scratch or a new temporary directory: two runs at once never share a path.
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
# Each run its own database and scratch directory, so two runs at once do not overwrite each other.
PG_DB = os.environ.setdefault("BENCH_PG_DB", f"qq_reg_bench_{os.getpid()}")
PG_URL = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"


def make_file(path: Path, rows: int) -> None:
    import xlsxwriter

    from qinqing.registry.importing.columns import ENTERPRISE_COLUMNS

    sys.path.insert(0, str(ROOT))
    first17 = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    def code(n: int) -> str:
        body = f"91430621MA{n:07d}"
        total = sum(first17.index(c) * w for c, w in zip(body, weights, strict=True))
        return body + first17[(31 - total % 31) % 31]

    rng = random.Random(42)
    columns = [c for c in ENTERPRISE_COLUMNS if not c.computed]
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet()
    for j, c in enumerate(columns):
        ws.write_string(0, j, c.label)
    industries = ["1391", "3911", "5121", "5211", "4710", "6511", "6210", "5432", "7010", "0111"]
    for i in range(1, rows + 1):
        revenue = round(rng.lognormvariate(7, 1.5), 2)
        values = {
            "credit_code": code(i),
            "name": f"岳阳县测试{i}号科技有限公司",
            "legal_representative": rng.choice("王李张刘陈杨") + rng.choice(["伟", "芳", "军", "敏"]),
            "legal_rep_id_number": "430621199001011234",
            "region_code": "430621",
            "industry_code": rng.choice(industries),
            "founded_on": f"{rng.randint(1995, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "employees": rng.randint(1, 2000),
            "revenue_wan": revenue,
            "total_assets_wan": round(revenue * rng.uniform(0.5, 2), 2),
            "qualifications": "高新技术企业" if rng.random() < 0.1 else "",
            "address": f"岳阳县荣家湾镇示范路{i}号",
            "contact_name": "赵六",
            "contact_mobile": f"139{rng.randint(0, 99999999):08d}",
            "year": 2025,
            "tax_wan": round(revenue * 0.03, 2),
            "rd_spend_wan": round(revenue * 0.02, 2),
        }
        for j, c in enumerate(columns):
            v = values.get(c.key, "")  # columns without a value here (e.g. the ranking flags) stay blank
            if isinstance(v, int | float):
                ws.write_number(i, j, v)
            elif v:
                ws.write_string(i, j, v)
    wb.close()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(db: str, path: Path, die_rows: int, repeat: int, scratch: Path) -> dict:
    if db == "postgres":
        import psycopg

        with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DB}")
            conn.execute(f"CREATE DATABASE {PG_DB}")
        os.environ["DATABASE_URL"] = PG_URL
    else:
        sqlite = scratch / "bench.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(str(sqlite) + suffix).unlink(missing_ok=True)
        os.environ["QINQING_SQLITE_PATH"] = str(sqlite)
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import machine  # bench/machine.py: load average, shared_buffers, work_mem

    print(machine.state())
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connection

    from qinqing.orgs.actions import create_organization
    from qinqing.registry.importing.reader import read_table
    from qinqing.registry.importing.runner import run_import
    from qinqing.registry.models import Enterprise, EnterpriseYearFigures

    province = create_organization(kind="fic", name="湖南省工商联", region_code="430000", parent=None)
    city = create_organization(kind="fic", name="岳阳市工商联", region_code="430600", parent=province)
    county = create_organization(kind="fic", name="岳阳县工商联", region_code="430621", parent=city)
    base_mb = peak_mb()

    def empty() -> None:
        with connection.cursor() as cursor:  # raw deletes: the ORM's cascade collector is not what we time
            cursor.execute(f"DELETE FROM {EnterpriseYearFigures._meta.db_table}")
            cursor.execute(f"DELETE FROM {Enterprise._meta.db_table}")

    # Best of --repeat for every timing, interleaved (read, qinqing, django-import-export, …), so that
    # load from other work on the shared machine hits both sides alike.
    read_times, ours_times, die_times = [], [], []
    rows, ours_mb = 0, 0.0
    for _ in range(repeat):
        t = time.perf_counter()
        table = read_table(path)
        read_times.append(time.perf_counter() - t)
        rows = len(table)
        del table

        empty()
        t = time.perf_counter()
        report = run_import("enterprises", path, org=county, dry_run=False)
        ours_times.append(time.perf_counter() - t)
        ours_mb = ours_mb or peak_mb()
        assert report.new == rows and not report.errors, (report.summary(), report.errors[:3])
        assert Enterprise.objects.count() == rows and EnterpriseYearFigures.objects.count() == rows

        empty()
        die_times.append(die_import(path, county, die_rows))
        empty()
    report = run_import("enterprises", path, org=county, dry_run=False)
    t = time.perf_counter()
    again = run_import("enterprises", path, org=county, dry_run=True)
    preview_unchanged_s = time.perf_counter() - t
    assert again.unchanged == rows
    read_s, ours_s, die_s = min(read_times), min(ours_times), min(die_times)
    die_n = die_rows
    die_full_s = die_s * rows / die_n
    die_read_s = die_read(path)
    return {
        "db": db,
        "rows": rows,
        "columns": 17,
        "read_s": read_s,
        "ours_s": ours_s,
        "ours_rows_per_s": rows / ours_s,
        "preview_unchanged_s": preview_unchanged_s,
        "die_rows": die_n,
        "die_s": die_s,
        "die_rows_per_s": die_n / die_s,
        "die_extrapolated_s": die_full_s,
        "ratio": die_full_s / ours_s,
        "die_read_s": die_read_s,
        "ratio_end_to_end": (die_read_s + die_full_s) / ours_s,
        "ratio_vs_read": ours_s / read_s,
        "read_times": read_times,
        "ours_times": ours_times,
        "die_times": die_times,
        "peak_rss_mb_before": base_mb,
        "peak_rss_mb_after_ours": ours_mb,
        "peak_rss_mb_end": peak_mb(),
    }


def die_read(path: Path) -> float:
    """How django-import-export reads an uploaded .xlsx (its XLSX format: tablib → openpyxl), whole file."""
    import tablib

    t = time.perf_counter()
    with path.open("rb") as fh:
        data = tablib.Dataset().load(fh, format="xlsx")
    elapsed = time.perf_counter() - t
    assert data.height > 0
    return elapsed


def die_import(path: Path, county, limit: int) -> float:
    """django-import-export's standard import (ModelResource.import_data, not bulk) of the first rows."""
    import tablib
    from import_export import fields, resources, widgets

    from qinqing.registry.importing.reader import read_table
    from qinqing.registry.models import Enterprise

    class EnterpriseResource(resources.ModelResource):
        credit_code = fields.Field(attribute="credit_code", column_name="统一社会信用代码")
        name = fields.Field(attribute="name", column_name="企业名称")
        legal_representative = fields.Field(attribute="legal_representative", column_name="法定代表人")
        legal_rep_id_number = fields.Field(attribute="legal_rep_id_number", column_name="法定代表人身份证号")
        region_code = fields.Field(attribute="region_code", column_name="行政区划代码")
        industry_code = fields.Field(attribute="industry_code", column_name="行业代码")
        founded_on = fields.Field(attribute="founded_on", column_name="成立日期", widget=widgets.DateWidget("%Y-%m-%d"))
        employees = fields.Field(attribute="employees", column_name="从业人员", widget=widgets.IntegerWidget())
        revenue_wan = fields.Field(
            attribute="revenue_wan", column_name="营业收入（万元）", widget=widgets.DecimalWidget()
        )
        total_assets_wan = fields.Field(
            attribute="total_assets_wan", column_name="资产总额（万元）", widget=widgets.DecimalWidget()
        )
        address = fields.Field(attribute="address", column_name="地址")
        contact_name = fields.Field(attribute="contact_name", column_name="联系人")
        contact_mobile = fields.Field(attribute="contact_mobile", column_name="联系人手机")

        class Meta:
            model = Enterprise
            import_id_fields = ["credit_code"]
            fields = [
                "credit_code",
                "name",
                "legal_representative",
                "legal_rep_id_number",
                "region_code",
                "industry_code",
                "founded_on",
                "employees",
                "revenue_wan",
                "total_assets_wan",
                "address",
                "contact_name",
                "contact_mobile",
            ]

        def before_save_instance(self, instance, row, **kwargs):
            instance.fic = county
            instance.org_path = county.path

    table = read_table(path)  # give it the rows pre-read: only its import is timed
    data = tablib.Dataset(*table.frame.head(limit).iter_rows(), headers=table.headers)
    t = time.perf_counter()
    result = EnterpriseResource().import_data(data, dry_run=False, raise_errors=True)
    elapsed = time.perf_counter() - t
    assert result.totals["new"] == limit, result.totals
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--die-rows", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs of each timing")
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--scratch", type=Path, help="scratch directory (default: a new temporary directory)")
    args = parser.parse_args()
    own_scratch = args.scratch is None
    if own_scratch:
        import tempfile

        args.scratch = Path(tempfile.mkdtemp(prefix="qq-reg-bench-"))
    args.scratch.mkdir(parents=True, exist_ok=True)
    path = args.scratch / f"rows_{args.rows}.xlsx"
    if args.child:
        print(json.dumps(child(args.db, path, args.die_rows, args.repeat, args.scratch)))
        return
    if not path.exists():
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        t = time.perf_counter()
        make_file(path, args.rows)
        print(f"generated {path} ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t:.1f} s")
    for db in ("sqlite", "postgres") if args.db == "both" else (args.db,):
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                "--db",
                db,
                "--rows",
                str(args.rows),
                "--die-rows",
                str(args.die_rows),
                "--repeat",
                str(args.repeat),
                "--scratch",
                str(args.scratch),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
        runs = {key: ", ".join(f"{x:.2f}" for x in r[key]) for key in ("read_times", "ours_times", "die_times")}
        print(
            f"[{r['db']}] {r['rows']} rows x {r['columns']} columns, best of {args.repeat} (all runs in brackets)\n"
            f"  bare read (fastexcel -> text columns) {r['read_s']:7.2f} s  [{runs['read_times']}]\n"
            f"  qinqing import                  {r['ours_s']:7.2f} s  [{runs['ours_times']}]  "
            f"{r['ours_rows_per_s']:,.0f} rows/s, {r['ratio_vs_read']:.1f}x the bare read\n"
            f"  qinqing re-run preview          {r['preview_unchanged_s']:7.2f} s  (all rows unchanged)\n"
            f"  django-import-export, {r['die_rows']} rows {r['die_s']:7.2f} s  [{runs['die_times']}]  "
            f"{r['die_rows_per_s']:,.0f} rows/s -> {r['die_extrapolated_s']:.1f} s for {r['rows']} rows\n"
            f"  SPEED-UP vs django-import-export's standard import: {r['ratio']:.1f}x "
            f"(its import alone, given the rows already read)\n"
            f"  django-import-export reading the file (tablib/openpyxl, once) {r['die_read_s']:.2f} s -> "
            f"end to end (read + import, as qinqing's time includes its read): {r['ratio_end_to_end']:.1f}x\n"
            f"  peak RSS (ru_maxrss): {r['peak_rss_mb_before']:.0f} MB after setup, "
            f"{r['peak_rss_mb_after_ours']:.0f} MB after qinqing's first import, "
            f"{r['peak_rss_mb_end']:.0f} MB at the end"
        )
    if args.db in ("postgres", "both") and not os.environ.get("BENCH_KEEP_DB"):
        import psycopg

        with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
    if own_scratch:
        import shutil

        shutil.rmtree(args.scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
