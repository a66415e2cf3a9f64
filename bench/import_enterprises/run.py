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
extrapolation from a small, still empty table flatters it slightly). Another reader, python-calamine (rows
as Python lists), is timed beside the bare read (fastexcel: what the import uses). PostgreSQL: database
$BENCH_PG_DB (default qq_reg_bench_<pid>, dropped at the end) on 127.0.0.1:5432. Files (the generated .xlsx,
the SQLite database) go to --scratch or a new temporary directory: two runs at once never share a path.

On PostgreSQL the import's two ways of writing are timed side by side, interleaved in the same child:
"adbc" (each batch staged by ADBC's PostgreSQL driver as binary COPY from Arrow into an unlogged scratch
table, then one INSERT … SELECT in the batch's transaction) and "copy" (polars' CSV through psycopg's
COPY inside the transaction); the setting QINQING_IMPORT_PG_WRITE picks one (default "adbc").

    .venv/bin/python bench/import_enterprises/run.py --against /tmp/base   # A/B against another tree

--floor also times, in each repeat, the import handed the table already read (everything after the read) and
the same with a thread reading the file again beside it (a perfect overlap of the read with the rest), with the
CPU-seconds the whole machine spent (/proc/stat): the floor, as a multiple of the bare read, of any import that
streams its file instead of reading it first.

--against TREE times qinqing's import of this tree and of the git worktree TREE (e.g. `git worktree add
/tmp/base 4a42822`; the same virtualenv), one child per side and database, alternating base, new, base,
new (--rounds), each child --repeat times; django-import-export is not run then.
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import threading
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


def machine_cpu() -> float:
    """CPU-seconds the whole machine has been busy (every process: this one, PostgreSQL's backends, the rest), from
    /proc/stat; NaN where there is none. Differences of it tell what a step cost both cores together."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return float("nan")
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def child(db: str, path: Path, die_rows: int, repeat: int, scratch: Path, tree: Path, floor: bool = False) -> dict:
    sys.path.insert(0, str(tree))  # the tree whose import is timed (this one, or --against's)
    os.chdir(tree)
    if db == "postgres":
        import psycopg

        with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DB}")
            conn.execute(f"CREATE DATABASE {PG_DB}")
        os.environ["DATABASE_URL"] = PG_URL
    else:
        sqlite = scratch / f"bench_{os.getpid()}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(str(sqlite) + suffix).unlink(missing_ok=True)
        os.environ["QINQING_SQLITE_PATH"] = str(sqlite)
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    sys.path.insert(0, str(ROOT / "bench"))
    import machine  # bench/machine.py: load average, shared_buffers, work_mem
    from competitors import calamine_read, die_import, die_read  # beside this file

    print(machine.state(), file=sys.stderr)  # stdout carries the result
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connection

    from qinqing.orgs.actions import create_organization
    from qinqing.registry.importing import runner
    from qinqing.registry.importing.reader import read_table
    from qinqing.registry.importing.runner import run_import
    from qinqing.registry.models import Enterprise, EnterpriseYearFigures

    province = create_organization(kind="fic", name="湖南省工商联", region_code="430000", parent=None)
    city = create_organization(kind="fic", name="岳阳市工商联", region_code="430600", parent=province)
    county = create_organization(kind="fic", name="岳阳县工商联", region_code="430621", parent=city)
    base_mb = peak_mb()

    def empty() -> None:
        """Empty the two tables so each run inserts into a clean heap and clean indexes. PostgreSQL: TRUNCATE
        (CASCADE: the tables that point at them, empty here; autovacuum may be off, and a DELETE left every run
        inserting among the previous runs' dead rows and index entries), then ANALYZE, so the run plans against
        an empty table, not stale statistics. SQLite: raw DELETEs (not the ORM's cascade collector)."""
        figures, enterprises = EnterpriseYearFigures._meta.db_table, Enterprise._meta.db_table
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"TRUNCATE {figures}, {enterprises} CASCADE")  # empty referencing tables too
                cursor.execute(f"ANALYZE {figures}, {enterprises}")
            else:
                cursor.execute(f"DELETE FROM {figures}")
                cursor.execute(f"DELETE FROM {enterprises}")

    from django.conf import settings

    # PostgreSQL: both ways of writing, the default first (its times are "ours").
    from qinqing.registry.importing.sqlwrite import pg_write

    default_write = pg_write()
    writes = [default_write, *({"adbc", "copy"} - {default_write})] if db == "postgres" and die_rows else [""]

    def ours(write: str) -> float:
        empty()
        if write:
            settings.QINQING_IMPORT_PG_WRITE = write
        t = time.perf_counter()
        report = run_import("enterprises", path, org=county, dry_run=False)
        elapsed = time.perf_counter() - t
        settings.QINQING_IMPORT_PG_WRITE = default_write
        assert report.new == rows and not report.errors, (report.summary(), report.errors[:3])
        assert Enterprise.objects.count() == rows and EnterpriseYearFigures.objects.count() == rows
        return elapsed

    def after_read(table, beside_read: bool) -> tuple[float, float]:
        """--floor: the import handed the table already read (``runner.read_table`` replaced for the call), so what
        is timed is everything after the read: validation, plan, seal, stage, write, commit. With ``beside_read``
        a thread reads the file again meanwhile: a perfect overlap of the read with the rest (any import that
        streams the file does at least this work at once), the floor of such an import. Returns its wall time and
        the machine's busy CPU-seconds over it."""
        empty()
        reread = threading.Thread(target=read_table, args=(path,)) if beside_read else None
        runner.read_table = lambda *_args, **_kw: table
        try:
            t, cpu = time.perf_counter(), machine_cpu()
            if reread is not None:
                reread.start()
            report = run_import("enterprises", path, org=county, dry_run=False)
            if reread is not None:
                reread.join()
            elapsed, used = time.perf_counter() - t, machine_cpu() - cpu
        finally:
            runner.read_table = read_table
        assert report.new == rows and not report.errors, (report.summary(), report.errors[:3])
        return elapsed, used

    floor_times: dict[str, list[float]] = {"read_cpu": [], "after": [], "after_cpu": [], "overlap": []}
    # Best and worst of --repeat for every timing, interleaved (read, qinqing's ways of writing,
    # django-import-export, …), so that load from other work on the shared machine hits all sides alike.
    read_times, die_times, calamine_times = [], [], []
    write_times: dict[str, list[float]] = {w: [] for w in writes}
    rows, ours_mb = 0, 0.0
    for _ in range(repeat):
        t, cpu = time.perf_counter(), machine_cpu()
        table = read_table(path)
        read_times.append(time.perf_counter() - t)
        floor_times["read_cpu"].append(machine_cpu() - cpu)
        rows = len(table)
        calamine_times.append(calamine_read(path))

        for write in writes:
            write_times[write].append(ours(write))
            ours_mb = ours_mb or peak_mb()
        if floor:  # after the import proper, so its first run's warm-up (keys, drivers) is not counted here
            elapsed, used = after_read(table, beside_read=False)
            floor_times["after"].append(elapsed)
            floor_times["after_cpu"].append(used)
            floor_times["overlap"].append(after_read(table, beside_read=True)[0])
        del table

        empty()
        if die_rows:
            die_times.append(die_import(path, county, die_rows))
            empty()
    ours_times = write_times[writes[0]]
    run_import("enterprises", path, org=county, dry_run=False)
    t = time.perf_counter()
    again = run_import("enterprises", path, org=county, dry_run=True)
    preview_unchanged_s = time.perf_counter() - t
    assert again.unchanged == rows
    read_s, ours_s = min(read_times), min(ours_times)
    die_s = min(die_times) if die_times else float("nan")
    die_n = die_rows or 1
    die_full_s = die_s * rows / die_n
    die_read_s = die_read(path) if die_rows else float("nan")
    return {
        "db": db,
        "machine_end": machine.state(),
        "writes": {w: t for w, t in write_times.items() if w},
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
        "ratio_worst": (max(die_times) * rows / die_n) / max(ours_times) if die_times else float("nan"),
        "die_read_s": die_read_s,
        "ratio_end_to_end": (die_read_s + die_full_s) / ours_s,
        "ratio_vs_read": ours_s / read_s,
        "ratio_vs_read_worst": max(ours_times) / max(read_times),
        "read_times": read_times,
        "calamine_times": calamine_times,
        "ours_times": ours_times,
        "die_times": die_times,
        "peak_rss_mb_before": base_mb,
        "peak_rss_mb_after_ours": ours_mb,
        "peak_rss_mb_end": peak_mb(),
        "cpus": os.cpu_count(),
        "floor": floor_times if floor else None,
    }


def run_child(db: str, args, tree: Path) -> dict:
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
            "--tree",
            str(tree),
            *(["--floor"] if args.floor else []),
        ],
        capture_output=True,
        text=True,
    )
    if out.returncode:
        raise SystemExit(out.stdout + out.stderr)
    r = json.loads(out.stdout.strip().splitlines()[-1])
    r["machine_start"] = [line for line in out.stderr.splitlines() if line.startswith("load average")][-1:]
    return r


def spread(times: list[float]) -> str:
    return f"best {min(times):.2f} s, worst {max(times):.2f} s  [{', '.join(f'{x:.2f}' for x in times)}]"


def report(r: dict, args) -> None:
    keys = ("read_times", "ours_times", "die_times", "calamine_times")
    runs = {key: ", ".join(f"{x:.2f}" for x in r[key]) for key in keys}
    print(f"[{r['db']}] {' '.join(r['machine_start'])}  ->  at the end: {r['machine_end']}")
    print(
        f"[{r['db']}] {r['rows']} rows x {r['columns']} columns, best of {args.repeat} (all runs in brackets)\n"
        f"  bare read (fastexcel -> text columns) {r['read_s']:7.2f} s  [{runs['read_times']}]\n"
        f"  other reader: python-calamine rows  {min(r['calamine_times']):7.2f} s  [{runs['calamine_times']}]\n"
        f"  qinqing import                  {r['ours_s']:7.2f} s  [{runs['ours_times']}]  "
        f"{r['ours_rows_per_s']:,.0f} rows/s, {r['ratio_vs_read']:.2f}x the bare read "
        f"(worst against worst {r['ratio_vs_read_worst']:.2f}x)"
    )
    for write, times in r["writes"].items():
        print(f"    PostgreSQL write {write:5}: {spread(times)}")
    print(f"  qinqing re-run preview          {r['preview_unchanged_s']:7.2f} s  (all rows unchanged)")
    if r["die_times"]:
        print(
            f"  django-import-export, {r['die_rows']} rows {r['die_s']:7.2f} s  [{runs['die_times']}]  "
            f"{r['die_rows_per_s']:,.0f} rows/s -> {r['die_extrapolated_s']:.1f} s for {r['rows']} rows\n"
            f"  SPEED-UP vs django-import-export's standard import: {r['ratio']:.1f}x best against best, "
            f"{r['ratio_worst']:.1f}x "
            f"worst against worst (its import alone, given the rows already read)\n"
            f"  django-import-export reading the file (tablib/openpyxl, once) {r['die_read_s']:.2f} s -> "
            f"end to end (read + import, as qinqing's time includes its read): {r['ratio_end_to_end']:.1f}x"
        )
    if r["floor"]:
        f, read = r["floor"], r["read_s"]
        bound = [(rc + ac) / r["cpus"] for rc, ac in zip(f["read_cpu"], f["after_cpu"], strict=True)]
        print(
            f"  FLOOR (--floor; x the best bare read, {read:.2f} s):\n"
            f"    bare read's CPU, whole machine      {spread(f['read_cpu'])} CPU-s\n"
            f"    the import after its read (handed the table): {spread(f['after'])} -> "
            f"{min(f['after']) / read:.2f}x; CPU {spread(f['after_cpu'])} CPU-s\n"
            f"    the same with the file read beside it (a perfect overlap): {spread(f['overlap'])} -> "
            f"{min(f['overlap']) / read:.2f}x\n"
            f"    CPU bound of any overlap, (read + rest) CPU-s / {r['cpus']} cores: {spread(bound)} -> "
            f"{min(bound) / read:.2f}x"
        )
    print(
        f"  peak RSS (ru_maxrss): {r['peak_rss_mb_before']:.0f} MB after setup, "
        f"{r['peak_rss_mb_after_ours']:.0f} MB after qinqing's first import, "
        f"{r['peak_rss_mb_end']:.0f} MB at the end"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--die-rows", type=int, default=5000, help="0: neither django-import-export nor the other PostgreSQL write"
    )
    parser.add_argument("--repeat", type=int, default=3, help="best and worst of N runs of each timing")
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--tree", type=Path, default=ROOT, help=argparse.SUPPRESS)
    parser.add_argument("--against", type=Path, help="A/B: another tree's import (a git worktree), alternated")
    parser.add_argument("--rounds", type=int, default=2, help="with --against: children per side")
    parser.add_argument("--scratch", type=Path, help="scratch directory (default: a new temporary directory)")
    parser.add_argument(
        "--floor",
        action="store_true",
        help="also time the import after its read (handed the table), alone and with the file read beside it",
    )
    args = parser.parse_args()
    own_scratch = args.scratch is None
    if own_scratch:
        import tempfile

        args.scratch = Path(tempfile.mkdtemp(prefix="qq-reg-bench-"))
    args.scratch.mkdir(parents=True, exist_ok=True)
    path = args.scratch / f"rows_{args.rows}.xlsx"
    if args.child:
        print(json.dumps(child(args.db, path, args.die_rows, args.repeat, args.scratch, args.tree, args.floor)))
        return
    if not path.exists():
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        t = time.perf_counter()
        make_file(path, args.rows)
        print(f"generated {path} ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t:.1f} s")
    try:
        for db in ("sqlite", "postgres") if args.db == "both" else (args.db,):
            if args.against is None:
                report(run_child(db, args, ROOT), args)
                continue
            args.die_rows = 0
            sides: dict[str, list[float]] = {"base": [], "new": []}
            for _ in range(args.rounds):
                for name, tree in (("base", args.against), ("new", ROOT)):
                    r = run_child(db, args, tree)
                    sides[name].extend(r["ours_times"])
                    print(
                        f"[{db}] {name} {tree}: {spread(r['ours_times'])}; bare read {min(r['read_times']):.2f} s; "
                        f"{' '.join(r['machine_start'])}"
                    )
            change = min(sides["new"]) / min(sides["base"]) - 1
            print(
                f"[{db}] A/B: base {spread(sides['base'])}\n[{db}]      new  {spread(sides['new'])}\n"
                f"[{db}]      change best against best {change:+.1%}, "
                f"worst against worst {max(sides['new']) / max(sides['base']) - 1:+.1%}"
            )
    finally:
        if args.db in ("postgres", "both") and not os.environ.get("BENCH_KEEP_DB"):
            import psycopg

            with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
        if own_scratch:
            import shutil

            shutil.rmtree(args.scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
