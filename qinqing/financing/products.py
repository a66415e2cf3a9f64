"""Which bank products fit a need, and why (the same explanations as 我的政策).

A product fits a need when the enterprise meets the product's eligibility rule (the shared engine,
qinqing.eligibility) AND the need's own terms fall in the product's ranges (amount, term, guarantee, rate).
``match_needs`` does it for many needs and products in one vectorised pass (Polars).
"""

from __future__ import annotations

from dataclasses import dataclass, field

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


def rate_expr(rate_min) -> pl.Expr:
    """The need's rate ceiling, when stated, is not below the product's lowest rate."""
    return pl.col("rate_ceiling").is_null() | (pl.col("rate_ceiling") >= float(rate_min))


def _between(column: str, low, high) -> pl.Expr:
    return pl.col(column).is_between(low, high)


def _guarantee(mask: int) -> pl.Expr:
    """The need's guarantee (one bit of GUARANTEE_BITS) is one of the product's (``mask``)."""
    return (pl.col("guarantee") & mask) != 0


def product_expr(product: dict, codes) -> pl.Expr:
    """The product's rule (shared engine) AND the need's terms in the product's ranges, as one expression."""
    mask = sum(GUARANTEE_BITS.get(g, 0) for g in product["guarantees"] or [])
    terms = (
        _between("amount", float(product["amount_min"]), float(product["amount_max"]))
        & _between("term", product["term_min"], product["term_max"])
        & _guarantee(mask)
        & rate_expr(product["rate_min"])
    )
    rule = product["rule"] or {"op": "all", "items": []}
    return terms if not rule.get("items") and rules.is_group(rule) else rules.to_expr(rule, codes) & terms


def _conditions(products: list[dict], codes) -> tuple[dict[str, pl.Expr], list[pl.Expr]]:
    """Every distinct condition of the catalogue — rule leaves and the terms (amount range, term range, guarantee
    set, rate floor) — as one named column each, and each product as the AND/OR of those columns, exactly as
    ``product_expr`` combines them (the same Kleene logic: the columns keep their nulls)."""
    named: dict[str, pl.Expr] = {}
    names: dict[str, str] = {}

    def column(make, *args, key: str = "") -> pl.Expr:
        key = key or repr(args)
        if key not in names:
            names[key] = f"c{len(names)}"
            named[names[key]] = make(*args)
        return pl.col(names[key])

    combined = []
    for product in products:
        mask = sum(GUARANTEE_BITS.get(g, 0) for g in product["guarantees"] or [])
        terms = (
            column(_between, "amount", float(product["amount_min"]), float(product["amount_max"]))
            & column(_between, "term", product["term_min"], product["term_max"])
            & column(_guarantee, mask)
            & column(rate_expr, float(product["rate_min"]))
        )
        rule = product["rule"] or EMPTY
        if not rule.get("items") and rules.is_group(rule):
            combined.append(terms)
        else:
            leaf = lambda node: column(rules.to_expr, node, codes, key=repr(node))  # noqa: E731 -- the leaf's column
            combined.append(rules.to_expr(rule, codes, leaf) & terms)
    return named, combined


def match_frames(products: list[dict], enterprises: pl.DataFrame, needs: pl.DataFrame) -> dict[int, pl.Series]:
    """Fitting need ids per product id (UInt32, ascending), in one pass: every need row carries its enterprise's
    attributes; each distinct condition of the catalogue (2,000 random products: ~2,300 rule leaves and ~70
    terms) is evaluated once into a boolean column, each product is the AND/OR of its columns (bitmaps, 64
    rows a word), and each product's column then picks its need ids. Agrees with ``product_expr`` filtered
    over every row (property test). ``products``: dicts with pk, rule, amount_min/max, term_min/max, rate_min,
    guarantees; ``needs``: needs_frame(); ``enterprises``: attributes.read_frame()."""
    if not products or needs.is_empty():
        return {p["pk"]: pl.Series("need", [], dtype=pl.UInt32) for p in products}
    frame = needs.join(enterprises, on="id", how="inner").sort("need")
    uses_chambers = any(leaf["attr"] == "chambers" for p in products for leaf in rules.leaves(p["rule"] or EMPTY))
    frame, codes = rules.encode_codes(frame, chambers=uses_chambers)
    named, combined = _conditions(products, codes)
    query = frame.lazy().select(**named).select([expr.alias(f"p{i}") for i, expr in enumerate(combined)])
    masks = query.collect()
    ids = frame.get_column("need").cast(pl.UInt32)
    return {p["pk"]: ids.filter(masks.get_column(f"p{i}")) for i, p in enumerate(products)}


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
