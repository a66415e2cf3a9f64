"""Results of a survey computed in bulk: responses read once into Polars (COPY on PostgreSQL), then every
question's counts, means and scores, cross-tabs and 万家 scores by group-by; no loop over responses.

Anonymous surveys: a breakdown cell (a region, industry, size or membership group) with fewer than
``MIN_GROUP`` responses is suppressed, and so is the whole result while the survey has fewer than that.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl
from django.db.models import IntegerField
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from qinqing.eligibility.attributes import _read as read_rows  # COPY … TO STDOUT into Polars on PostgreSQL

from . import scores
from .answers import ALPHABET
from .choices import Kind
from .models import Response, Survey
from .structure import ENVIRONMENTS, Item, items

MIN_GROUP = 5
DIMENSION_COLUMNS = {"region": "region", "industry": "industry", "size": "size", "member": "member"}
CHAR_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
JSON_KINDS = {Kind.MULTIPLE, Kind.RANKING, Kind.NUMBER, Kind.TEXT}


def read(survey: Survey, *, json_items: list[str] = (), queryset=None) -> pl.DataFrame:
    """One row per response: codes, region, industry, size, member (0/1), version, and for each code in
    ``json_items`` a text column ``j_<code>`` with that answer only (the database extracts it: the JSON of the
    other items is never transferred)."""
    qs = (queryset if queryset is not None else Response.objects.filter(survey=survey)).annotate(
        member_int=Cast("is_member", IntegerField())
    )
    fields = ["codes", "region_code", "industry", "size_class", "member_int", "version"]
    schema = {"codes": pl.Utf8, "region": pl.Utf8, "industry": pl.Utf8, "size": pl.Utf8, "member": pl.Int64,
              "version": pl.Int64}  # fmt: skip
    for code in json_items:
        qs = qs.annotate(**{f"j_{code}": KT(f"answers__{code}")})
        fields.append(f"j_{code}")
        schema[f"j_{code}"] = pl.Utf8
    frame = read_rows(qs, fields, schema)
    # COPY writes SQL NULL and "" alike for text: an absent answer is null, never "".
    return frame.with_columns([pl.when(pl.col(f"j_{c}") == "").then(None).otherwise(pl.col(f"j_{c}")).alias(f"j_{c}")
                               for c in json_items])  # fmt: skip


def coded_counts(frame: pl.DataFrame, slots: dict[str, int], codes: list[str], keep: list[str] = ()) -> pl.DataFrame:
    """(keep…, item, value, n): how many responses gave each value of each coded item, per ``keep`` group.

    One small group-by per item on its one-character slice of ``codes``, run in parallel by Polars
    (collect_all); only the few hundred result rows are mapped from characters back to values."""
    codes = [c for c in codes if c in slots]
    schema = {**{k: frame.schema[k] for k in keep}, "item": pl.Utf8, "value": pl.Int64, "n": pl.UInt32}
    if not codes or frame.is_empty():
        return pl.DataFrame(schema=schema)
    lazy = frame.lazy().select(*[pl.col(k) for k in keep], pl.col("codes"))
    parts = [
        lazy.group_by([*keep, pl.col("codes").str.slice(slots[c], 1).alias("char")])
        .agg(pl.len().alias("n"))
        .with_columns(pl.lit(c).alias("item"))
        for c in codes
    ]
    counts = pl.concat(pl.collect_all(parts))
    return (
        counts.with_columns(
            pl.col("char").replace_strict(CHAR_VALUE, default=None, return_dtype=pl.Int64).alias("value")
        )
        .filter(pl.col("value").is_not_null())
        .select([*keep, "item", "value", pl.col("n").cast(pl.UInt32)])
    )


@dataclass
class ItemResult:
    item: Item
    answered: int = 0
    options: list[dict] = field(default_factory=list)  # value, label, count, percent
    mean: float | None = None
    score: float | None = None
    stats: dict = field(default_factory=dict)  # number: min, max, mean, median
    texts: list[str] = field(default_factory=list)

    @property
    def chart(self) -> dict:
        return {"labels": [o["label"] for o in self.options], "counts": [o["count"] for o in self.options]}


@dataclass
class Results:
    responses: int
    suppressed: bool
    items: list[ItemResult]


def _percent(count: int, total: int) -> float:
    return round(100.0 * count / total, 1) if total else 0.0


def _json_items(frame: pl.DataFrame, item_list: list[Item]) -> dict[str, pl.Series]:
    """Each JSON-kept item's given answers (text as the database extracted it)."""
    return {i.code: frame.get_column(f"j_{i.code}").drop_nulls() for i in item_list if f"j_{i.code}" in frame.columns}


def compute(survey: Survey, frame: pl.DataFrame | None = None) -> Results:
    all_items = items(survey.structure)
    json_items = [i for i in all_items if i.kind in JSON_KINDS]
    frame = frame if frame is not None else read(survey, json_items=[i.code for i in json_items])
    total = frame.height
    if survey.anonymous and total < MIN_GROUP:
        return Results(total, True, [])
    coded = [i.code for i in all_items if i.kind in (Kind.SINGLE, Kind.SCALE)]
    counts = coded_counts(frame, survey.slots, coded)
    by_item: dict[str, dict[int, int]] = {}
    for code, value, n in counts.iter_rows():  # one row per (item, value): at most 60 per item
        by_item.setdefault(code, {})[value] = n
    json_values = _json_items(frame, json_items)
    out = []
    for item in all_items:
        result = ItemResult(item)
        if item.kind in (Kind.SINGLE, Kind.SCALE):
            found = by_item.get(item.code, {})
            result.answered = sum(found.values())
            result.options = [{"value": v, "label": label, "count": found.get(v, 0),
                               "percent": _percent(found.get(v, 0), result.answered)}
                              for v, label in item.options.items()]  # fmt: skip
            if item.kind == Kind.SCALE:
                on_scale = {v: n for v, n in found.items() if 1 <= v <= 5}
                n = sum(on_scale.values())
                if n:
                    result.mean = round(sum(v * c for v, c in on_scale.items()) / n, 2)
                    result.score = round((sum(v * c for v, c in on_scale.items()) / n - 1) / 4 * 100, 2)
        elif item.kind in (Kind.MULTIPLE, Kind.RANKING):
            values = json_values.get(item.code, pl.Series([], dtype=pl.Utf8))
            lists = values.str.json_decode(pl.List(pl.Int64))
            result.answered = len(lists)
            exploded = lists.explode().drop_nulls()
            found = dict(exploded.value_counts().iter_rows())
            firsts = dict(lists.list.first().drop_nulls().value_counts().iter_rows()) if len(lists) else {}
            result.options = [{"value": v, "label": label, "count": found.get(v, 0),
                               "first": firsts.get(v, 0), "percent": _percent(found.get(v, 0), result.answered)}
                              for v, label in item.options.items()]  # fmt: skip
        elif item.kind == Kind.NUMBER:
            numbers = json_values.get(item.code, pl.Series([], dtype=pl.Utf8)).cast(pl.Float64, strict=False)
            numbers = numbers.drop_nulls()
            result.answered = len(numbers)
            if len(numbers):
                result.stats = {"min": numbers.min(), "max": numbers.max(), "mean": round(numbers.mean(), 2),
                                "median": numbers.median()}  # fmt: skip
        else:
            texts = json_values.get(item.code, pl.Series([], dtype=pl.Utf8))
            result.answered = len(texts)
            result.texts = texts.tail(20).to_list()
        out.append(result)
    return Results(total, False, out)


def dimension_label(dimension: str, value) -> str:
    if dimension == "member":
        return _("会员") if value == 1 else _("非会员")
    if value in (None, ""):
        return _("未填")
    return str(value)


def crosstab(survey: Survey, code: str, dimension: str, frame: pl.DataFrame | None = None) -> dict:
    """Counts of one coded item's answers by a dimension (rows) and value (columns), with row totals and, for
    a scale, the mean and score per row. Anonymous surveys: rows of fewer than MIN_GROUP responses suppressed."""
    column = DIMENSION_COLUMNS[dimension]
    item = next((i for i in items(survey.structure) if i.code == code), None)
    if item is None or item.kind not in (Kind.SINGLE, Kind.SCALE):
        raise KeyError(code)
    frame = frame if frame is not None else read(survey)
    groups = frame.group_by(column).len(name="responses")
    counted = coded_counts(frame, survey.slots, [code], keep=[column])
    cells = counted.select(column, "value", "n")
    scale = (
        counted.filter(pl.col("value").is_between(1, 5))
        .group_by(column)
        .agg(((pl.col("value") * pl.col("n")).sum() / pl.col("n").sum()).alias("mean"))
    )
    table = {}
    for group, responses in groups.sort(column, nulls_last=True).iter_rows():
        table[group] = {"group": group, "responses": responses, "counts": {}, "mean": None, "score": None}
    for group, value, n in cells.iter_rows():
        table[group]["counts"][value] = n
    for group, mean in scale.iter_rows():
        table[group]["mean"] = round(mean, 2)
        table[group]["score"] = round((mean - 1) / 4 * 100, 2)
    rows = []
    for row in table.values():
        suppressed = survey.anonymous and row["responses"] < MIN_GROUP
        row["suppressed"] = suppressed
        row["label"] = dimension_label(dimension, row["group"])
        if suppressed:
            row.update(counts={}, mean=None, score=None, responses=None)
        row["cells"] = [row["counts"].get(v, 0) if not suppressed else None for v in item.options]
        rows.append(row)
    return {"item": item, "dimension": dimension, "values": list(item.options.items()), "rows": rows}


def score_table(survey: Survey, frame: pl.DataFrame | None = None) -> dict:
    """万家 scores overall and per region, with ranks; anonymous surveys leave out regions under MIN_GROUP."""
    all_items = [i for i in items(survey.structure) if i.environment]
    frame = frame if frame is not None else read(survey)
    codes = [i.code for i in all_items]
    counted = coded_counts(frame, survey.slots, codes, keep=["region"])
    both = pl.concat(
        [counted.select(pl.col("region").fill_null("").alias("group"), "item", "value", "n"),
         counted.group_by(["item", "value"]).agg(pl.col("n").sum()).select(pl.lit("all").alias("group"), "item",
                                                                            "value", "n")]
    )  # fmt: skip
    weights = survey.structure.get("environment_weights") or {}
    if survey.anonymous and frame.height < MIN_GROUP:  # nothing to show yet, not even the overall score
        both = both.clear()
    table = scores.compute(both, all_items, weights)
    counts = dict(frame.group_by("region").len().with_columns(pl.col("region").fill_null("")).iter_rows())
    overall = table.filter(pl.col("group") == "all")
    regions = table.filter(pl.col("group") != "all")
    if survey.anonymous:
        kept = [g for g, n in counts.items() if n >= MIN_GROUP]
        regions = regions.filter(pl.col("group").is_in(kept))
    regions = scores.rank(regions).sort(["rank_total", "group"])

    def row(r: dict, ranked: bool) -> dict:
        out = {"responses": counts.get(r["group"], frame.height if r["group"] == "all" else 0),
               "total": scores.rounded(r["total"]),
               "environments": {k: scores.rounded(r[k]) for k in ENVIRONMENTS}}  # fmt: skip
        if ranked:
            out["region"] = r["group"]
            out["rank"] = r["rank_total"]
            out["environment_ranks"] = {k: r[f"rank_{k}"] for k in ENVIRONMENTS}
        return out

    return {
        "survey": survey.pk,
        "title": survey.title,
        "responses": frame.height,
        "environments": {k: str(v) for k, v in ENVIRONMENTS.items()},
        "overall": row(overall.row(0, named=True), False) if overall.height else None,
        "regions": [row(r, True) for r in regions.iter_rows(named=True)],
    }
