"""Indicators and banded scores for every enterprise in one vectorised pass (Polars), and the plain-Python
reference the tests and the benchmark compare it with (pure: no ORM).

Input ``years``: one row per enterprise and year with the columns ``id``, ``year`` and the SOURCES
(``revenue`` … ``inventory``; Float64, null when unknown). Each enterprise is scored on its latest year; growth
rates need the year right before it. ``answers`` (optional): ``id`` and one Utf8 column per questionnaire item
(yes / partly / no). ``peers`` (optional): ``id`` and ``peer``, the peer group (same region and industry), for
the medians and the percentile shown on the radar chart.

Missing data is never guessed: an indicator whose inputs are missing (or whose denominator is zero) has no value
and no points, and the dimension and total scores are taken over the weights that do have data (``coverage``
says how much of the 100 that is).
"""

from __future__ import annotations

import statistics
from collections import defaultdict

import polars as pl

from .indicators import ANSWER_SCORES, BY_CODE, DIMENSIONS, QUESTIONS_BY_CODE, SOURCES

YEAR_COLUMNS = ("id", "year", *SOURCES)
# indicator code → (kind, numerator/current source, denominator/previous source, factor)
FORMULAS: dict[str, tuple[str, str, str, float]] = {
    "revenue_growth": ("growth", "revenue", "revenue", 100.0),
    "tax_growth": ("growth", "tax", "tax", 100.0),
    "employment_growth": ("growth", "employees", "employees", 100.0),
    "profit_growth": ("growth", "profit", "profit", 100.0),
    "net_assets_growth": ("growth", "net_assets", "net_assets", 100.0),
    "rd_growth": ("growth", "rd", "rd", 100.0),
    "profit_margin": ("ratio", "profit", "revenue", 100.0),
    "asset_turnover": ("ratio", "revenue", "assets", 1.0),
    "rd_intensity": ("ratio", "rd", "revenue", 100.0),
    "receivable_days": ("ratio", "receivables", "revenue", 365.0),
    "inventory_days": ("ratio", "inventory", "cost", 365.0),
    "debt_ratio": ("ratio", "liabilities", "assets", 100.0),
}
# Totals are ranked to this many decimals: equal scores reached by different sums (another missing indicator,
# another order) differ in the last bit of a float and must still tie.
RANK_DIGITS = 6
PREVIOUS = sorted({num for kind, num, _den, _f in FORMULAS.values() if kind == "growth"})


def items(config: dict) -> list[tuple[str, str, float]]:
    """(column, dimension, weight) of every scored item, indicators first, in a fixed order."""
    out = [(f"p_{code}", BY_CODE[code].dimension, entry["weight"]) for code, entry in config["indicators"].items()]
    out += [
        (f"p_{code}", QUESTIONS_BY_CODE[code].dimension, entry["weight"]) for code, entry in config["questions"].items()
    ]
    return out


# --- vectorised ---------------------------------------------------------------------------------------------


def _band_expr(value: pl.Expr, bands: list[dict]) -> pl.Expr:
    chain = pl.when(value.is_null()).then(pl.lit(None, dtype=pl.Float64))
    for band in bands[:-1]:
        chain = chain.when(value < band["high"]).then(pl.lit(band["score"], dtype=pl.Float64))
    return chain.otherwise(pl.lit(bands[-1]["score"], dtype=pl.Float64))


def _indicator_expr(code: str) -> pl.Expr:
    kind, num, den, factor = FORMULAS[code]
    if kind == "growth":
        cur, prev = pl.col(num), pl.col(f"prev_{num}")
        return pl.when(prev.is_not_null() & cur.is_not_null() & (prev != 0)).then((cur - prev) / prev.abs() * factor)
    a, b = pl.col(num), pl.col(den)
    return pl.when(a.is_not_null() & b.is_not_null() & (b > 0)).then(a / b * factor)


def _sorted(frame: pl.LazyFrame, years: pl.DataFrame) -> pl.LazyFrame:
    """Rows by (enterprise, year); input that already is (a database read ordered so) is not sorted again."""
    step = pl.col("id").diff()
    ordered = ((step > 0) | ((step == 0) & (pl.col("year").diff() > 0))).fill_null(True).all()
    if years.height and years.select(ordered).item():
        return frame
    return frame.sort(["id", "year"])


def _latest_with_previous(years: pl.DataFrame) -> pl.LazyFrame:
    frame = _sorted(years.lazy().select(YEAR_COLUMNS), years)
    frame = frame.with_columns((pl.col("assets") - pl.col("liabilities")).alias("net_assets"))
    follows = (pl.col("id").shift(1) == pl.col("id")) & (pl.col("year").shift(1) == pl.col("year") - 1)
    frame = frame.with_columns([pl.when(follows).then(pl.col(c).shift(1)).alias(f"prev_{c}") for c in PREVIOUS])
    return frame.filter((pl.col("id") != pl.col("id").shift(-1)).fill_null(True))


def latest_with_previous(years: pl.DataFrame) -> pl.DataFrame:
    """Each enterprise's latest year, with the previous year's growth bases (null unless that year exists)."""
    return _latest_with_previous(years).collect()


def _answer_expr(code: str, weight: float) -> pl.Expr:
    # A when-chain on the few answer codes: cheaper than a replace over a string column's hash table.
    column = pl.col(code)
    chain = pl.when(column.is_null()).then(pl.lit(None, dtype=pl.Float64))
    for answer, score in ANSWER_SCORES.items():
        chain = chain.when(column == answer).then(pl.lit(score * (weight / 100.0), dtype=pl.Float64))
    return chain.otherwise(pl.lit(None, dtype=pl.Float64)).alias(f"p_{code}")


def score_frame(
    years: pl.DataFrame,
    config: dict,
    answers: pl.DataFrame | None = None,
    peers: pl.DataFrame | None = None,
    *,
    keep_sources: bool = False,
) -> pl.DataFrame:
    """One row per enterprise: v_<indicator> values, p_<item> points, d_<dimension> and total scores (0–100),
    coverage (weight with data, of 100); with ``peers`` also m_<dimension>/m_total medians, percentile, peer_count;
    with ``keep_sources`` also the latest year's sources and the previous year's growth bases (to name what is missing).

    Built as one lazy query and collected once, so Polars plans the whole pass (projection, common
    sub-expressions, both cores) instead of materialising every step.
    """
    frame = _latest_with_previous(years)
    frame = frame.with_columns([_indicator_expr(code).alias(f"v_{code}") for code in FORMULAS])
    points = [
        (_band_expr(pl.col(f"v_{code}"), entry["bands"]) * (entry["weight"] / 100.0)).alias(f"p_{code}")
        for code, entry in config["indicators"].items()
    ]
    questions = config["questions"]
    if questions:
        given = [c for c in questions if answers is not None and c in answers.columns]
        if given:
            frame = frame.join(answers.lazy().select(["id", *given]), on="id", how="left")
        for code, entry in questions.items():
            if code in given:
                points.append(_answer_expr(code, entry["weight"]))
            else:
                points.append(pl.lit(None, dtype=pl.Float64).alias(f"p_{code}"))
    frame = frame.with_columns(points)
    scored = items(config)

    def earned_and_weight(columns):
        earned = pl.sum_horizontal([pl.col(c).fill_null(0.0) for c, _d, _w in columns])
        weight = pl.sum_horizontal([pl.when(pl.col(c).is_not_null()).then(w).otherwise(0.0) for c, _d, w in columns])
        return earned, weight

    scores = []
    for dim in DIMENSIONS:
        members = [item for item in scored if item[1] == dim]
        if not members:
            scores.append(pl.lit(None, dtype=pl.Float64).alias(f"d_{dim}"))
            continue
        earned, weight = earned_and_weight(members)
        scores.append(pl.when(weight > 0).then(earned / weight * 100.0).alias(f"d_{dim}"))
    earned, weight = earned_and_weight(scored)
    scores += [pl.when(weight > 0).then(earned / weight * 100.0).alias("total"), weight.alias("coverage")]
    frame = frame.with_columns(scores)
    keep = ["id", "year", *[f"v_{c}" for c in FORMULAS], *[c for c, _d, _w in scored],
            *[f"d_{d}" for d in DIMENSIONS], "total", "coverage"]  # fmt: skip
    if keep_sources:
        keep += [*SOURCES, *(f"prev_{c}" for c in PREVIOUS)]
    frame = frame.select(keep)
    if peers is not None:
        frame = frame.join(peers.lazy().select(["id", "peer"]), on="id", how="left")
        frame = frame.with_columns(pl.col("peer").fill_null(""))
        over = "peer"
        frame = frame.with_columns(
            [pl.col(f"d_{d}").median().over(over).alias(f"m_{d}") for d in DIMENSIONS]
            + [
                pl.col("total").median().over(over).alias("m_total"),
                (
                    pl.col("total").round(RANK_DIGITS).rank("max").over(over)
                    / pl.col("total").count().over(over)
                    * 100.0
                ).alias("percentile"),
                pl.col("total").count().over(over).alias("peer_count"),
            ]
        )
    return frame.collect()


# --- the plain-Python reference (one enterprise at a time) -------------------------------------------------


def _band(value: float | None, bands: list[dict]) -> float | None:
    if value is None:
        return None
    for band in bands:
        if band["high"] is None or value < band["high"]:
            return band["score"]
    return None


def _indicator(code: str, cur: dict, prev: dict | None) -> float | None:
    kind, num, den, factor = FORMULAS[code]
    if kind == "growth":
        a, b = cur.get(num), (prev or {}).get(num)
        return None if a is None or b is None or b == 0 else (a - b) / abs(b) * factor
    a, b = cur.get(num), cur.get(den)
    return None if a is None or b is None or not b > 0 else a / b * factor


def _with_net_assets(row: dict) -> dict:
    assets, liabilities = row.get("assets"), row.get("liabilities")
    return {**row, "net_assets": None if assets is None or liabilities is None else assets - liabilities}


def score_one(rows: list[dict], config: dict, answers: dict | None = None) -> dict:
    """One enterprise scored from its yearly rows (dicts with ``year`` and the SOURCES) in plain Python."""
    by_year = {row["year"]: _with_net_assets(row) for row in rows}
    year = max(by_year)
    cur, prev = by_year[year], by_year.get(year - 1)
    out: dict = {"year": year}
    for code in FORMULAS:
        out[f"v_{code}"] = _indicator(code, cur, prev)
    for code, entry in config["indicators"].items():
        score = _band(out[f"v_{code}"], entry["bands"])
        out[f"p_{code}"] = None if score is None else score * (entry["weight"] / 100.0)
    for code, entry in config["questions"].items():
        score = ANSWER_SCORES.get((answers or {}).get(code))
        out[f"p_{code}"] = None if score is None else score * (entry["weight"] / 100.0)
    scored = items(config)

    def ratio(columns):
        earned = sum(out[c] or 0.0 for c, _d, _w in columns)
        weight = sum(w for c, _d, w in columns if out[c] is not None)
        return (earned / weight * 100.0 if weight > 0 else None), weight

    for dim in DIMENSIONS:
        out[f"d_{dim}"] = ratio([item for item in scored if item[1] == dim])[0]
    out["total"], out["coverage"] = ratio(scored)
    return out


def score_plain(rows: list[dict], config: dict, answers: dict | None = None, peers: dict | None = None) -> dict:
    """Every enterprise in a Python loop: id → score_one(...), plus the peer medians and percentile."""
    grouped: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        grouped[row["id"]].append(row)
    out = {pk: score_one(rs, config, (answers or {}).get(pk)) for pk, rs in grouped.items()}
    if peers is None:
        return out
    members: dict[str, list[int]] = defaultdict(list)
    for pk in out:
        members[peers.get(pk) or ""].append(pk)
    for group in members.values():
        for name in [*(f"d_{d}" for d in DIMENSIONS), "total"]:
            values = [out[pk][name] for pk in group if out[pk][name] is not None]
            median = statistics.median(values) if values else None
            for pk in group:
                out[pk]["m_" + name.removeprefix("d_")] = median
        totals = [out[pk]["total"] for pk in group if out[pk]["total"] is not None]
        for pk in group:
            mine = out[pk]["total"]
            out[pk]["peer_count"] = len(totals)
            if mine is None:
                out[pk]["percentile"] = None
                continue
            mine = round(mine, RANK_DIGITS)
            out[pk]["percentile"] = sum(round(t, RANK_DIGITS) <= mine for t in totals) / len(totals) * 100.0
    return out
