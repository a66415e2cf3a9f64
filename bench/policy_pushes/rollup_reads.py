"""Policy push counts at a province: the direct statements (before 1b5728d) against the rollup reads (after).

Read-only on the province bench database (qq_prov_bench, 3.3 M pushes after the first matching run); the rollup
rows are copied from it into a database of their own (qq_pushes_bench: pushday, pushmonth, pushreach, the same
columns and indexes as policies_pushrollup / _pushmonthrollup / _pushreach). Each statement runs REPEAT times in
turn (before, after, before, …); prints best and worst milliseconds.

    python bench/policy_pushes/rollup_reads.py [REPEAT]
"""

import sys
import time

import psycopg

BENCH = "postgresql://postgres@127.0.0.1:5432/qq_prov_bench"
ROLLUPS = "postgresql://postgres@127.0.0.1:5432/qq_pushes_bench"
SCOPES = {"province": "/430000/", "county": "/430000/430600/430621/"}

BEFORE = {
    # policy_figures: sent, opened and distinct enterprises of the scope's pushes (one statement)
    "figures": "SELECT COUNT(id), COUNT(id) FILTER (WHERE opened_at IS NOT NULL), COUNT(DISTINCT enterprise_id) "
    "FROM policies_policypush WHERE org_path LIKE %s",
    # home card 已推送政策
    "home card": "SELECT COUNT(*) FROM policies_policypush WHERE org_path LIKE %s",
}
AFTER = {
    "figures": [
        "SELECT SUM(sent), SUM(opened) FROM pushmonth WHERE org_path LIKE %s",
        "SELECT enterprises FROM pushreach WHERE org_path = %s",
    ],
    "home card": ["SELECT SUM(sent) FROM pushmonth WHERE org_path LIKE %s"],
}


def timed(conn, sql: str, param: str) -> tuple[float, tuple]:
    t0 = time.perf_counter()
    row = conn.execute(sql, [param]).fetchone()
    return (time.perf_counter() - t0) * 1000, row


def main(repeat: int) -> None:
    with psycopg.connect(BENCH) as before, psycopg.connect(ROLLUPS) as after:
        before.read_only = True
        for scope_name, scope in SCOPES.items():
            for page, sql in BEFORE.items():
                old, new, values = [], [], None
                for _i in range(repeat):
                    ms, row = timed(before, sql, scope + "%")
                    old.append(ms)
                    total, got = 0.0, []
                    for statement in AFTER[page]:
                        param = scope if "= %s" in statement else scope + "%"
                        ms, r = timed(after, statement, param)
                        total += ms
                        got += list(r or ())
                    new.append(total)
                    values = (row, got)
                print(
                    f"{scope_name:8} {page:10} before {min(old):8.1f}-{max(old):8.1f} ms   "
                    f"after {min(new):6.2f}-{max(new):6.2f} ms   values {values[0]} / {values[1]}",
                    flush=True,
                )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
