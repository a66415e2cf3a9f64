"""What the push rollups add to a matching run's writes: policy after policy pushed to the same enterprises, each
policy one transaction, 1,000 pushes a statement — before (1b5728d^: INSERT … ON CONFLICT DO NOTHING, as
bulk_create(ignore_conflicts=True)) against after (the same with RETURNING, the day × path upserts and the
(enterprise, path) pairs' INSERT … ON CONFLICT DO NOTHING RETURNING per 1,000 pushes).

Enterprises and paths read (read-only) from qq_prov_bench; tables of its own in qq_pushes_bench with the indexes
of policies_policypush. Runs before and after in turn REPEAT times; prints best and worst seconds.

    python bench/policy_pushes/push_writes.py [ENTERPRISES] [POLICIES] [REPEAT]
"""

import datetime as dt
import sys
import time
from collections import Counter

import psycopg

BENCH = "postgresql://postgres@127.0.0.1:5432/qq_prov_bench"
OWN = "postgresql://postgres@127.0.0.1:5432/qq_pushes_bench"
SCHEMA = """
DROP TABLE IF EXISTS w_push, w_pairs, w_day;
CREATE TABLE w_push (id bigserial PRIMARY KEY, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL,
    policy_id bigint NOT NULL, enterprise_id bigint NOT NULL, org_path varchar(255) NOT NULL, opened_at timestamptz,
    UNIQUE (policy_id, enterprise_id));
CREATE INDEX ON w_push (policy_id); CREATE INDEX ON w_push (enterprise_id); CREATE INDEX ON w_push (org_path);
CREATE INDEX ON w_push (org_path varchar_pattern_ops);
CREATE TABLE w_pairs (id bigserial PRIMARY KEY, enterprise_id bigint NOT NULL, org_path varchar(255) NOT NULL,
    UNIQUE (enterprise_id, org_path));
CREATE TABLE w_day (id bigserial PRIMARY KEY, day date NOT NULL, org_path varchar(255) NOT NULL,
    sent int NOT NULL DEFAULT 0, opened int NOT NULL DEFAULT 0, UNIQUE (day, org_path));
"""


def push_all(conn, firms, policies: int, rollups: bool) -> float:
    now = dt.datetime.now(dt.UTC)
    t0 = time.perf_counter()
    for policy in range(1, policies + 1):
        with conn.transaction():
            written = []
            for start in range(0, len(firms), 1000):
                chunk = firms[start : start + 1000]
                values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(chunk))
                params = [v for e, p in chunk for v in (now, now, policy, e, p)]
                sql = (
                    "INSERT INTO w_push (created_at, updated_at, policy_id, enterprise_id, org_path) "
                    f"VALUES {values} ON CONFLICT DO NOTHING"
                )
                if rollups:
                    written += conn.execute(sql + " RETURNING enterprise_id, org_path", params).fetchall()
                else:
                    conn.execute(sql, params)
            if rollups:
                by_path = Counter(p for _e, p in written)
                with conn.cursor() as cur:
                    cur.executemany(
                        "INSERT INTO w_day (day, org_path, sent, opened) VALUES (%s, %s, %s, 0) ON CONFLICT (day, "
                        "org_path) DO UPDATE SET sent = w_day.sent + excluded.sent",
                        [(now.date(), p, n) for p, n in sorted(by_path.items())],
                    )
                pairs = sorted(set(written))
                for start in range(0, len(pairs), 1000):
                    chunk = pairs[start : start + 1000]
                    values = ", ".join(["(%s, %s)"] * len(chunk))
                    conn.execute(
                        f"INSERT INTO w_pairs (enterprise_id, org_path) VALUES {values} ON CONFLICT DO NOTHING "
                        "RETURNING enterprise_id, org_path",
                        [v for pair in chunk for v in pair],
                    ).fetchall()
    return time.perf_counter() - t0


def main(enterprises: int, policies: int, repeat: int) -> None:
    with psycopg.connect(BENCH) as bench:
        bench.read_only = True
        firms = bench.execute(
            "SELECT id, org_path FROM registry_enterprise ORDER BY id LIMIT %s", [enterprises]
        ).fetchall()
    results = {False: [], True: []}
    with psycopg.connect(OWN, autocommit=True) as conn:
        for _i in range(repeat):
            for rollups in (False, True):
                conn.execute(SCHEMA)
                results[rollups].append(push_all(conn, firms, policies, rollups))
        conn.execute("DROP TABLE IF EXISTS w_push, w_pairs, w_day")
    pushes = enterprises * policies
    for rollups, label in ((False, "before"), (True, "after ")):
        times = results[rollups]
        print(f"{label} {pushes:,} pushes: {min(times):.2f}-{max(times):.2f} s", flush=True)
    print(f"after/before (best): {min(results[True]) / min(results[False]):.3f}")


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    main(*(args + [100_000, 10, 3][len(args) :]))
