# ruff: noqa: E501 -- benchmark script: report lines kept on one line
"""Province bench: Locust's numbers read back, and the printed and Markdown report."""

from __future__ import annotations

import csv
import json
from pathlib import Path


def read_locust(prefix: Path) -> list[dict]:
    path = Path(f"{prefix}_stats.csv")
    if not path.exists():
        return []
    rows = []
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            rows.append(
                {
                    "name": row["Name"] if row["Type"] != "" else "Aggregated",
                    "method": row["Type"],
                    "requests": int(row["Request Count"]),
                    "failures": int(row["Failure Count"]),
                    "rps": float(row["Requests/s"]),
                    "p50": float(row["50%"] or 0),
                    "p95": float(row["95%"] or 0),
                    "p99": float(row["99%"] or 0),
                    "max": float(row["Max Response Time"] or 0),
                }
            )
    failures = Path(f"{prefix}_failures.csv")
    if failures.exists():
        for row in csv.DictReader(failures.open(encoding="utf-8")):
            for r in rows:
                if r["name"] == row["Name"]:
                    r.setdefault("errors", []).append(f"{row['Occurrences']}× {row['Error'][:120]}")
    return rows


def write_results(scratch: Path, results: dict) -> None:
    (scratch / "results.json").write_text(
        json.dumps(results, ensure_ascii=False, indent=1, default=str), encoding="utf-8"
    )
    (scratch / "report.md").write_text(report_md(results), encoding="utf-8")


def print_run(run: dict) -> None:
    print(
        f"\n{run['servers']} server(s) × {run['workers']} sync workers (background workers at nice {run.get('worker_nice', 0)}), {run['users']} users, think {run['think']} s, {run['duration']} s"
    )
    print(f"before: {run['state_before']}\nafter:  {run['state_after']}")
    print(f"{'page':30} {'requests':>8} {'fail':>5} {'req/s':>6} {'p50':>6} {'p95':>6} {'p99':>6} {'max':>7}")
    for p in run["pages"]:
        print(
            f"{p['name'][:30]:30} {p['requests']:8d} {p['failures']:5d} {p['rps']:6.2f} {p['p50']:6.0f} {p['p95']:6.0f} {p['p99']:6.0f} {p['max']:7.0f}"
        )
        for e in p.get("errors", [])[:3]:
            print(f"    {e}")
    print(f"CPU seconds: {run['cpu_seconds']}")
    print(f"background jobs: {json.dumps(run['jobs'], ensure_ascii=False)}")
    print(f"sequential scans: {run['seq_scans'][:5]}")
    slow = run["slow"]
    print(f"statements over {slow.get('threshold_ms')} ms: {slow.get('statements')}")
    for s in slow.get("top", [])[:5]:
        print(f"  {s['count']:5d}× total {s['total_ms']:7d} ms, worst {s['max_ms']:6d} ms: {s['shape'][:160]}")
    if run["locust_rc"] not in (0, 1):
        print(f"locust exited {run['locust_rc']}: {run['locust_tail']}")


def print_report(results: dict) -> None:
    size = results.get("size", {})
    print(f"\ndatabase: {size.get('total_mb', 0):,} MB; {results['data'].get('counts')}")
    for t in size.get("tables", []):
        print(f"  {t['table']:40} {t['total_mb']:7,} MB ({t['heap_mb']:,} MB heap) {t['rows']:>12,} rows")
    print(f"audit chain after the load: {results.get('audit_after')}")
    print(f"\nresults: {results['scratch']}/results.json and report.md")


def report_md(results: dict) -> str:
    lines = [f"`{results['command']}`", ""]
    data = results.get("data", {})
    lines.append(f"Rows: {data.get('counts')}; audit chain: {data.get('audit')}")
    if data.get("generate_seconds"):
        lines.append(f"Generated in {data['generate_seconds']} s: {data.get('generate_steps')}")
    for run in results.get("runs", []):
        lines += ["", f"### {run['servers']} application server(s) × {run['workers']} sync workers (background workers at nice {run.get('worker_nice', 0)}), {run['users']} users, think {run['think']} s, {run['duration']} s",
                  "", f"{run['state_before']} → {run['state_after']}", "",
                  "| page | requests | failures | req/s | p50 ms | p95 ms | p99 ms | max ms |", "|---|---:|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
        for p in run["pages"]:
            lines.append(
                f"| {p['name']} | {p['requests']} | {p['failures']} | {p['rps']:.2f} | {p['p50']:.0f} | {p['p95']:.0f} | {p['p99']:.0f} | {p['max']:.0f} |"
            )
        lines += [
            "",
            f"CPU seconds: {run['cpu_seconds']}",
            "",
            f"Background jobs: {json.dumps(run['jobs'], ensure_ascii=False)}",
            "",
        ]
        lines.append(f"Statements over {run['slow'].get('threshold_ms')} ms: {run['slow'].get('statements')}")
        for s in run["slow"].get("top", []):
            lines += ["", f"- {s['count']}× total {s['total_ms']} ms, worst {s['max_ms']} ms: `{s['shape'][:300]}`"]
            if s["plan"]:
                lines += ["", "```", s["plan"][:3000], "```"]
    if results.get("audit_after"):
        lines += ["", f"Audit chain after the load: {results['audit_after']}"]
    size = results.get("size")
    if size:
        lines += [
            "",
            f"Database size: {size['total_mb']:,} MB",
            "",
            "| table | total MB | heap MB | rows |",
            "|---|---:|---:|---:|",
        ]
        lines += [f"| {t['table']} | {t['total_mb']:,} | {t['heap_mb']:,} | {t['rows']:,} |" for t in size["tables"]]
    return "\n".join(lines) + "\n"
