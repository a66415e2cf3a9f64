# ruff: noqa: E501 -- benchmark script: long report lines
"""Health-check scoring: N enterprises with three years of figures scored in one vectorised pass
(qinqing.health.scoring.score_frame: indicators, banded points, five dimensions, total, peer medians and
percentiles), against the plain Python loop (scoring.score_plain, one enterprise at a time) in the same run.

    .venv/bin/python bench/health/run.py [--enterprises 1000000] [--repeat 3] [--loop-sample 50000] [--seed 13]
                                         [--lock /work/bench.lock]

No database and no files: the yearly figures are generated in memory (registry columns plus the supplement's
profit, cost, liabilities, receivables and inventory, ~8% of each missing), with questionnaire answers for a
third of the enterprises and 3,000 peer groups (county × industry). ``--lock`` takes the machine-wide benchmark
lock after the data is built, so only the timed part holds it.

Interleaved, --repeat times: score_frame on all N (wall and CPU seconds), then score_plain on a random sample of
whole peer groups (≈ --loop-sample enterprises; whole groups, because medians and percentiles are taken over a
group, so the loop computes exactly what the full pass computed for them). The loop's best time is extrapolated
linearly to N (peer groups keep their size, so the loop's work grows with the number of groups) and printed as
such; the loop's results are compared with the full pass's rows on every sampled enterprise. ``--loop-sample 0``
runs the loop on everything.
"""

import argparse
import fcntl
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

from bench.machine import state  # noqa: E402
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


def peer_group_sample(peers: pl.DataFrame, target: int, seed: int) -> pl.DataFrame:
    """Ids of whole peer groups drawn at random until at least ``target`` enterprises: the medians and
    percentiles are taken over a peer group, so a sample of whole groups lets the loop compute exactly what the
    full vectorised pass computed for those enterprises (a sample of single enterprises would change them)."""
    groups = peers.get_column("peer").unique().sort().sample(fraction=1.0, shuffle=True, seed=seed)
    sizes = peers.group_by("peer").len()
    order = pl.DataFrame({"peer": groups}).with_row_index("draw").join(sizes, on="peer").sort("draw")
    chosen = order.filter(pl.col("len").cum_sum().shift(1, fill_value=0) < target).get_column("peer")
    return peers.filter(pl.col("peer").is_in(chosen.implode()))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--loop-sample",
        type=int,
        default=50_000,
        help="enterprises (whole peer groups, drawn at random) the plain loop scores in each run; 0 = all",
    )
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument(
        "--lock", default=None, help="take this flock (e.g. /work/bench.lock) after generating the data"
    )
    args = parser.parse_args()
    config = check_config(DEFAULT_CONFIG)

    t = time.perf_counter()
    years, answers, peers = synthetic(args.enterprises, args.seed)
    print(
        f"generated {args.enterprises:,} enterprises × 3 years ({years.height:,} rows) in {time.perf_counter() - t:.1f}s; no scratch files (in memory)"
    )
    sample_peers = peers if not args.loop_sample else peer_group_sample(peers, args.loop_sample, args.seed)
    ids = sample_peers.get_column("id").implode()
    sample_years = years.filter(pl.col("id").is_in(ids))
    sample_answers = answers.filter(pl.col("id").is_in(ids))
    rows, answer_map, peer_map = plain_inputs(sample_years, sample_answers, sample_peers)
    loop_n = sample_peers.height
    groups = sample_peers.get_column("peer").n_unique()
    print(
        f"plain-loop sample: {loop_n:,} enterprises = {groups:,} whole peer groups of {peers.get_column('peer').n_unique():,}, drawn at random (seed {args.seed})"
    )
    if args.lock:  # the data is built outside the machine-wide lock; only the timed part holds it
        lock = open(args.lock, "a")  # noqa: SIM115 -- held until the process ends
        t = time.perf_counter()
        fcntl.flock(lock, fcntl.LOCK_EX)
        print(f"holding {args.lock} (waited {time.perf_counter() - t:.0f}s)")
    print(f"before: {state()}")

    score_frame(years.head(3000), config, answers, peers)  # warm-up
    runs: dict[str, list[float]] = {"vectorised": [], "cpu": [], "loop": [], "loop_cpu": []}
    result = slow = None
    for run in range(args.repeat):  # interleaved: each run times the pass on everything, then the loop on the sample
        t, c = time.perf_counter(), time.process_time()
        result = score_frame(years, config, answers, peers)
        runs["vectorised"].append(time.perf_counter() - t)
        runs["cpu"].append(time.process_time() - c)
        t, c = time.perf_counter(), time.process_time()
        slow = score_plain(rows, config, answer_map, peer_map)
        runs["loop"].append(time.perf_counter() - t)
        runs["loop_cpu"].append(time.process_time() - c)
        print(
            f"  run {run + 1}: score_frame {result.height:,} enterprises {runs['vectorised'][-1]:.3f}s (CPU {runs['cpu'][-1]:.2f}s); "
            f"score_plain {loop_n:,} enterprises {runs['loop'][-1]:.2f}s (CPU {runs['loop_cpu'][-1]:.2f}s); {state()}"
        )
    checked = same(result.filter(pl.col("id").is_in(ids)), slow)
    best, worst = min(runs["vectorised"]), max(runs["vectorised"])
    loop_best = min(runs["loop"])
    scale = result.height / loop_n
    extrapolated = loop_best * scale
    print(
        f"score_frame ({result.height:,} enterprises, one pass): best {best:.3f}s, worst {worst:.3f}s "
        f"{[round(x, 3) for x in runs['vectorised']]}; CPU s {[round(x, 2) for x in runs['cpu']]}; target ≤ 2 s: {'met' if best <= 2 else 'NOT met'}"
    )
    print(
        f"plain loop on {loop_n:,} enterprises: best {loop_best:.2f}s {[round(x, 2) for x in runs['loop']]}; "
        f"extrapolated linearly ×{scale:.2f} to {result.height:,}: {extrapolated:.0f}s (not run at full size); "
        f"ratio {extrapolated / best:.0f}× (best against best); identical on all {checked:,} sampled enterprises "
        f"(compared with the full pass's rows)"
    )
    loop_cpu = min(runs["loop_cpu"]) * scale
    print(
        f"in CPU seconds (less sensitive to load): pass best {min(runs['cpu']):.2f}s, loop extrapolated "
        f"{loop_cpu:.0f}s, ratio {loop_cpu / min(runs['cpu']):.0f}×"
    )
    print(f"after: {state()}; peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
