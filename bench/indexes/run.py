"""What a foreign key's own index costs the bulk writes when a composite index already leads with its column
(``core.schema_ops.without_own_index``; registry/0015, policies/0009, notifications/0003, surveys/0003,
health/0002). Per case, two tables with the real table's indexes on the columns that matter, one with the dropped
index and one without, each filled with the same --rows existing rows; then the case's write (--batch new rows in
one INSERT … SELECT, rolled back) on each table in turn, --repeat times, interleaved. Prints best, median and worst
milliseconds and the change of the median. SQLite (a file in a temporary directory) and PostgreSQL (database
$BENCH_PG_DB, default qq_idx_bench_<pid>, dropped at the end).

    .venv/bin/python bench/indexes/run.py                                  # small: 100,000 rows, 10,000 written
    .venv/bin/python bench/indexes/run.py --rows 1000000 --batch 10000 --repeat 15
"""

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
PG_DB = os.environ.setdefault("BENCH_PG_DB", f"qq_idx_bench_{os.getpid()}")
PG = "postgresql://postgres@127.0.0.1:5432"

# name: (columns, indexes kept (PostgreSQL-only ones marked "pg:"), the dropped index, existing rows, new rows).
# Row expressions use g (1…n); {n} is --rows. Orders follow the writes: an import of new enterprises appends their
# yearly figures in id order, a new year's file for existing ones comes in its own order; a matching run pushes
# policy after policy to enterprises in id order; notifications go to many recipients at once; a survey's answers
# arrive response by response; a health run writes one result per enterprise in id order.
CASES = {
    "yearly figures, new enterprises (import)": (
        "id integer primary key, enterprise_id bigint not null, year smallint not null, revenue numeric, payload text",
        ["unique (enterprise_id, year)"],
        "(enterprise_id)",
        "g, g, 2025, g, 'x'",
        "{n} + g, {n} + g, 2025, g, 'x'",
    ),
    "yearly figures, a new year of existing ones (import)": (
        "id integer primary key, enterprise_id bigint not null, year smallint not null, revenue numeric, payload text",
        ["unique (enterprise_id, year)"],
        "(enterprise_id)",
        "g, g, 2025, g, 'x'",
        "{n} + g, (g * 7919) % {n} + 1, 2026, g, 'x'",
    ),
    "policy pushes (matching run)": (
        "id integer primary key, policy_id bigint not null, enterprise_id bigint not null, org_path varchar(255) "
        "not null, created_at text",
        ["unique (policy_id, enterprise_id)", "(enterprise_id)", "(org_path)", "pg:(org_path varchar_pattern_ops)"],
        "(policy_id)",
        "g, g % 50 + 1, g / 50 + 1, '/1/' || (g % 7) || '/', 'now'",
        "{n} + g, 1000, g, '/1/' || (g % 7) || '/', 'now'",
    ),
    "notifications (to many recipients)": (
        "id integer primary key, recipient_id bigint not null, key varchar(120) not null, read_at text, title text",
        ["unique (recipient_id, key)", "(recipient_id, read_at)"],
        "(recipient_id)",
        "g, g % 20000 + 1, 'k' || g, null, 'x'",
        "{n} + g, (g * 7919) % 20000 + 1, 'n' || g, null, 'x'",
    ),
    "survey answer values (a survey's responses)": (
        "id integer primary key, survey_id bigint not null, response_id bigint not null, item varchar(20) not null, "
        "value text",
        ["(survey_id, item)", "(response_id)"],
        "(survey_id)",
        "g, g / 20000 + 1, g / 20 + 1, 'q' || (g % 20), 'x'",
        "{n} + g, 9999, {n} + g / 20, 'q' || (g % 20), 'x'",
    ),
    "health results (a health run)": (
        "id integer primary key, enterprise_id bigint not null, is_current boolean not null, org_path varchar(255) "
        "not null, grade varchar(2) not null, computed_at text, run_id bigint not null, version_id bigint not null",
        [
            "(enterprise_id, is_current)",
            "(computed_at)",
            "(grade)",
            "pg:(grade varchar_pattern_ops)",
            "(is_current)",
            "(org_path)",
            "pg:(org_path varchar_pattern_ops)",
            "(run_id)",
            "(version_id)",
        ],
        "(enterprise_id)",
        "g, g, false, '/1/' || (g % 7) || '/', 'B', 'then', 1, 1",
        "{n} + g, g, true, '/1/' || (g % 7) || '/', 'A', 'now', 2, 1",
    ),
}


def series(db: str, first: int, count: int) -> str:
    if db == "postgresql":
        return f"(select generate_series({first}, {first + count - 1}) as g) s"
    last = first + count - 1
    return f"(with recursive s(g) as (select {first} union all select g + 1 from s where g < {last}) select g from s) s"


def build(run, db: str, table: str, case, rows: int, with_dropped: bool) -> None:
    columns, kept, dropped, existing, _new = case
    run(f"drop table if exists {table}")
    run(f"create table {table} ({columns})")
    indexes = [*kept, *([dropped] if with_dropped else [])]
    for i, index in enumerate(indexes):
        if index.startswith("pg:"):
            if db != "postgresql":
                continue
            index = index[3:]
        unique = index.startswith("unique ")
        cols = index.removeprefix("unique ")
        run(f"create {'unique ' if unique else ''}index {table}_{i} on {table} {cols}")
    run(f"insert into {table} select {existing.format(n=rows)} from {series(db, 1, rows)}")


def time_case(db: str, run, case, rows: int, batch: int, repeat: int) -> dict[str, list[float]]:
    new = case[4].format(n=rows)
    times: dict[str, list[float]] = {"with": [], "without": []}
    for _ in range(repeat):
        for side, table in (("with", "idx_with"), ("without", "idx_without")):
            run("begin")
            t = time.perf_counter()
            run(f"insert into {table} select {new} from {series(db, 1, batch)}")
            times[side].append((time.perf_counter() - t) * 1000)
            run("rollback")
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--rows", type=int, default=100_000, help="existing rows in each table")
    parser.add_argument("--batch", type=int, default=10_000, help="rows written by the timed INSERT")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--scratch", type=Path, help="scratch directory (default: a new temporary directory)")
    args = parser.parse_args()
    print(f"load average {', '.join(f'{x:.2f}' for x in os.getloadavg())}; {os.cpu_count()} CPUs")
    for db in ("sqlite", "postgres") if args.db == "both" else (args.db,):
        if db == "postgres":
            import psycopg

            with psycopg.connect(f"{PG}/postgres", autocommit=True) as admin:
                admin.execute(f"drop database if exists {PG_DB}")
                admin.execute(f"create database {PG_DB}")
            conn = psycopg.connect(f"{PG}/{PG_DB}", autocommit=True)
            settings = [conn.execute(f"show {s}").fetchone()[0] for s in ("shared_buffers", "work_mem")]
            print(f"[postgres] shared_buffers={settings[0]} work_mem={settings[1]}")
            vendor = "postgresql"
        else:
            scratch = args.scratch or Path(tempfile.mkdtemp(prefix="qq-idx-bench-"))
            scratch.mkdir(parents=True, exist_ok=True)
            sqlite_file = scratch / f"idx_{os.getpid()}.sqlite3"
            conn = sqlite3.connect(sqlite_file, isolation_level=None)
            conn.execute("pragma journal_mode=wal")
            vendor = "sqlite"
        run = conn.execute
        try:
            for name, case in CASES.items():
                build(run, vendor, "idx_with", case, args.rows, True)
                build(run, vendor, "idx_without", case, args.rows, False)
                if vendor == "postgresql":
                    run("vacuum analyze idx_with")
                    run("vacuum analyze idx_without")
                times = time_case(vendor, run, case, args.rows, args.batch, args.repeat)
                med = {k: statistics.median(v) for k, v in times.items()}
                print(
                    f"[{db}] {name}: {args.batch:,} rows into {args.rows:,}; "
                    + "; ".join(
                        f"{side} {case[2]}: best {min(v):.1f}, median {med[side]:.1f}, worst {max(v):.1f} ms"
                        for side, v in times.items()
                    )
                    + f"; median {med['without'] / med['with'] - 1:+.0%}"
                )
        finally:
            conn.close()
            if db == "sqlite":
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{sqlite_file}{suffix}").unlink(missing_ok=True)
                if args.scratch is None:
                    scratch.rmdir()
            if db == "postgres" and not os.environ.get("BENCH_KEEP_DB"):
                import psycopg

                with psycopg.connect(f"{PG}/postgres", autocommit=True) as admin:
                    admin.execute(f"drop database if exists {PG_DB} with (force)")


if __name__ == "__main__":
    main()
