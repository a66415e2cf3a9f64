"""Which bank products fit a need, and why (the same explanations as 我的政策).

A product fits a need when the enterprise meets the product's eligibility rule (the shared engine,
qinqing.eligibility) AND the need's own terms fall in the product's ranges (amount, term, guarantee, rate).
``match_needs`` does it for many needs and products in one vectorised pass (Polars).
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import polars as pl
from django.utils.translation import gettext as _

from qinqing.eligibility import rules
from qinqing.eligibility.attributes import enterprise_attrs, read_frame

from .choices import Guarantee
from .models import BankProduct, FinancingNeed

EMPTY = {"op": "all", "items": []}
VERDICT_ORDER = {"eligible": 0, "near_miss": 1, "unknown": 2, "not_eligible": 3}


@dataclass
class ProductFit:
    product: BankProduct
    explanation: rules.Explanation
    terms: list[str] = field(default_factory=list)  # the need's terms outside the product's ranges
    verdict: str = ""

    @property
    def verdict_label(self) -> str:
        return str(rules.VERDICTS[self.verdict])


def term_mismatches(product: BankProduct, need: FinancingNeed) -> list[str]:
    out = []
    if not product.amount_min <= need.amount <= product.amount_max:
        out.append(
            _("融资金额 %(amount)s 万元不在产品额度 %(low)s–%(high)s 万元内")
            % {"amount": need.amount, "low": product.amount_min, "high": product.amount_max}
        )
    if not product.term_min <= need.term_months <= product.term_max:
        out.append(
            _("期限 %(term)s 个月不在产品期限 %(low)s–%(high)s 个月内")
            % {"term": need.term_months, "low": product.term_min, "high": product.term_max}
        )
    if need.guarantee not in (product.guarantees or []):
        out.append(_("担保方式“%(g)s”不在产品支持的方式内") % {"g": Guarantee(need.guarantee).label})
    if need.rate_ceiling is not None and need.rate_ceiling < product.rate_min:
        out.append(
            _("产品最低年利率 %(rate)s%% 高于可接受的 %(ceiling)s%%")
            % {"rate": product.rate_min, "ceiling": need.rate_ceiling}
        )
    return out


def fits_for_need(need: FinancingNeed, products=None, attrs: dict | None = None) -> list[ProductFit]:
    """Every active product explained for one need: eligible first, then near misses."""
    from qinqing.policies.labels import value_names

    products = list(
        products if products is not None else BankProduct.objects.filter(is_active=True).select_related("bank")
    )
    attrs = attrs if attrs is not None else enterprise_attrs(need.enterprise)
    names = value_names([p.rule for p in products])
    found = []
    for product in products:
        explanation = rules.explain(product.rule or {"op": "all", "items": []}, attrs, names)
        terms = term_mismatches(product, need)
        verdict = explanation.verdict
        if terms:
            verdict = "near_miss" if verdict == "eligible" and len(terms) == 1 else "not_eligible"
        found.append(ProductFit(product, explanation, terms, verdict))
    found.sort(key=lambda f: (VERDICT_ORDER[f.verdict], f.product.rate_min))
    return found


GUARANTEE_BITS = {value: 1 << i for i, value in enumerate(Guarantee.values)}


def needs_frame(needs) -> pl.DataFrame:
    rows = list(needs.values_list("pk", "enterprise_id", "amount", "term_months", "guarantee", "rate_ceiling"))
    frame = pl.DataFrame(
        rows,
        schema={
            "need": pl.Int64,
            "id": pl.Int64,
            "amount": pl.Float64,
            "term": pl.Int64,
            "guarantee": pl.Utf8,
            "rate_ceiling": pl.Float64,
        },
        orient="row",
    )
    return frame.with_columns(pl.col("guarantee").replace_strict(GUARANTEE_BITS, default=0, return_dtype=pl.Int64))


def product_expr(product: dict, codes) -> pl.Expr:
    """The product's rule (shared engine) AND the need's terms in the product's ranges, as one expression."""
    mask = sum(GUARANTEE_BITS.get(g, 0) for g in product["guarantees"] or [])
    terms = (
        pl.col("amount").is_between(float(product["amount_min"]), float(product["amount_max"]))
        & pl.col("term").is_between(product["term_min"], product["term_max"])
        & ((pl.col("guarantee") & mask) != 0)
        & (pl.col("rate_ceiling").is_null() | (pl.col("rate_ceiling") >= float(product["rate_min"])))
    )
    rule = product["rule"] or {"op": "all", "items": []}
    return terms if not rule.get("items") and rules.is_group(rule) else rules.to_expr(rule, codes) & terms


def match_frames(products: list[dict], enterprises: pl.DataFrame, needs: pl.DataFrame) -> dict[int, pl.Series]:
    """Fitting need ids per product id, in one pass: every need row carries its enterprise's attributes; each
    distinct condition of all the products (a rule leaf, an amount range, a term range, a set of guarantees, a
    rate floor) is evaluated ONCE over all rows into a bitmap (one bit per row), and each product's fit is the
    AND/OR of its conditions' bitmaps, 64 rows per machine word (ConditionMasks). Rule leaves keep the shared
    engine's meaning: number comparisons exactly as rules.to_expr makes them (a missing value never fits),
    every other leaf through rules.to_expr itself; since rule groups are only 全部/任一 (monotone), an unknown
    leaf counts as not met without changing any product's result. ``product_expr`` is the one-expression
    reference the tests and the benchmark compare with. ``products``: dicts with pk, rule, amount_min/max,
    term_min/max, rate_min, guarantees; ``needs``: needs_frame(); ``enterprises``: attributes.read_frame()."""
    if not products or needs.is_empty():
        return {p["pk"]: pl.Series("need", [], dtype=pl.UInt32) for p in products}
    frame = needs.join(enterprises, on="id", how="inner").sort("need")
    uses_chambers = any(leaf["attr"] == "chambers" for p in products for leaf in rules.leaves(p["rule"] or EMPTY))
    frame, codes = rules.encode_codes(frame, chambers=uses_chambers)
    masks = ConditionMasks(frame, codes)
    masks.prepare(products)
    ids = frame.get_column("need").cast(pl.UInt32).to_numpy()
    keys = [masks.signature(product) for product in products]
    unique: dict[tuple, dict] = {}
    for key, product in zip(keys, products, strict=True):  # the same rule and terms fit the same needs: once
        unique.setdefault(key, product)
    signatures = list(unique)

    def found(part: list[tuple]) -> list[pl.Series]:
        return [pl.Series("need", ids[set_bits(masks.fit(unique[s]))], dtype=pl.UInt32) for s in part]

    # Two halves on two threads: numpy releases the GIL in the bitmap and index work.
    half = (len(signatures) + 1) // 2
    with ThreadPoolExecutor(max_workers=2) as pool:
        parts = list(pool.map(found, [signatures[:half], signatures[half:]]))
    by_signature = dict(zip(signatures, parts[0] + parts[1], strict=True))
    return {product["pk"]: by_signature[key] for key, product in zip(keys, products, strict=True)}


def _key(leaf: dict) -> str:
    return json.dumps(leaf, sort_keys=True, ensure_ascii=False, default=str)


# For each byte value: how many bits are set, and the offsets (0 = first row, numpy's big-endian bit order) of
# its set bits, for turning a bitmap into row numbers in time proportional to the rows found.
_BYTES = np.arange(256, dtype=np.uint8)
_POPCOUNT = np.unpackbits(_BYTES[:, None], axis=1).sum(axis=1).astype(np.int64)
_OFFSETS = np.zeros((256, 8), dtype=np.int64)
for _value in range(256):
    _found = np.flatnonzero(np.unpackbits(np.array([_value], dtype=np.uint8)))
    _OFFSETS[_value, : len(_found)] = _found


def set_bits(bitmap: np.ndarray) -> np.ndarray:
    """The row numbers whose bit is set in a packed bitmap (np.packbits order), ascending."""
    nonzero = np.flatnonzero(bitmap)
    values = bitmap[nonzero]
    counts = _POPCOUNT[values]
    firsts = np.cumsum(counts) - counts
    rank = np.arange(int(counts.sum())) - np.repeat(firsts, counts)
    return np.repeat(nonzero, counts) * 8 + _OFFSETS[np.repeat(values, counts), rank]


class ConditionMasks:
    """Bitmaps (np.packbits of a boolean per row) of every distinct condition over one matching frame, each
    made once; a product's fit is the AND/OR of its conditions' bitmaps."""

    NUMBER_OPS = {"eq", "ne", "gt", "ge", "lt", "le", "between"}

    def __init__(self, frame: pl.DataFrame, codes) -> None:
        self.frame, self.codes = frame, codes
        self.n = frame.height
        self.cache: dict = {}
        self._columns: dict[str, np.ndarray] = {}
        self.everyone = np.packbits(np.ones(self.n, dtype=bool))
        self.nobody = np.zeros_like(self.everyone)

    def column(self, name: str) -> np.ndarray:
        """A numeric column as float64 with NaN for missing values."""
        if name not in self._columns:
            self._columns[name] = self.frame.get_column(name).cast(pl.Float64).fill_null(np.nan).to_numpy()
        return self._columns[name]

    # ------------------------------------------------------------------ every distinct condition, once
    def prepare(self, products: list[dict]) -> None:
        """Evaluate every distinct rule leaf of the products: number comparisons in numpy, the rest in one
        Polars select through the shared engine."""
        other: dict[str, dict] = {}
        for product in products:
            for leaf in rules.leaves(product["rule"] or EMPTY):
                key = _key(leaf)
                if key in self.cache or key in other:
                    continue
                if self._numeric(leaf):
                    self.cache[key] = np.packbits(self._number(leaf))
                else:
                    other[key] = leaf
        if other:
            keys = list(other)
            # As 0/1 bytes: a UInt8 column reaches numpy without a copy (a boolean one is unpacked, 10× slower).
            exprs = [
                rules.to_expr(other[k], self.codes).fill_null(False).cast(pl.UInt8).alias(f"c{i}")
                for i, k in enumerate(keys)
            ]
            selected = self.frame.lazy().select(exprs).collect()
            for i, key in enumerate(keys):
                values = selected.get_column(f"c{i}")
                if len(values) != self.n:  # a literal: broadcast
                    self.cache[key] = self.everyone if values[0] else self.nobody
                else:
                    self.cache[key] = np.packbits(values.to_numpy())

    def _numeric(self, leaf: dict) -> bool:
        attr = rules.ATTRIBUTES[leaf["attr"]]
        return attr.kind == "number" and leaf["op"] in self.NUMBER_OPS and attr.key not in (self.codes or {})

    def _number(self, leaf: dict) -> np.ndarray:
        """The comparison as booleans, written into two reused buffers (no fresh megabyte per leaf)."""
        col = self.column(rules.ATTRIBUTES[leaf["attr"]].key)
        op, value = leaf["op"], leaf["value"]
        if not hasattr(self, "_buffers"):
            self._buffers = (np.empty(self.n, dtype=bool), np.empty(self.n, dtype=bool))
        test, other = self._buffers
        with np.errstate(invalid="ignore"):
            if op == "between":
                np.greater_equal(col, value[0], out=test)
                np.less_equal(col, value[1], out=other)
                return np.logical_and(test, other, out=test)
            compare = {"eq": np.equal, "ne": np.not_equal, "gt": np.greater, "ge": np.greater_equal,
                       "lt": np.less, "le": np.less_equal}[op]  # fmt: skip
            compare(col, value, out=test)
        if op == "ne":  # NaN != v is True in numpy; a missing value is unknown in the engine
            np.logical_and(test, ~np.isnan(col), out=test)
        return test

    def _term(self, key: tuple) -> np.ndarray:
        if key not in self.cache:
            kind, *args = key
            with np.errstate(invalid="ignore"):
                if kind in ("amount", "term"):
                    col = self.column(kind)
                    test = (col >= args[0]) & (col <= args[1])
                elif kind == "guarantee":
                    test = (self.frame.get_column("guarantee").to_numpy() & args[0]) != 0
                else:  # rate floor: no ceiling stated, or a ceiling at or above the product's lowest rate
                    col = self.column("rate_ceiling")
                    test = np.isnan(col) | (col >= args[0])
            self.cache[key] = np.packbits(test)
        return self.cache[key]

    # ------------------------------------------------------------------ one product
    @staticmethod
    def terms(product: dict) -> list[tuple]:
        mask = sum(GUARANTEE_BITS.get(g, 0) for g in product["guarantees"] or [])
        return [
            ("amount", float(product["amount_min"]), float(product["amount_max"])),
            ("term", float(product["term_min"]), float(product["term_max"])),
            ("guarantee", mask),
            ("rate", float(product["rate_min"])),
        ]

    def signature(self, product: dict) -> tuple:
        return (_key(product["rule"] or EMPTY), *self.terms(product))

    def fit(self, product: dict) -> np.ndarray:
        """The product's rule AND its terms, as a fresh bitmap."""
        out = self.everyone.copy()
        for term in self.terms(product):
            np.bitwise_and(out, self._term(term), out=out)
        rule = product["rule"] or EMPTY
        if rule.get("items") or not rules.is_group(rule):
            np.bitwise_and(out, self._rule(rule), out=out)
        return out

    def _rule(self, rule: dict) -> np.ndarray:
        if not rules.is_group(rule):
            return self.cache[_key(rule)]
        parts = [self._rule(item) for item in rule["items"]]
        if not parts:
            return self.everyone if rule["op"] == "all" else self.nobody
        combine = np.bitwise_and if rule["op"] == "all" else np.bitwise_or
        out = parts[0].copy()
        for part in parts[1:]:
            combine(out, part, out=out)
        return out


def match_needs(needs, products=None) -> dict[int, list[int]]:
    """Every product against every given need, in one pass; product id → fitting need ids."""
    frame = needs_frame(needs)
    if frame.is_empty():
        return {}
    enterprises = read_frame("/", enterprise_ids=frame.get_column("id").unique().to_list())
    products = products if products is not None else BankProduct.objects.filter(is_active=True)
    fields = ("pk", "rule", "amount_min", "amount_max", "term_min", "term_max", "rate_min", "guarantees")
    found = match_frames(list(products.values(*fields)), enterprises, frame)
    return {pk: ids.to_list() for pk, ids in found.items() if len(ids)}
