"""What every benchmark states beside its numbers, and how it times two sides fairly.

- ``state()``: the load average and, on PostgreSQL, ``shared_buffers`` and ``work_mem`` (one printable line);
- ``interleaved(sides, runs)``: each run times every side once, in turn, so load that comes and goes falls on
  both sides alike; returns per side the sorted times in milliseconds;
- ``summary(times)``: p50 / p95 / best / worst of a list of milliseconds;
- ``scratch_dir(arg)``: the directory a benchmark writes to — the one given, or a fresh temporary directory
  (never a fixed shared path, so two runs at once do not overwrite each other);
- ``ensure_database(url)``: create the benchmark's own PostgreSQL database when it does not exist yet.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def state() -> str:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    parts = [f"load average {load}", f"{os.cpu_count()} CPUs"]
    try:
        from django.db import connection

        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("show shared_buffers")
                buffers = cur.fetchone()[0]
                cur.execute("show work_mem")
                work_mem = cur.fetchone()[0]
                cur.execute("show server_version")
                version = cur.fetchone()[0]
            parts.append(f"PostgreSQL {version} shared_buffers={buffers} work_mem={work_mem}")
        else:
            parts.append(f"{connection.vendor}")
    except Exception as exc:  # stated, not fatal: the numbers still print
        parts.append(f"database settings unavailable ({exc.__class__.__name__})")
    return "; ".join(parts)


def interleaved(sides: dict[str, Callable[[], object]], runs: int, *, warmup: int = 1) -> dict[str, list[float]]:
    for _ in range(warmup):
        for fn in sides.values():
            fn()
    times: dict[str, list[float]] = {name: [] for name in sides}
    for _ in range(runs):
        for name, fn in sides.items():
            t0 = time.perf_counter()
            fn()
            times[name].append((time.perf_counter() - t0) * 1000)
    return {name: sorted(values) for name, values in times.items()}


def summary(ms: list[float]) -> dict[str, float]:
    ms = sorted(ms)
    return {
        "p50": statistics.median(ms),
        "p95": ms[max(0, round(len(ms) * 0.95) - 1)],
        "best": ms[0],
        "worst": ms[-1],
    }


def scratch_dir(given: str | None, prefix: str) -> Path:
    if given:
        path = Path(given)
        path.mkdir(parents=True, exist_ok=True)
        return path
    return Path(tempfile.mkdtemp(prefix=f"qq_{prefix}_"))


def ensure_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("select 1 from pg_database where datname=%s", [name]).fetchone():
            conn.execute(f'create database "{name}"')
