# ruff: noqa: E501 -- benchmark script: long report lines
"""Health-check scoring: N enterprises with three years of figures scored in one vectorised pass
(qinqing.health.scoring.score_frame: indicators, banded points, five dimensions, total, peer medians and
percentiles), against the plain Python loop (scoring.score_plain, one enterprise at a time) in the same run.

    .venv/bin/python bench/health/run.py [--enterprises 1000000] [--repeat 3] [--loop-enterprises N] [--seed 13]

No database and no files: the yearly figures are generated in memory (registry columns plus the supplement's
profit, cost, liabilities, receivables and inventory, ~8% of each missing), with questionnaire answers for a
third of the enterprises and 3,000 peer groups (county × industry). Timed: score_frame on the whole frame
(best and worst of --repeat runs, CPU seconds too); the loop once on --loop-enterprises (default: all) with the
vectorised pass timed on the same enterprises for the ratio; the two results are compared on every enterprise
of the loop's sample.
"""

import argparse
import math
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

import numpy as np  # noqa: E402
import polars as pl  # noqa: E402

from qinqing.health.indicators import DEFAULT_CONFIG, DIMENSIONS, QUESTIONS, SOURCES  # noqa: E402
from qinqing.health.schemes import check_config  # noqa: E402
from qinqing.health.scoring import FORMULAS, score_frame, score_plain  # noqa: E402


def synthetic(n: int, seed: int) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    rng = np.random.default_rng(seed)
    ids = np.repeat(np.arange(1, n + 1, dtype=np.int64), 3)
    years = np.tile(np.array([2023, 2024, 2025], dtype=np.int64), n)
    base = np.repeat(rng.lognormal(7, 1.2, n), 3)  # 万元, ~1,100 median
    trend = np.repeat(rng.normal(1.03, 0.12, n), 3) ** (years - 2023)
    revenue = base * trend * rng.normal(1, 0.03, 3 * n)
    assets = base * np.repeat(rng.uniform(0.8, 3, n), 3)
    columns = {
        "id": ids,
        "year": years,
        "revenue": revenue,
        "tax": revenue * rng.uniform(0.01, 0.06, 3 * n),
        "rd": revenue * rng.uniform(0, 0.05, 3 * n),
        "employees": np.round(np.repeat(rng.lognormal(3.5, 1, n), 3) * rng.normal(1, 0.05, 3 * n)),
        "assets": assets,
        "profit": revenue * rng.normal(0.05, 0.06, 3 * n),
        "cost": revenue * rng.uniform(0.6, 0.85, 3 * n),
        "liabilities": assets * rng.uniform(0.1, 0.95, 3 * n),
        "receivables": revenue * rng.uniform(0.02, 0.5, 3 * n),
        "inventory": revenue * rng.uniform(0.02, 0.4, 3 * n),
    }
    for name in SOURCES:
        values = columns[name]
        values[rng.random(3 * n) < 0.08] = np.nan
    years_frame = pl.DataFrame(columns).with_columns([pl.col(s).fill_nan(None) for s in SOURCES])
    answered = rng.random(n) < 0.33
    options = np.array(["yes", "partly", "no"])
    answers = pl.DataFrame(
        {
            "id": np.arange(1, n + 1)[answered],
            **{q.code: options[rng.integers(0, 3, answered.sum())] for q in QUESTIONS},
        }
    )
    peers = pl.DataFrame({"id": np.arange(1, n + 1), "peer": rng.integers(0, 3000, n).astype(str)})
    return years_frame, answers, peers


def plain_inputs(years: pl.DataFrame, answers: pl.DataFrame, peers: pl.DataFrame):
    rows = years.to_dicts()
    answer_map = {r.pop("id"): r for r in answers.to_dicts()}
    peer_map = dict(zip(peers.get_column("id").to_list(), peers.get_column("peer").to_list(), strict=True))
    return rows, answer_map, peer_map


def same(fast: pl.DataFrame, slow: dict) -> int:
    names = [
        *(f"v_{c}" for c in FORMULAS),
        *(f"d_{d}" for d in DIMENSIONS),
        "total",
        "coverage",
        "m_total",
        "percentile",
    ]
    checked = 0
    for record in fast.iter_rows(named=True):
        reference = slow[record["id"]]
        for name in names:
            a, b = record[name], reference[name]
            assert (a is None) == (b is None), (record["id"], name, a, b)
            assert a is None or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9), (record["id"], name, a, b)
        checked += 1
    return checked


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--loop-enterprises", type=int, default=None, help="enterprises for the plain loop (default: all)"
    )
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    config = check_config(DEFAULT_CONFIG)

    t = time.perf_counter()
    years, answers, peers = synthetic(args.enterprises, args.seed)
    print(
        f"generated {args.enterprises:,} enterprises × 3 years ({years.height:,} rows) in {time.perf_counter() - t:.1f}s; no scratch files (in memory)"
    )
    print(f"load average before {os.getloadavg()}")

    score_frame(years.head(3000), config, answers, peers)  # warm-up
    times, cpu = [], []
    for _ in range(args.repeat):
        t, c = time.perf_counter(), time.process_time()
        result = score_frame(years, config, answers, peers)
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    print(
        f"score_frame ({result.height:,} enterprises, one pass): best {min(times):.3f}s, worst {max(times):.3f}s {[round(x, 3) for x in times]}; CPU s {[round(x, 2) for x in cpu]}"
    )
    print(f"load average after the vectorised runs {os.getloadavg()}")

    loop_n = min(args.loop_enterprises or args.enterprises, args.enterprises)
    sample_years = years.filter(pl.col("id") <= loop_n)
    sample_answers = answers.filter(pl.col("id") <= loop_n)
    sample_peers = peers.filter(pl.col("id") <= loop_n)
    t = time.perf_counter()
    fast = score_frame(sample_years, config, sample_answers, sample_peers)
    fast_time = time.perf_counter() - t
    rows, answer_map, peer_map = plain_inputs(sample_years, sample_answers, sample_peers)
    t = time.perf_counter()
    slow = score_plain(rows, config, answer_map, peer_map)
    loop_time = time.perf_counter() - t
    checked = same(fast, slow)
    print(
        f"plain loop (score_plain, {loop_n:,} enterprises): {loop_time:.1f}s; vectorised on the same {fast_time:.3f}s; ratio {loop_time / fast_time:.1f}×; identical on {checked:,} enterprises"
    )
    print(
        f"load average at the end {os.getloadavg()}; peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )


if __name__ == "__main__":
    main()
