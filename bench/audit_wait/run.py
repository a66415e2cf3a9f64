"""Benchmark: how long a user's audited action waits while a 100,000-row enterprise import runs (PostgreSQL).

    .venv/bin/python bench/audit_wait/run.py --rows 100000 --rounds 2 --scratch /work/scratch/audit/bench

Every audited action locks the audit chain head until its transaction commits, so a long transaction that records
early makes every user's audited action wait for it. The import writes each batch's audit row at the end of the
batch's transaction (``audit.written_at_end``). A second process, standing for a user, records an audited action
(its own transaction, ``lock_timeout`` 30 s) every 50 ms for the whole run; its waits are attributed to the side
whose import was running. Sides, alternated in each round in one process, each into an emptied table:

- ``now``: the import as it is (audit row after the batch's write and checkpoint, right before the commit);
- ``before``: as before this change (audit row after the write, then the checkpoint: written_at_end off);
- ``early``: what recording early costs — the batch's transaction records first, then writes (written_at_end off).

Database $BENCH_PG_DB (default qq_audit_bench_<pid>, dropped at the end); files go to --scratch.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from contextlib import nullcontext
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
PG_DB = os.environ.setdefault("BENCH_PG_DB", f"qq_audit_bench_{os.getpid()}")
PG_URL = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
SIDES = ("now", "before", "early")


def setup_django() -> None:
    os.environ["DATABASE_URL"] = PG_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def user(out: Path, stop: Path) -> None:
    """The user: an audited action every 50 ms until ``stop`` exists; one line per action (start time, seconds)."""
    setup_django()
    from django.db import connection, transaction

    from qinqing.core import audit

    with out.open("w") as lines:
        while not stop.exists():
            started = time.time()
            t = time.perf_counter()
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '30s'")
                audit.record("bench.user_action", message="用户操作")
            lines.write(f"{started} {time.perf_counter() - t}\n")
            lines.flush()
            time.sleep(0.05)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--scratch", type=Path)
    parser.add_argument("--user", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.user:
        user(*args.user)
        return
    import machine

    scratch = machine.scratch_dir(args.scratch, "audit_wait")
    import psycopg

    with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_DB}")
        conn.execute(f"CREATE DATABASE {PG_DB}")
    try:
        run(args, scratch)
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DB}")


def run(args, scratch: Path) -> None:
    setup_django()
    import machine
    from django.core.management import call_command
    from django.db import connection
    from import_enterprises.run import make_file

    from qinqing.core import audit
    from qinqing.orgs.actions import create_organization
    from qinqing.registry.importing import runner
    from qinqing.registry.models import Enterprise, EnterpriseYearFigures

    call_command("migrate", verbosity=0)
    province = create_organization(kind="fic", name="湖南省工商联", region_code="430000", parent=None)
    city = create_organization(kind="fic", name="岳阳市工商联", region_code="430600", parent=province)
    county = create_organization(kind="fic", name="岳阳县工商联", region_code="430621", parent=city)
    path = scratch / f"enterprises_{args.rows}.xlsx"
    if not path.exists():
        make_file(path, args.rows)
    print(machine.state())

    write_batch = runner.enterprises.write_batch
    late = runner.audit

    class Off:  # the runner's view of the audit module with written_at_end off
        record = staticmethod(audit.record)
        written_at_end = staticmethod(nullcontext)

    def early_write(plan):
        audit.record("bench.batch_start", object_type="registry.enterprises")  # head taken first
        write_batch(plan)

    def side(name: str) -> tuple[float, float, float]:
        with connection.cursor() as cursor:
            tables = f"{EnterpriseYearFigures._meta.db_table}, {Enterprise._meta.db_table}"
            cursor.execute(f"TRUNCATE {tables} CASCADE")
            cursor.execute(f"ANALYZE {tables}")
        runner.audit = late if name == "now" else Off
        runner.enterprises.write_batch = early_write if name == "early" else write_batch
        try:
            start = time.time()
            report = runner.run_import("enterprises", path, org=county, dry_run=False)
            end = time.time()
        finally:
            runner.audit, runner.enterprises.write_batch = late, write_batch
        assert report.new == args.rows and not report.errors, report.summary()
        return start, end, end - start

    out, stop = scratch / f"user_{os.getpid()}.txt", scratch / f"stop_{os.getpid()}"
    stop.unlink(missing_ok=True)
    user_process = subprocess.Popen([sys.executable, __file__, "--user", str(out), str(stop)])
    time.sleep(3)
    windows: dict[str, list[tuple[float, float]]] = {s: [] for s in SIDES}
    seconds: dict[str, list[float]] = {s: [] for s in SIDES}
    try:
        for number in range(args.rounds):
            for name in SIDES if number % 2 == 0 else reversed(SIDES):
                start, end, took = side(name)
                windows[name].append((start, end))
                seconds[name].append(took)
                time.sleep(1)
    finally:
        stop.touch()
        user_process.wait(60)
    waits = [tuple(map(float, line.split())) for line in out.read_text().split("\n") if line]
    result = {"rows": args.rows, "rounds": args.rounds, "state_after": machine.state(), "sides": {}}
    for name in SIDES:
        during = sorted(1000 * took for started, took in waits if any(a <= started <= b for a, b in windows[name]))
        result["sides"][name] = {
            "import_s": [round(s, 2) for s in seconds[name]],
            "actions": len(during),
            "p50_ms": round(statistics.median(during), 1) if during else None,
            "p95_ms": round(during[int(0.95 * (len(during) - 1))], 1) if during else None,
            "max_ms": round(during[-1], 1) if during else None,
        }
    idle = sorted(1000 * took for started, took in waits if not any(
        a <= started <= b for ws in windows.values() for a, b in ws))  # fmt: skip
    result["between_imports"] = {"actions": len(idle), "p50_ms": round(statistics.median(idle), 1) if idle else None}
    print(json.dumps(result, ensure_ascii=False, indent=1))
    print(machine.state())


if __name__ == "__main__":
    main()
