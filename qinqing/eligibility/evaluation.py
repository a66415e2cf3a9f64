"""All enterprises at once: a rule as a Polars expression (Kleene logic on nulls, agreeing with explain.py) and
the evaluation of many rules over one attributes frame. Pure module: no ORM."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from functools import reduce
from typing import Any

import numpy as np
import polars as pl

from .explain import _missing, evaluate_leaf
from .ranking import count_at_most
from .vocabulary import ATTRIBUTES, is_group, leaves, normalize_industry, qualification_bits

# --- all enterprises at once ------------------------------------------------------------------------

FRAME_SCHEMA: dict[str, pl.DataType] = {
    "id": pl.Int64,
    "region": pl.Utf8,
    "industry": pl.Utf8,  # normalised: 门类 letter + digits
    "size_class": pl.Utf8,
    "years": pl.Float64,
    "employees": pl.Float64,
    "revenue": pl.Float64,
    "tax": pl.Float64,
    "rd_ratio": pl.Float64,
    "total_assets": pl.Float64,
    "qualifications": pl.Int64,  # bit mask over QUALIFICATIONS
    "member": pl.Boolean,
    "chambers": pl.List(pl.Int64),
}


def qualification_mask(names) -> int | None:
    if names is None:
        return None
    bits = qualification_bits()
    return sum(bits.get(name, 0) for name in set(names))


def frame_from_records(records: list[dict]) -> pl.DataFrame:
    """Build the matching frame from attribute dicts (tests, single-enterprise re-matching)."""
    columns: dict[str, list] = {key: [] for key in FRAME_SCHEMA}
    for record in records:
        for key in FRAME_SCHEMA:
            value = record.get(key)
            if _missing(value):
                value = None
            elif key == "industry":
                value = normalize_industry(value)
            elif key == "qualifications":
                value = qualification_mask(value)
            elif key == "chambers":
                value = list(value)
            columns[key].append(value)
    return pl.DataFrame(columns, schema=FRAME_SCHEMA)


def _leaf_expr(leaf: dict, codes: dict[str, dict[str, int]] | None = None) -> pl.Expr:
    attr = ATTRIBUTES[leaf["attr"]]
    col = pl.col(attr.key)
    op, value = leaf["op"], leaf["value"]
    if attr.key == "chambers" and codes and CHAMBER_BITS in codes:
        # Bit masks of the chambers any rule names (evaluate_all): has_any is one AND per 8 chambers named.
        wanted: dict[int, int] = {}
        for chamber in value:
            if chamber in codes[CHAMBER_BITS]:
                chunk, bit = codes[CHAMBER_BITS][chamber]
                wanted[chunk] = wanted.get(chunk, 0) | bit
        hit = reduce(
            lambda a, b: a | b,
            [(pl.col(f"{CHAMBER_BITS}{chunk}") & mask) != 0 for chunk, mask in wanted.items()]
            or [(pl.col(f"{CHAMBER_BITS}0") & 0) != 0],  # no member of any named chamber: False (null if unknown)
        )
        return hit if op == "has_any" else ~hit
    if codes and attr.key in codes:
        # The column holds small integer codes of its distinct values: decide the condition once per distinct
        # value with the very function explain() uses, then test membership of integers (fast, and agreeing).
        wanted = [code for text, code in codes[attr.key].items() if evaluate_leaf(leaf, {attr.key: text}) is True]
        return col.is_in(wanted)
    if codes and NUMBER_RANKS in codes and attr.key in codes[NUMBER_RANKS]:
        return _rank_test(leaf, codes[NUMBER_RANKS][attr.key])
    if attr.kind == "code":
        if op == "startswith":
            tests = []
            for prefix in value:
                if attr.key == "industry" and prefix[:1].isdigit():
                    tests.append(col.str.slice(1).str.starts_with(prefix))
                else:
                    tests.append(col.str.starts_with(prefix))
            test = reduce(lambda a, b: a | b, tests)
        elif op in ("in", "not_in"):
            test = col.is_in(value)
            test = test if op == "in" else ~test
        else:
            test = col == value if op == "eq" else col != value
    elif attr.kind == "enum":
        values = value if isinstance(value, list) else [value]
        test = col.is_in(values)
        test = test if op in ("in", "eq") else ~test
    elif attr.kind == "number":
        if op == "between":
            test = (col >= value[0]) & (col <= value[1])
        else:
            test = {
                "eq": col == value,
                "ne": col != value,
                "gt": col > value,
                "ge": col >= value,
                "lt": col < value,
                "le": col <= value,
            }[op]
    elif attr.kind == "bool":
        test = col == value
    elif attr.kind == "set":
        mask = qualification_mask(value)
        if op == "has_any":
            test = (col & mask) != 0
        elif op == "has_all":
            test = (col & mask) == mask
        else:
            test = (col & mask) == 0
    else:  # idset
        hit = col.list.eval(pl.element().is_in(value)).list.any()
        test = hit if op == "has_any" else ~hit
        # Missing datum → unknown (null) explicitly here; elsewhere Polars already propagates nulls
        # through comparisons, is_in, bit operations and negation (checked by the property test).
        return pl.when(col.is_null()).then(pl.lit(None, dtype=pl.Boolean)).otherwise(test)
    return test


def to_expr(rule: dict, codes: dict[str, dict[str, int]] | None = None, leaf=None) -> pl.Expr:
    """The rule as a Polars boolean expression with Kleene (three-valued) logic. ``leaf``: the expression for a
    leaf, when the caller has it already (e.g. a column holding that leaf, computed once for many rules)."""
    if is_group(rule):
        parts = [to_expr(item, codes, leaf) for item in rule["items"]]
        if not parts:
            return pl.lit(rule["op"] == "all", dtype=pl.Boolean)
        return reduce((lambda a, b: a & b) if rule["op"] == "all" else (lambda a, b: a | b), parts)
    return leaf(rule) if leaf is not None else _leaf_expr(rule, codes)


CODED = ("region", "industry", "size_class")


def encode_codes(frame: pl.DataFrame, chambers: bool = True) -> tuple[pl.DataFrame, dict[str, dict[str, int]]]:
    """Replace the text columns by integer codes of their distinct values (a few hundred at most)."""
    codes: dict[str, dict[str, int]] = {}
    columns = []
    coded = [key for key in CODED if key in frame.columns and frame.schema[key] == pl.Utf8]
    if coded:
        # Polars' Categorical codes the text in one hashing pass per column (the columns in parallel); its
        # codes are the process's code of each text, so the distinct texts (a few hundred at most) are read
        # back from the column's distinct values. Half the CPU of finding the distinct values and then
        # replacing every text by a dict lookup (~0.07 CPU-s at 1 M; docs/performance/matching.md).
        categorical = frame.select([pl.col(key).cast(pl.Categorical) for key in coded])
        uniques = categorical.select([pl.col(key).unique().drop_nulls().implode() for key in coded])
        for key in coded:
            distinct = uniques.get_column(key)[0]
            codes[key] = dict(zip(distinct.cast(pl.Utf8).to_list(), distinct.to_physical().to_list(), strict=True))
            columns.append(categorical.get_column(key).to_physical().cast(pl.UInt32).alias(key))
    if chambers and "chambers" in frame.columns and frame.schema["chambers"] == pl.List(pl.Int64):
        # The same for chamber lists (few distinct ones: most enterprises belong to none, some to one or two):
        # each chamber condition becomes an integer is_in instead of a list scan per row.
        lists = frame.get_column("chambers")
        codes["chambers"], coded = _code_lists(lists)
        frame = frame.with_columns(coded.alias("chambers"))
    return (frame.with_columns(columns) if columns else frame), codes


def _code_lists(lists: pl.Series) -> tuple[dict[tuple, int], pl.Series]:
    """Distinct lists → code, and the column of codes. Coded through each list's hash (a tenth of the CPU of
    joining the lists to text), checked to be one hash per distinct list; the text form if two ever collide."""
    hashes = lists.hash()
    pairs = pl.DataFrame({"hash": hashes, "list": lists}).filter(lists.is_not_null()).unique("hash")
    if pairs.height == lists.drop_nulls().n_unique():
        by_hash = dict(zip(pairs.get_column("hash").to_list(), range(pairs.height), strict=True))
        mapping = {tuple(items): by_hash[h] for h, items in pairs.iter_rows()}
        coded = hashes.replace_strict(by_hash, default=None, return_dtype=pl.UInt32)
        if lists.null_count():  # a missing list stays unknown, whatever its hash
            coded = pl.select(pl.when(lists.is_null()).then(None).otherwise(coded)).to_series()
        return mapping, coded
    keys = lists.list.eval(pl.element().cast(pl.Utf8)).list.join(",")
    distinct = [v for v in keys.unique().to_list() if v is not None]
    by_text = {text: i for i, text in enumerate(distinct)}
    mapping = {tuple(int(x) for x in text.split(",") if x): i for text, i in by_text.items()}
    return mapping, keys.replace_strict(by_text, default=None, return_dtype=pl.UInt32)


CHAMBER_BITS = "chambers_bits"  # key of codes (and prefix of the mask columns) when chambers are bit masks


def _chamber_masks(frame: pl.DataFrame, rules: dict[Any, dict]) -> tuple[pl.DataFrame, dict[int, tuple[int, int]]]:
    """Columns ``chambers_bits0…`` of UInt8 bit masks over the chambers the rules name (8 per column), and chamber
    → (column, bit): a chamber condition becomes a bit test on 1 byte a row (a sixth of the CPU of the same test
    on Int64 masks of 63 chambers: no 8 MB intermediate per condition). The masks are OR-ed straight from the
    memberships in numpy (a few hundred thousand, one pass), without coding the lists first; a list that is
    unknown gives an unknown mask."""
    named = sorted(
        {c for rule in rules.values() for leaf in leaves(rule) if leaf["attr"] == "chambers" for c in leaf["value"]}
    )
    bits = {chamber: (i // 8, 1 << (i % 8)) for i, chamber in enumerate(named)}
    lists = frame.get_column("chambers")
    held = lists.explode(empty_as_null=False, keep_nulls=False)  # every membership, in row order
    rows = np.repeat(np.arange(len(lists)), lists.list.len().fill_null(0).to_numpy())
    position = held.replace_strict({c: i for i, c in enumerate(named)}, default=-1, return_dtype=pl.Int64)
    position = position.fill_null(-1).to_numpy()
    named_here = position >= 0
    masks = np.zeros((max(1, -(-len(named) // 8)), len(lists)), dtype=np.uint8)  # one row per column: contiguous
    np.bitwise_or.at(
        masks,
        (position[named_here] // 8, rows[named_here]),
        np.left_shift(1, position[named_here] % 8).astype(np.uint8),
    )
    columns = []
    for chunk, mask in enumerate(masks):
        column = pl.Series(f"{CHAMBER_BITS}{chunk}", mask)
        if lists.null_count():
            column = pl.select(pl.when(lists.is_null()).then(None).otherwise(column)).to_series().alias(column.name)
        columns.append(column)
    return frame.with_columns(columns), bits


NUMBER_RANKS = "number_ranks"  # key of codes (and prefix of the rank columns) when numbers are ranked


def _after(value: float) -> float:
    return float(np.nextafter(value, np.inf))


def _cut_points(leaf: dict) -> list[float]:
    """The points a number condition compares with, each meaning "x >= point": x > t is x >= the next double
    after t (nothing lies between), x <= t is its negation, x < t the negation of x >= t."""
    op, value = leaf["op"], leaf["value"]
    if op == "between":
        return [float(value[0]), _after(float(value[1]))]
    t = float(value)
    return {"ge": [t], "lt": [t], "gt": [_after(t)], "le": [_after(t)]}.get(op, [t, _after(t)])  # eq, ne: both


def _rank_test(leaf: dict, ranks: dict[float, int]) -> pl.Expr:
    """A number condition as a comparison of the column's rank (ranks[p]: x >= p ⇔ rank >= ranks[p])."""
    rank = pl.col(f"{NUMBER_RANKS}_{leaf['attr']}")
    op, points = leaf["op"], [ranks[p] for p in _cut_points(leaf)]
    if op == "between":
        return (rank >= points[0]) & (rank < points[1])
    return {
        "ge": lambda: rank >= points[0],
        "gt": lambda: rank >= points[0],
        "lt": lambda: rank < points[0],
        "le": lambda: rank < points[0],
        "eq": lambda: rank == points[0],  # x >= t and not x >= next(t): the ranks are adjacent
        "ne": lambda: rank != points[0],
    }[op]()


def _number_ranks(frame: pl.DataFrame, rules: dict[Any, dict]) -> tuple[pl.DataFrame, dict[str, dict[float, int]]]:
    """Each number column the rules compare as a small-integer rank among the rules' cut points (ranking.py, the
    columns on two threads): the ~900 comparisons of a province's rules then read 1 byte a
    row instead of 8. rank(x) = how many cut points are <= x, so x >= p ⇔ rank(x) >= (p's place, from 1); the
    same order as Polars' comparisons (-0.0 = 0.0, NaN above everything); unknown stays unknown. A column with
    a non-finite cut point (next(inf) is inf) keeps its plain comparisons."""
    points: dict[str, set[float]] = {}
    for rule in rules.values():
        for leaf in leaves(rule):
            key = leaf["attr"]
            if ATTRIBUTES[key].kind == "number" and frame.schema.get(key) == pl.Float64:
                points.setdefault(key, set()).update(_cut_points(leaf))
    ranks: dict[str, dict[float, int]] = {}
    for key, cuts in points.items():
        ordered = sorted(cuts)
        if all(np.isfinite(ordered)) and len(ordered) < 1 << 16:
            ranks[key] = {p: i + 1 for i, p in enumerate(ordered)}

    def rank(key: str) -> pl.Series:
        ordered = np.array(sorted(ranks[key]), dtype=np.float64)
        dtype = np.uint8 if len(ordered) < 1 << 8 else np.uint16
        values = frame.get_column(key).fill_null(0.0).to_numpy()  # unknown rows are masked again below
        return pl.Series(f"{NUMBER_RANKS}_{key}", count_at_most(values, ordered, dtype))

    if not ranks:
        return frame, ranks
    with ThreadPoolExecutor(max_workers=2) as pool:  # numpy releases the GIL on whole arrays
        columns = list(pool.map(rank, ranks))
    return frame.with_columns(
        [
            pl.when(pl.col(key).is_null()).then(None).otherwise(column).alias(column.name)
            for key, column in zip(ranks, columns, strict=True)
        ]
    ), ranks


def _narrow_qualifications(frame: pl.DataFrame) -> pl.DataFrame:
    """The qualification masks in the narrowest unsigned type holding every bit (a bit test then reads 1 or 2 bytes
    a row instead of 8), when every mask in the frame fits."""
    if frame.schema.get("qualifications") != pl.Int64 or not qualification_bits():
        return frame
    width = max(qualification_bits().values()).bit_length()
    dtype = next((t for t, bits in ((pl.UInt8, 8), (pl.UInt16, 16), (pl.UInt32, 32)) if width <= bits), None)
    masks = frame.get_column("qualifications")
    if dtype is None or (masks.min() or 0) < 0 or (masks.max() or 0) >= 1 << width:
        return frame
    return frame.with_columns(masks.cast(dtype))


def evaluate_all(rules: dict[Any, dict], frame: pl.DataFrame) -> dict[Any, pl.Series]:
    """Eligible enterprise ids (sorted UInt32 Series, as idsets stores them) for each rule.

    One ``select`` computes every rule's boolean column in a single parallel pass over the frame (Polars
    shares the column reads); then each column picks its ids with ``Series.filter``, which keeps only true
    rows — unknown (null) is excluded without a fill_null. Half the CPU of one lazy filter query per rule
    run by ``collect_all`` (which filters the whole frame per rule); 32-bit ids halve the memory written.
    """
    if not rules:
        return {}
    if not frame.get_column("id").is_sorted():
        frame = frame.sort("id")
    frame, codes = encode_codes(frame, chambers=False)
    named_chambers = any(leaf["attr"] == "chambers" for rule in rules.values() for leaf in leaves(rule))
    if named_chambers and "chambers" in frame.columns:
        frame, codes[CHAMBER_BITS] = _chamber_masks(frame, rules)
    frame, codes[NUMBER_RANKS] = _number_ranks(frame, rules)
    frame = _narrow_qualifications(frame)
    keys = list(rules)
    masks = frame.lazy().select([to_expr(rules[key], codes).alias(f"r{i}") for i, key in enumerate(keys)]).collect()
    ids = frame.get_column("id").cast(pl.UInt32, strict=True)
    if masks.width and masks.height != frame.height:  # a rule with no condition is one literal: broadcast it
        masks = pl.DataFrame({name: pl.repeat(masks[name][0], frame.height, eager=True) for name in masks.columns})
    with ThreadPoolExecutor(max_workers=2) as pool:  # Polars releases the GIL: the filters run on both cores
        found = pool.map(lambda i: ids.filter(masks.get_column(f"r{i}")), range(len(keys)))
        return dict(zip(keys, found, strict=True))


def frame_row_attrs(frame: pl.DataFrame, index: int) -> dict:
    """One frame row back as the attribute dict explain() takes (qualification mask → names)."""
    row = frame.row(index, named=True)
    mask = row.get("qualifications")
    if mask is not None:
        row["qualifications"] = [name for name, bit in qualification_bits().items() if mask & bit]
    return row
