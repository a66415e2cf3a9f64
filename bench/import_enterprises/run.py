"""Benchmark: import 100,000 enterprise rows (18 columns, .xlsx) with qinqing's engine, against
django-import-export's standard import of the same file and against the bare time to read it.

    .venv/bin/python bench/import_enterprises/run.py                 # SQLite and PostgreSQL
    .venv/bin/python bench/import_enterprises/run.py --db sqlite --rows 100000 --die-rows 5000

Each database runs in its own child process (fresh database, fresh memory figures); inside it the
read, qinqing's import and django-import-export's import run in the same process on the same file.
django-import-export imports the first --die-rows rows and its time is extrapolated linearly to the
full file (its per-row cost is constant: one query set per row).
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
PG_URL = "postgres://postgres@127.0.0.1:5432/qq_reg_bench"


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
            v = values[c.key]
            if isinstance(v, int | float):
                ws.write_number(i, j, v)
            elif v:
                ws.write_string(i, j, v)
    wb.close()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(db: str, path: Path, die_rows: int) -> dict:
    if db == "postgres":
        import psycopg

        with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS qq_reg_bench")
            conn.execute("CREATE DATABASE qq_reg_bench")
        os.environ["DATABASE_URL"] = PG_URL
    else:
        sqlite = Path("/tmp/qq_reg_bench.sqlite3")
        for suffix in ("", "-wal", "-shm"):
            Path(str(sqlite) + suffix).unlink(missing_ok=True)
        os.environ["QINQING_SQLITE_PATH"] = str(sqlite)
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from qinqing.orgs.actions import create_organization
    from qinqing.registry.importing.reader import read_table
    from qinqing.registry.importing.runner import run_import
    from qinqing.registry.models import Enterprise, EnterpriseYearFigures

    province = create_organization(kind="fic", name="湖南省工商联", region_code="430000", parent=None)
    city = create_organization(kind="fic", name="岳阳市工商联", region_code="430600", parent=province)
    county = create_organization(kind="fic", name="岳阳县工商联", region_code="430621", parent=city)
    base_mb = peak_mb()

    t = time.perf_counter()
    table = read_table(path)
    read_s = time.perf_counter() - t
    rows = len(table.rows)
    del table

    t = time.perf_counter()
    report = run_import("enterprises", path, org=county, dry_run=False)
    ours_s = time.perf_counter() - t
    ours_mb = peak_mb()
    assert report.new == rows and not report.errors, (report.summary(), report.errors[:3])
    assert Enterprise.objects.count() == rows and EnterpriseYearFigures.objects.count() == rows

    t = time.perf_counter()
    again = run_import("enterprises", path, org=county, dry_run=True)
    preview_unchanged_s = time.perf_counter() - t
    assert again.unchanged == rows

    EnterpriseYearFigures.objects.all().delete()
    Enterprise.objects.all().delete()
    die_s, die_n = die_import(path, county, die_rows)
    die_full_s = die_s * rows / die_n
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
        "ratio_vs_read": ours_s / read_s,
        "peak_rss_mb_before": base_mb,
        "peak_rss_mb_after_ours": ours_mb,
    }


def die_import(path: Path, county, limit: int) -> tuple[float, int]:
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
    data = tablib.Dataset(*[tuple(r) for r in table.rows[:limit]], headers=table.headers)
    t = time.perf_counter()
    result = EnterpriseResource().import_data(data, dry_run=False, raise_errors=True)
    elapsed = time.perf_counter() - t
    assert result.totals["new"] == limit, result.totals
    return elapsed, limit


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--die-rows", type=int, default=5000)
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    path = Path(f"/tmp/qq_reg_bench_{args.rows}.xlsx")
    if args.child:
        print(json.dumps(child(args.db, path, args.die_rows)))
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
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"[{r['db']}] {r['rows']} rows x {r['columns']} columns\n"
            f"  read only (calamine)        {r['read_s']:7.2f} s\n"
            f"  qinqing import              {r['ours_s']:7.2f} s  {r['ours_rows_per_s']:9.0f} rows/s  "
            f"({r['ratio_vs_read']:.1f}x the bare read)\n"
            f"  qinqing re-run preview      {r['preview_unchanged_s']:7.2f} s  (all rows unchanged)\n"
            f"  django-import-export        {r['die_s']:7.2f} s for {r['die_rows']} rows  "
            f"{r['die_rows_per_s']:9.0f} rows/s  -> {r['die_extrapolated_s']:.1f} s extrapolated to {r['rows']}\n"
            f"  speed-up vs django-import-export: {r['ratio']:.1f}x\n"
            f"  peak RSS: {r['peak_rss_mb_before']:.0f} MB after setup, {r['peak_rss_mb_after_ours']:.0f} MB after "
            f"qinqing's import"
        )


if __name__ == "__main__":
    main()
