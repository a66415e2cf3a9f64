# ruff: noqa: E501 -- benchmark script: report lines kept on one line
"""Province bench: where the database time went (PostgreSQL's log of slow statements with their plans, sequential scans) and its size."""

from __future__ import annotations

import re
from pathlib import Path

PG_LOG = Path("/var/log/postgresql/postgresql-15-main.log")


def log_settings(args, *, on: bool) -> None:
    """Slow statements and their plans logged for this database only (new sessions pick it up)."""
    from django.db import connection

    name = connection.settings_dict["NAME"]
    with connection.cursor() as cur:
        if on:
            cur.execute(f'alter database "{name}" set log_min_duration_statement = {int(args.slow_ms)}')
            cur.execute(f"alter database \"{name}\" set session_preload_libraries = 'auto_explain'")
            cur.execute(f"alter database \"{name}\" set auto_explain.log_min_duration = '{int(args.slow_ms) * 2}ms'")
            cur.execute(f'alter database "{name}" set auto_explain.log_analyze = on')
            cur.execute(f'alter database "{name}" set auto_explain.log_timing = off')
        else:
            for setting in ("log_min_duration_statement", "session_preload_libraries", "auto_explain.log_min_duration",
                            "auto_explain.log_analyze", "auto_explain.log_timing"):  # fmt: skip
                cur.execute(f'alter database "{name}" reset {setting}')


def deployment_settings(jit: str) -> None:
    """What docs/deployment.md asks of a PostgreSQL database for the platform: ``jit = off`` (a page's queries
    are short; compiling one costs 0.1-0.2 s whenever its estimate passes jit_above_cost)."""
    from django.db import connection

    name = connection.settings_dict["NAME"]
    with connection.cursor() as cur:
        cur.execute(f'alter database "{name}" set jit = {"on" if jit == "on" else "off"}')


def seq_scans() -> dict[str, tuple[int, int]]:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("select relname, seq_scan, coalesce(seq_tup_read, 0) from pg_stat_user_tables")
        return {r[0]: (r[1], r[2]) for r in cur.fetchall()}


def seq_delta(before, after) -> list[dict]:
    rows = []
    for table, (scans, tuples) in after.items():
        s0, t0 = before.get(table, (0, 0))
        if tuples - t0 > 0:
            rows.append({"table": table, "seq_scans": scans - s0, "rows_read": tuples - t0})
    return sorted(rows, key=lambda r: -r["rows_read"])[:10]


_DURATION = re.compile(
    r"^\S+ \S+ \S+ \[\d+\] \S*@(\S+) LOG:  duration: ([\d.]+) ms  (statement|execute [^:]*|plan):\s?(.*)$"
)


def _shape(sql: str) -> str:
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"\b\d+(\.\d+)?\b", "?", sql)
    sql = re.sub(r"\$\d+", "?", sql)
    sql = re.sub(r"\(\s*\?(?:\s*,\s*\?)*\s*\)", "(…)", sql)
    return re.sub(r"\s+", " ", sql).strip()


def slow_statements(offset: int, dbname: str, slow_ms: int, top: int = 8) -> dict:
    """Statements of this database slower than ``slow_ms`` logged since ``offset``, grouped by shape (constants
    blanked): count, total and worst milliseconds, the worst statement and its plan (auto_explain)."""
    if not PG_LOG.exists():
        return {"note": f"{PG_LOG} not found"}
    groups: dict[str, dict] = {}
    plans: list[tuple[float, str]] = []
    current: list | None = None
    with PG_LOG.open(encoding="utf-8", errors="replace") as fh:
        fh.seek(offset)
        for line in fh:
            m = _DURATION.match(line.rstrip("\n"))
            if m:
                current = None
                db, ms, kind, text = m.group(1), float(m.group(2)), m.group(3), m.group(4)
                if db != dbname:
                    continue
                if kind == "plan":
                    current = [ms, [text]]
                    plans.append(current)
                    continue
                g = groups.setdefault(_shape(text), {"count": 0, "total_ms": 0.0, "max_ms": 0.0, "example": ""})
                g["count"] += 1
                g["total_ms"] += ms
                if ms >= g["max_ms"]:
                    g["max_ms"], g["example"] = ms, text
            elif current is not None and (line.startswith("\t") or line.startswith(" ")):
                current[1].append(line.rstrip("\n"))
            else:
                current = None
    ranked = sorted(groups.items(), key=lambda kv: -kv[1]["total_ms"])[:top]
    plan_by_query = []
    for ms, lines in plans:
        text = "\n".join(lines)
        q = re.search(r"Query Text: (.*)", text)
        plan_by_query.append((ms, _shape(q.group(1)) if q else "", text))
    out = []
    for shape, g in ranked:
        plan = max(
            (p for p in plan_by_query if p[1] and (p[1].startswith(shape[:200]) or shape.startswith(p[1][:200]))),
            default=None,
            key=lambda p: p[0],
        )
        out.append({"shape": shape[:600], "count": g["count"], "total_ms": round(g["total_ms"]), "max_ms": round(g["max_ms"]),
                    "example": g["example"][:1500], "plan": plan[2][:6000] if plan else ""})  # fmt: skip
    return {"threshold_ms": slow_ms, "statements": sum(g["count"] for g in groups.values()), "top": out}


def database_size() -> dict:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("select pg_database_size(current_database())")
        total = cur.fetchone()[0]
        cur.execute(
            "select c.relname, pg_total_relation_size(c.oid), pg_relation_size(c.oid), c.reltuples::bigint from pg_class c "
            "join pg_namespace n on n.oid = c.relnamespace where c.relkind = 'r' and n.nspname = current_schema() "
            "order by 2 desc limit 12"
        )
        tables = [
            {"table": r[0], "total_mb": round(r[1] / 2**20), "heap_mb": round(r[2] / 2**20), "rows": r[3]}
            for r in cur.fetchall()
        ]
    return {"total_mb": round(total / 2**20), "tables": tables}
