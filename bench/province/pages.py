# ruff: noqa: E501 -- benchmark report lines kept on one line
"""One user at a time: every page of the load mix rendered in-process (Django's test client, the bench
accounts), with its wall time, number of queries, time in the database and its slowest query with EXPLAIN
ANALYZE — where a page's time goes without the queueing of the load test."""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path


def pages(accounts: dict) -> list[tuple[str, str, str]]:
    """(page name as in the locustfile, username, path) for one sample of every page."""
    unit = max(accounts["units"], key=lambda u: u["path"].count("/"))  # a county
    top = min(accounts["units"], key=lambda u: u["path"].count("/"))  # the province
    staff, ent = unit["staff_user"], unit["enterprises"][0]["user"]
    leader = accounts["leader_users"][0]
    dept = unit["departments"][0]
    out = [
        ("home", staff, "/"),
        ("appeals list", staff, "/appeals/"),
        ("appeals list (province)", top["staff_user"], "/appeals/"),
        ("appeals list (by state)", staff, "/appeals/?status=assigned"),
        ("appeals list (overdue)", staff, "/appeals/?deadline=overdue"),
        ("appeals list (search)", staff, f"/appeals/?q={accounts['words'][0]}"),
        ("enterprise list", staff, "/registry/enterprises/"),
        ("enterprise list (province)", top["staff_user"], "/registry/enterprises/"),
        ("enterprise list (search)", staff, f"/registry/enterprises/?q={accounts['words'][0]}"),
        ("member list", staff, "/registry/members/"),
        ("chamber list", staff, "/registry/chambers/"),
        ("enterprise home", ent, "/"),
        ("enterprise appeals", ent, "/appeals/"),
        ("policy search", ent, f"/policies/?q={accounts['policy_words'][0]}"),
        ("我的政策", ent, "/policies/mine/"),
        ("appeal figures", leader, "/appeals/figures/"),
        ("reports dashboard", leader, "/reports/"),
        ("reports figures", leader, "/reports/figures/"),
        ("policy figures", leader, "/policies/figures/"),
        ("appeals list (department)", dept["user"], "/appeals/"),
    ]
    if unit["appeals"]:
        out.append(("appeal detail", staff, f"/appeals/{unit['appeals'][0]}/"))
    if unit["enterprise_ids"]:
        out.append(("enterprise detail", staff, f"/registry/enterprises/{unit['enterprise_ids'][0]}/"))
    if unit["chambers"]:
        out.append(("chamber detail", staff, f"/registry/chambers/{unit['chambers'][0]}/"))
    if accounts["policies"]:
        out.append(("policy detail", ent, f"/policies/{accounts['policies'][0]}/"))
    return out


def profile(accounts: dict, repeat: int = 3) -> list[dict]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from qinqing.accounts.models import User

    rows = []
    clients: dict[str, Client] = {}
    # A fresh process imports every domain's page code and compiles the templates in its first requests (2.4 s
    # for the first home page at 3 M, then 38 ms: last session's "home 7.4 s" was that): warm the process on
    # pages of users not measured, so a page's first view is a running server's first view of that user.
    unit = min(accounts["units"], key=lambda u: u["path"].count("/"))
    for username, path in [(accounts["leader_users"][-1], "/"), (unit["enterprises"][-1]["user"], "/")]:
        warm = Client()
        warm.force_login(User.objects.get(username=username))
        warm.get(path)
    for name, username, path in pages(accounts):
        client = clients.get(username)
        if client is None:
            client = clients[username] = Client()
            client.force_login(User.objects.get(username=username))
        walls, captured, first = [], None, None
        for _ in range(1 + repeat):  # the first view warms (code, caches as a returning user finds them)
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                response = client.get(path)
                ms = (time.perf_counter() - t0) * 1000
            captured = ctx.captured_queries
            if first is None:
                first = ms
                if ms > 5000:  # a page of many seconds: that one view is the measurement
                    walls.append(ms)
                    break
            else:
                walls.append(ms)
        sql_ms = sum(float(q["time"]) for q in captured) * 1000
        slowest = max(captured, key=lambda q: float(q["time"]), default=None)
        row = {
            "page": name,
            "path": path,
            "status": response.status_code,
            "first_ms": round(first),
            "ms": round(statistics.median(walls)),
            "queries": len(captured),
            "sql_ms": round(sql_ms),
            "slowest_ms": round(float(slowest["time"]) * 1000) if slowest else 0,
            "slowest": slowest["sql"][:2000] if slowest else "",
        }
        if slowest and float(slowest["time"]) > 0.05 and slowest["sql"].lstrip().upper().startswith("SELECT"):
            with connection.cursor() as cur:
                cur.execute("explain (analyze, buffers) " + slowest["sql"])
                row["plan"] = "\n".join(r[0] for r in cur.fetchall())[:6000]
        rows.append(row)
        print(
            f"  {name:28} {row['status']} {row['ms']:6d} ms, {row['queries']:3d} queries, {row['sql_ms']:5d} ms in SQL, slowest {row['slowest_ms']} ms"
        )
    return rows


def write(rows: list[dict], path: Path) -> None:
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
