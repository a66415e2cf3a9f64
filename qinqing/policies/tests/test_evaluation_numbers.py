"""Number conditions compare small-integer ranks among the rules' cut points (evaluation._number_ranks, ranking.py):
the same eligible ids as the plain comparisons and as explain(), at every boundary."""

import random

import numpy as np
import polars as pl
import pytest

from qinqing.eligibility import evaluation, ranking
from qinqing.eligibility.rules import evaluate_all, explain, frame_from_records, normalize


@pytest.mark.parametrize(
    "points",
    [
        [5.0],
        [0.0, 5e-324],  # x >= 0 and x > 0 alone: no grid spans two neighbouring doubles
        [-3.5, -0.0, 1e-300, 2.0, 7.25, 1e12],
        sorted({round(random.Random(3).uniform(0, 5000), 2) for _ in range(240)}),  # UInt8, a few per bucket
        [float(i) for i in range(300)],  # UInt16
        [0.0, 1e-9, 2e-9, 3e-9, 4e-9, 5e-9, 6e-9, 7e-9, 8e-9, 9e-9, 1e9],  # bunched in one bucket: binary search
    ],
)
def test_given_values_at_and_around_every_point_when_ranked_then_as_binary_search(points):
    cuts = np.array(points, dtype=np.float64)
    near = np.concatenate([cuts, np.nextafter(cuts, np.inf), np.nextafter(cuts, -np.inf)])
    values = np.concatenate([near, [0.0, -0.0, np.inf, -np.inf, 1e308, -1e308], np.random.default_rng(1).normal(
        0, 2000, 5000)])  # fmt: skip
    dtype = np.uint8 if len(cuts) < 256 else np.uint16
    got = ranking.count_at_most(values, cuts, dtype)
    assert got.dtype == dtype
    assert got.tolist() == np.searchsorted(cuts, values, side="right").tolist()


def test_given_nan_values_when_ranked_then_above_every_point_as_polars_orders_them():
    cuts = np.array([1.0, 2.0])
    assert ranking.count_at_most(np.array([np.nan, 1.5]), cuts).tolist() == [2, 1]


def test_given_number_rules_at_their_boundaries_when_evaluated_then_ranks_agree_with_explain():
    r = random.Random(11)
    thresholds = [0.0, 10.0, 10.5, 99.99, 1000.0]
    values = [None, -0.0, *thresholds, *(float(np.nextafter(t, s)) for t in thresholds for s in (np.inf, -np.inf))]
    records = [{"id": i, "revenue": v, "employees": r.choice(values)} for i, v in enumerate(values * 3, start=1)]

    def leaf() -> dict:
        op = r.choice(["eq", "ne", "gt", "ge", "lt", "le", "between"])
        if op == "between":
            return normalize({"attr": "revenue", "op": op, "value": sorted(r.sample(thresholds, 2))})
        return normalize({"attr": r.choice(["revenue", "employees"]), "op": op, "value": r.choice(thresholds)})

    policies = {k: {"op": r.choice(["all", "any"]), "items": [leaf(), leaf()]} for k in range(80)}
    policies[80] = {"attr": "revenue", "op": "between", "value": [99.99, 10.0]}  # empty (normalize refuses it)
    frame = frame_from_records(records)
    ranked, ranks = evaluation._number_ranks(frame, policies)
    assert ranked.schema["number_ranks_revenue"] == pl.UInt8 and set(ranks) == {"revenue", "employees"}
    result = evaluate_all(policies, frame)
    for key, rule in policies.items():
        assert result[key].to_list() == [rec["id"] for rec in records if explain(rule, rec).eligible], rule
    assert result[80].to_list() == []


def test_given_an_infinite_cut_point_when_ranked_then_that_column_keeps_plain_comparisons():
    frame = frame_from_records([{"id": 1, "tax": float("inf")}, {"id": 2, "tax": 5.0}, {"id": 3, "revenue": 1.0}])
    rules = {1: {"attr": "tax", "op": "gt", "value": float("inf")}, 2: {"attr": "revenue", "op": "ge", "value": 1}}
    _frame, ranks = evaluation._number_ranks(frame, rules)
    assert set(ranks) == {"revenue"}
    result = evaluate_all(rules, frame)
    assert result[1].to_list() == [] and result[2].to_list() == [3]
