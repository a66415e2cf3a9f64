# ruff: noqa: E501 -- benchmark script: long report lines
"""Product matching benchmark: N needs (one per enterprise) × P bank products, in memory.

    .venv/bin/python bench/financing/matching.py [--enterprises 1000000] [--products 2000] [--naive-sample 100]

Enterprises are bench/matching's synthetic frame (same attributes, ~5% missing values). Each enterprise has one
need (amount 10–10,000 万元, term 3–60 months, a guarantee, a rate ceiling for 70%). A product has an eligibility
rule of 1–3 conditions (bench/matching's random leaves, no chamber conditions) plus its amount, term, guarantee
and rate terms. Timed, wall and CPU seconds per round, interleaved: qinqing.financing.products.match_frames (each
distinct condition once into a column, each product the AND/OR of its columns, then one filter per product) and,
in the same run, the matcher before (one_select: every product's whole expression in one select); both from the
frames in memory to the fitting need ids per product (reading from the database and storing are not timed; the
cost of storing the ids as idsets blobs is printed apart). Naive: one Polars filter query per product (what an
ORM-style "for each product, find its needs" loop does), on a sample of products, extrapolated (said so), with the
same needs found for each sampled product.
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


def one_select(catalogue: list[dict], enterprises: pl.DataFrame, needs: pl.DataFrame) -> dict[int, pl.Series]:
    """The matcher before (commit 53e07b1): one Polars select of every product's expression over every row, then
    a filter per product — the competing approach, run in the same process."""
    from qinqing.eligibility import rules
    from qinqing.financing import products

    frame = needs.join(enterprises, on="id", how="inner").sort("need")
    frame, codes = rules.encode_codes(frame, chambers=False)
    masks = (
        frame.lazy().select([products.product_expr(p, codes).alias(f"p{i}") for i, p in enumerate(catalogue)]).collect()
    )
    ids = frame.get_column("need").cast(pl.UInt32)
    return {p["pk"]: ids.filter(masks.get_column(f"p{i}")) for i, p in enumerate(catalogue)}


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
    sides = {"match_frames": products.match_frames, "one_select": one_select}
    times = {k: [] for k in sides}
    cpu = {k: [] for k in sides}
    print(
        f"timed: evaluate + the fitting need ids per product (in memory; reading the frames and storing are not timed); {machine.state()}"
    )
    for round_ in range(args.rounds):
        for name, fn in sides.items():
            t, c = time.perf_counter(), time.process_time()
            found = fn(catalogue, enterprises, needs)
            times[name].append(time.perf_counter() - t)
            cpu[name].append(time.process_time() - c)
            if name == "match_frames":
                result = found
            elif round_ == 0:  # the two sides find the same needs, in the same order, for every product
                assert all(found[pk].equals(result[pk]) for pk in result)
            del found
    pairs = sum(len(s) for s in result.values())
    print(f"both sides equal on all {len(result)} products; {machine.state()}")
    for name in sides:
        print(
            f"{name} ({args.products} products × {n:,} needs): wall best {min(times[name]):.3f}s worst {max(times[name]):.3f}s {[round(x, 3) for x in times[name]]}; "
            f"CPU s {[round(x, 2) for x in cpu[name]]}"
        )
    best = min(times["match_frames"])
    print(
        f"ratio one_select / match_frames: {min(times['one_select']) / best:.2f}× (best), {max(times['one_select']) / max(times['match_frames']):.2f}× (worst)"
    )
    print(f"{pairs:,} fitting pairs")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    from qinqing.eligibility import idsets

    t = time.perf_counter()
    size = sum(len(idsets.encode(ids)) for ids in result.values())
    print(
        f"not timed above — storing every product's ids as an idsets blob (sorted gaps, zstd): {time.perf_counter() - t:.2f}s, {size / 1e6:.1f} MB"
    )

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
