"""Why enterprises qualify for a policy, and which are one condition short (the staff eligible list, 名单).

``qualifying`` explains the enterprises of one page with rules.explain (the same words as 我的政策).
``near_misses`` finds, over the whole scope at once, the enterprises for which the policy's rule is not met
(False, not unknown) but would be met if one single condition were: the rule is evaluated once as it is and
once per condition with that condition replaced by "met", all in one Polars pass over the scope's frame.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from qinqing.eligibility import rules
from qinqing.eligibility.attributes import read_frame

from .labels import value_names

MET = {"op": "all", "items": []}  # an empty 'all' group is met


def _with_leaf_met(rule: dict, index: int) -> dict:
    """The rule with its ``index``-th leaf (in rules.leaves order) replaced by a met condition."""
    counter = [0]

    def walk(node: dict) -> dict:
        if rules.is_group(node):
            return {"op": node["op"], "items": [walk(item) for item in node["items"]]}
        current = counter[0]
        counter[0] += 1
        return MET if current == index else node

    return walk(rule)


def qualifying(policy, enterprise_ids: list[int], scope_path: str) -> dict[int, list[rules.LeafResult]]:
    """Per enterprise of the page, the conditions it meets (for a rule with no condition: none)."""
    if not enterprise_ids:
        return {}
    frame = read_frame(scope_path, enterprise_ids=enterprise_ids)
    rows = [rules.frame_row_attrs(frame, i) for i in range(frame.height)]
    names = value_names([policy.rule], rows)
    return {
        row["id"]: [leaf for leaf in rules.explain(policy.rule, row, names).leaves if leaf.status == "met"]
        for row in rows
    }


@dataclass
class NearMiss:
    enterprise_id: int
    missing: list[rules.LeafResult]  # any one of these, met, would make the enterprise eligible


def near_misses(policy, scope_path: str, limit: int = 50) -> tuple[int, list[NearMiss]]:
    """(how many enterprises of the scope are one condition short, the first ``limit`` of them explained)."""
    rule = policy.rule or MET
    flat = rules.leaves(rule)
    if not flat:
        return 0, []
    frame = read_frame(scope_path)
    if policy.org_path != scope_path and policy.org_path.startswith(scope_path):
        frame = frame.filter(pl.col("org_path").str.starts_with(policy.org_path))  # a lower level's policy
    if frame.is_empty():
        return 0, []
    uses_chambers = any(leaf["attr"] == "chambers" for leaf in flat)
    coded, codes = rules.encode_codes(frame, chambers=uses_chambers)
    exprs = [rules.to_expr(rule, codes).alias("root")]
    exprs += [rules.to_expr(_with_leaf_met(rule, i), codes).alias(f"f{i}") for i in range(len(flat))]
    masks = coded.lazy().select([pl.col("id"), *exprs]).collect()
    fixes = [f"f{i}" for i in range(len(flat))]
    short = masks.filter((pl.col("root") == False) & pl.any_horizontal([pl.col(f) == True for f in fixes]))  # noqa: E712 -- three-valued: null is neither
    total = short.height
    first = short.sort("id").head(limit)
    ids = first.get_column("id").to_list()
    chosen = frame.filter(pl.col("id").is_in(ids))
    rows = {row["id"]: row for row in (rules.frame_row_attrs(chosen, i) for i in range(chosen.height))}
    names = value_names([rule], rows.values())
    found = []
    for enterprise_id in ids:
        explanation = rules.explain(rule, rows[enterprise_id], names)
        found.append(NearMiss(enterprise_id, explanation.near_miss))
    return total, found
