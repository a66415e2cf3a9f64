"""万家民营企业评营商环境 scores on the 百分制, from a frame of scale answers. Pure (Polars), no ORM.

- item score = (mean answer − 1) / 4 × 100 over answers on the scale (1–5; 不了解 = 9 excluded);
- environment score = weighted mean of its item scores (item weights, equal by default);
- total = weighted mean of the environment scores (environment weights, equal by default);
- an item with no answer on the scale, or an environment with no scored item, is left out of the mean (its
  weight with it); every score is rounded to 2 decimals only when shown.
Regions are ranked by the total and by each environment (1 = best; equal scores share a rank).
"""

from __future__ import annotations

import polars as pl

from .structure import ENVIRONMENTS, Item


def _weighted(frame: pl.DataFrame, by: list[str], score: str, weight: str, out: str) -> pl.DataFrame:
    return (
        frame.filter(pl.col(score).is_not_null())
        .group_by(by)
        .agg(((pl.col(score) * pl.col(weight)).sum() / pl.col(weight).sum()).alias(out))
    )


def compute(answers: pl.DataFrame, items: list[Item], env_weights: dict[str, float] | None = None) -> pl.DataFrame:
    """``answers``: columns group (str; a region code or "all"), item (str), value (int) and optionally n (how
    many answers gave that value; 1 when absent). Returns one row per group with ``total`` and one column per
    environment key."""
    if "n" not in answers.columns:
        answers = answers.with_columns(pl.lit(1).alias("n"))
    scored = [i for i in items if i.environment]
    meta = pl.DataFrame(
        {
            "item": [i.code for i in scored],
            "environment": [i.environment for i in scored],
            "item_weight": [float(i.weight or 1.0) for i in scored],
        },
        schema={"item": pl.Utf8, "environment": pl.Utf8, "item_weight": pl.Float64},
    )
    weights = pl.DataFrame(
        {
            "environment": list(ENVIRONMENTS),
            "env_weight": [float((env_weights or {}).get(k, 1.0)) for k in ENVIRONMENTS],
        }
    )
    on_scale = answers.filter(pl.col("value").is_between(1, 5)).join(meta, on="item", how="inner")
    mean = (pl.col("value") * pl.col("n")).sum() / pl.col("n").sum()
    item_scores = on_scale.group_by(["group", "item", "environment", "item_weight"]).agg(
        ((mean - 1) / 4 * 100).alias("score")
    )
    env_scores = _weighted(item_scores, ["group", "environment"], "score", "item_weight", "score").join(
        weights, on="environment", how="left"
    )
    totals = _weighted(env_scores, ["group"], "score", "env_weight", "total")
    wide = env_scores.pivot(on="environment", index="group", values="score")
    for key in ENVIRONMENTS:
        if key not in wide.columns:
            wide = wide.with_columns(pl.lit(None, dtype=pl.Float64).alias(key))
    return totals.join(wide, on="group", how="left").select(["group", "total", *ENVIRONMENTS]).sort("group")


def rank(scores: pl.DataFrame) -> pl.DataFrame:
    """Rank columns (rank_total, rank_<environment>) among the rows given (1 = highest score)."""
    columns = ["total", *ENVIRONMENTS]
    return scores.with_columns(
        [pl.col(c).rank(method="min", descending=True).cast(pl.Int64).alias(f"rank_{c}") for c in columns]
    )


def rounded(value) -> float | None:
    return None if value is None else round(float(value), 2)
