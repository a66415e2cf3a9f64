# ruff: noqa: E501 -- benchmark script: long report lines
"""Product matching benchmark: N needs (one per enterprise) × P bank products, in memory.

    .venv/bin/python bench/financing/matching.py [--enterprises 1000000] [--products 2000] [--naive-sample 100]

Enterprises are bench/matching's synthetic frame (same attributes, ~5% missing values). Each enterprise has one
need (amount 10–10,000 万元, term 3–60 months, a guarantee, a rate ceiling for 70%). A product has an eligibility
rule of 1–3 conditions (bench/matching's random leaves, no chamber conditions) plus its amount, term, guarantee
and rate terms. Timed: qinqing.financing.products.match_frames (one Polars select over all products, then one
filter per product), wall and CPU seconds per round. Naive: one Polars filter query per product (what an
ORM-style "for each product, find its needs" loop does), on a sample of products, extrapolated (said so), with the
same needs found for each sampled product. (A variant with every distinct condition once as a bitmap, commit
1c3e673, was measured against it in the same run and was not faster: docs/performance/financing.md.)
"""

import argparse
import os
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "matching"))

import polars as pl


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, default=1_000_000)
    parser.add_argument("--products", type=int, default=2000)
    parser.add_argument("--naive-sample", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import machine  # bench/machine.py: load average, shared_buffers, work_mem

    print(machine.state())
    from run import random_leaf, synthetic_frame

    from qinqing.eligibility import rules
    from qinqing.financing import products
    from qinqing.financing.choices import Guarantee

    r = random.Random(11)
    catalogue = []
    for pk in range(1, args.products + 1):
        leaves = []
        while len(leaves) < r.randint(1, 3):
            leaf = random_leaf(r)
            if leaf["attr"] != "chambers":
                leaves.append(leaf)
        amin = r.choice([10, 50, 100, 300, 500])
        catalogue.append({
            "pk": pk, "rule": {"op": "all", "items": leaves}, "amount_min": amin,
            "amount_max": amin * r.choice([5, 10, 20, 50]), "term_min": r.choice([1, 3, 6, 12]),
            "term_max": r.choice([12, 24, 36, 60]), "rate_min": r.choice([3.1, 3.45, 3.8, 4.2]),
            "guarantees": r.sample(Guarantee.values, r.randint(1, 3)),
        })  # fmt: skip

    t = time.perf_counter()
    enterprises = synthetic_frame(args.enterprises)
    n = enterprises.height
    idx = pl.int_range(1, n + 1, dtype=pl.Int64)

    def u(k: int) -> pl.Expr:
        return (idx.hash(900 + k) % 1_000_003).cast(pl.Float64) / 1_000_003

    needs = pl.select(
        idx.alias("need"),
        idx.alias("id"),
        (10 * (1000 ** u(1))).round(0).alias("amount"),
        pl.lit(pl.Series([3, 6, 12, 12, 24, 36, 60])).gather((u(2) * 7).cast(pl.Int64)).alias("term"),
        pl.lit(pl.Series([1, 2, 4, 8, 16], dtype=pl.Int64)).gather((u(3) * 5).cast(pl.Int64)).alias("guarantee"),
        pl.when(u(4) < 0.7).then(pl.lit(4.0) + u(5) * 2).otherwise(None).alias("rate_ceiling"),
    )
    print(f"generated {n:,} enterprises with one need each in {time.perf_counter() - t:.1f}s")

    products.match_frames(catalogue[:10], enterprises.head(1000), needs.head(1000))  # warm-up
    sides = {"match_frames": products.match_frames}
    times = {k: [] for k in sides}
    cpu = {k: [] for k in sides}
    for _ in range(args.rounds):
        for name, fn in sides.items():
            t, c = time.perf_counter(), time.process_time()
            found = fn(catalogue, enterprises, needs)
            times[name].append(time.perf_counter() - t)
            cpu[name].append(time.process_time() - c)
            if name == "match_frames":
                result = found
            del found
    pairs = sum(len(s) for s in result.values())
    print(f"load average {os.getloadavg()}")
    for name in sides:
        print(
            f"{name} ({args.products} products × {n:,} needs): wall best {min(times[name]):.3f}s {[round(x, 3) for x in times[name]]}; "
            f"CPU s {[round(x, 2) for x in cpu[name]]}"
        )
    best = min(times["match_frames"])
    print(f"{pairs:,} fitting pairs")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")

    frame = needs.join(enterprises, on="id").sort("need")
    frame, codes = rules.encode_codes(frame, chambers=False)
    sample = catalogue[: args.naive_sample]
    t = time.perf_counter()
    naive_pairs = 0
    for product in sample:
        ids = frame.filter(products.product_expr(product, codes)).get_column("need")
        naive_pairs += len(ids)
        assert ids.cast(pl.UInt32).equals(result[product["pk"]])  # the same needs, in order
    naive = (time.perf_counter() - t) * len(catalogue) / len(sample)
    print(
        f"naive (one filter query per product): {naive:.1f}s extrapolated from {len(sample)} products (same pairs on the sample); ratio {naive / best:.1f}×"
    )


if __name__ == "__main__":
    main()
