"""Results of a survey computed in bulk: responses read once into Polars (COPY on PostgreSQL), then every
question's counts, means and scores, cross-tabs and 万家 scores by group-by; no loop over responses.

Anonymous surveys: a breakdown cell (a region, industry, size or membership group) with fewer than
``MIN_GROUP`` responses is suppressed, and so is the whole result while the survey has fewer than that.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import polars as pl
from django.db.models import CharField, Count, IntegerField, Q
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from qinqing.eligibility.attributes import _read as read_rows  # COPY … TO STDOUT into Polars on PostgreSQL

from . import scores
from .answers import ALPHABET, BLANK, VALUE_KINDS
from .choices import Kind
from .models import AnswerValue, Response, Survey
from .structure import ENVIRONMENTS, Item, items

MIN_GROUP = 5
DIMENSION_COLUMNS = {"region": "region", "industry": "industry", "size": "size", "member": "member"}
CHAR_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}


def read(survey: Survey, *, queryset=None, with_id: bool = False) -> pl.DataFrame:
    """One row per response: codes, region, industry, size, member (0/1), version (and its key as text in
    ``id`` when asked). The JSON answers are never read: the other kinds are in AnswerValue (value_frame)."""
    qs = (queryset if queryset is not None else Response.objects.filter(survey=survey)).annotate(
        member_int=Cast("is_member", IntegerField())
    )
    fields = ["codes", "region_code", "industry", "size_class", "member_int", "version"]
    schema = {"codes": pl.Utf8, "region": pl.Utf8, "industry": pl.Utf8, "size": pl.Utf8, "member": pl.Int64,
              "version": pl.Int64}  # fmt: skip
    if with_id:
        qs = qs.annotate(key=Cast("pk", CharField()))
        fields.append("key")
        schema["id"] = pl.Utf8
    return read_rows(qs, fields, schema)


def value_frame(survey: Survey, codes: list[str]) -> pl.DataFrame:
    """The column-wise answers of the given items: (id, item, position, option, number, text), one row each."""
    qs = AnswerValue.objects.filter(survey=survey, item__in=codes).annotate(key=Cast("response_id", CharField()))
    schema = {"id": pl.Utf8, "item": pl.Utf8, "position": pl.Int64, "option": pl.Int64, "number": pl.Float64,
              "text": pl.Utf8}  # fmt: skip
    if not codes:
        return pl.DataFrame(schema=schema)
    return read_rows(qs, ["key", "item", "position", "option", "number", "text"], schema)


_LAST: tuple = (None, None)  # (frame, matrix) of the last call: a page counts the same frame three times


def _code_matrix(frame: pl.DataFrame, width: int) -> np.ndarray:
    """The coded strings as a (width × responses) array of character codes (codes are ASCII), one contiguous
    row per slot."""
    global _LAST
    last_frame, last_matrix = _LAST  # one read of one tuple: another thread's frame never pairs with this one
    if last_frame is frame and last_matrix.shape[0] >= width:
        return last_matrix
    codes = frame.get_column("codes").fill_null("").str.pad_end(width, BLANK).str.slice(0, width)
    raw = np.frombuffer("".join(codes.to_list()).encode("ascii"), dtype=np.uint8).reshape(frame.height, width)
    matrix = np.ascontiguousarray(raw.T)
    _LAST = (frame, matrix)
    return matrix


def coded_counts(frame: pl.DataFrame, slots: dict[str, int], codes: list[str], keep: list[str] = ()) -> pl.DataFrame:
    """(keep…, item, value, n): how many responses gave each value of each coded item, per ``keep`` group.

    The coded strings become one byte array; each item's counts per group are one ``bincount`` of
    group × character, and only the few hundred non-zero cells are mapped back to values."""
    codes = [c for c in codes if c in slots]
    schema = {**{k: frame.schema[k] for k in keep}, "item": pl.Utf8, "value": pl.Int64, "n": pl.UInt32}
    if not codes or frame.is_empty():
        return pl.DataFrame(schema=schema)
    positions = [slots[c] for c in codes]
    matrix = _code_matrix(frame, max(positions) + 1)
    if keep:
        groups = frame.select(keep).unique(maintain_order=True).with_row_index("_g")
        gid = frame.select(keep).join(groups, on=list(keep), how="left", nulls_equal=True, maintain_order="left")
        gid = gid.get_column("_g").to_numpy().astype(np.int64)
    else:
        groups, gid = pl.DataFrame({"_g": [0]}), np.zeros(frame.height, dtype=np.int64)
    size = groups.height * 128
    base = gid * 128
    parts = {k: [] for k in [*keep, "item", "value", "n"]}
    group_rows = groups.drop("_g").rows() if keep else [()]
    for code, position in zip(codes, positions, strict=True):
        counts = np.bincount(base + matrix[position], minlength=size)
        for cell in np.flatnonzero(counts):
            value = CHAR_VALUE.get(chr(cell % 128))
            if value is None:
                continue
            for k, v in zip(keep, group_rows[cell // 128], strict=True):
                parts[k].append(v)
            parts["item"].append(code)
            parts["value"].append(value)
            parts["n"].append(int(counts[cell]))
    return pl.DataFrame(parts, schema=schema)


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


def _value_results(survey: Survey, item_list: list[Item]) -> tuple[dict, dict, dict]:
    """From AnswerValue, aggregated by the database: per item {option: (count, first)}, number statistics and
    up to 20 texts."""
    codes = [i.code for i in item_list]
    qs = AnswerValue.objects.filter(survey=survey, item__in=codes).order_by()
    chosen: dict[str, dict[int, tuple[int, int]]] = {}
    rows = qs.filter(option__isnull=False).values_list("item", "option")
    for code, option, n, first in rows.annotate(n=Count("pk"), first=Count("pk", filter=Q(position=0))):
        chosen.setdefault(code, {})[option] = (n, first)
    numbers: dict[str, dict] = {}
    number_codes = [i.code for i in item_list if i.kind == Kind.NUMBER]
    if number_codes:
        frame = read_rows(qs.filter(item__in=number_codes, number__isnull=False), ["item", "number"],
                          {"item": pl.Utf8, "number": pl.Float64})  # fmt: skip
        stats = frame.group_by("item").agg(pl.len().alias("n"), pl.col("number").min().alias("min"),
                                           pl.col("number").max().alias("max"), pl.col("number").mean().alias("mean"),
                                           pl.col("number").median().alias("median"))  # fmt: skip
        for row in stats.iter_rows(named=True):
            numbers[row["item"]] = row
    texts = {i.code: list(qs.filter(item=i.code).exclude(text="").values_list("text", flat=True)[:20])
             for i in item_list if i.kind == Kind.TEXT}  # fmt: skip
    return chosen, numbers, texts


def compute(survey: Survey, frame: pl.DataFrame | None = None) -> Results:
    all_items = items(survey.structure)
    frame = frame if frame is not None else read(survey)
    total = frame.height
    if survey.anonymous and total < MIN_GROUP:
        return Results(total, True, [])
    coded = [i.code for i in all_items if i.kind in (Kind.SINGLE, Kind.SCALE)]
    counts = coded_counts(frame, survey.slots, coded)
    by_item: dict[str, dict[int, int]] = {}
    for code, value, n in counts.iter_rows():  # one row per (item, value): at most 60 per item
        by_item.setdefault(code, {})[value] = n
    chosen, numbers, texts = _value_results(survey, [i for i in all_items if i.kind in VALUE_KINDS])
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
            found = chosen.get(item.code, {})
            result.answered = sum(first for _n, first in found.values())  # one first value per answer
            result.options = [{"value": v, "label": label, "count": found.get(v, (0, 0))[0],
                               "first": found.get(v, (0, 0))[1],
                               "percent": _percent(found.get(v, (0, 0))[0], result.answered)}
                              for v, label in item.options.items()]  # fmt: skip
        elif item.kind == Kind.NUMBER:
            stats = numbers.get(item.code)
            result.answered = stats["n"] if stats else 0
            if stats:
                result.stats = {"min": stats["min"], "max": stats["max"], "mean": round(stats["mean"], 2),
                                "median": stats["median"]}  # fmt: skip
        else:
            result.texts = texts.get(item.code, [])
            result.answered = AnswerValue.objects.filter(survey=survey, item=item.code).exclude(text="").count()
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
