"""Product matching: the one-pass matcher agrees with the per-need explanation and, on random rules, products
and needs (missing data, 任一 groups, negations), with one engine expression per product."""

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qinqing.eligibility import rules
from qinqing.eligibility.rules import frame_from_records
from qinqing.financing import actions, products
from qinqing.financing.choices import Guarantee
from qinqing.financing.models import FinancingNeed
from qinqing.policies.tests.test_rules import enterprises, rule_trees

from .conftest import need_data


def test_given_products_and_needs_when_matched_in_one_pass_then_same_as_explained(tree, users, fin):
    base = {"term_min": 1, "term_max": 36, "rate_min": "3.5", "rate_max": "6"}
    easy = actions.save_product(actor=users.banker, data={**base, "name": "易贷", "amount_min": "10",
                                "amount_max": "500", "guarantees": ["credit"]})  # fmt: skip
    rule = {"op": "all", "items": [{"attr": "years", "op": "ge", "value": 30}]}
    old = actions.save_product(actor=users.banker, data={**base, "name": "老企业贷", "amount_min": "10",
                               "amount_max": "5000", "guarantees": ["credit", "mortgage"], "rule": rule})  # fmt: skip
    big = actions.state_need(actor=users.enterprise, enterprise=tree.ent_a, data=need_data(amount="2000"))
    mortgage = actions.state_need(actor=users.enterprise, enterprise=tree.ent_a, data=need_data(guarantee="mortgage"))
    found = products.match_needs(FinancingNeed.objects.all())
    assert sorted(found[easy.pk]) == [fin.need.pk]
    assert old.pk not in found
    for need in (fin.need, big, mortgage):
        fits = {f.product.pk: f.verdict for f in products.fits_for_need(need)}
        for product in (easy, old):
            assert (fits[product.pk] == "eligible") == (need.pk in found.get(product.pk, [])), (need, product)


# --- property: the one-pass matcher agrees with one engine expression per product and with plain Python ---

products_strategy = st.lists(
    st.fixed_dictionaries(
        {
            "rule": rule_trees,
            "amount_min": st.sampled_from([10, 50, 100]),
            "amount_max": st.sampled_from([100, 500, 3000]),
            "term_min": st.sampled_from([1, 6, 12]),
            "term_max": st.sampled_from([12, 36]),
            "rate_min": st.sampled_from([3.1, 3.45, 4.2]),
            "guarantees": st.lists(st.sampled_from(Guarantee.values), max_size=3, unique=True),
        }
    ),
    min_size=1,
    max_size=6,
)
need_terms = st.fixed_dictionaries(
    {
        "amount": st.sampled_from([10.0, 99.5, 100.0, 500.0, 2999.0]),
        "term": st.sampled_from([1, 12, 24, 40]),
        "guarantee": st.sampled_from(Guarantee.values),
        "rate_ceiling": st.one_of(st.none(), st.sampled_from([3.0, 3.45, 5.0])),
    }
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogue=products_strategy, firms=st.lists(st.tuples(enterprises, need_terms), min_size=1, max_size=12))
def test_property_condition_masks_agree_with_one_expression_per_product(catalogue, firms):
    catalogue = [dict(p, pk=i + 1) for i, p in enumerate(catalogue)]
    attrs = frame_from_records([dict(firm, id=i + 1) for i, (firm, _terms) in enumerate(firms)])
    needs = pl.DataFrame(
        [(100 + i, i + 1, t["amount"], t["term"], products.GUARANTEE_BITS[t["guarantee"]], t["rate_ceiling"])
         for i, (_firm, t) in enumerate(firms)],
        schema={"need": pl.Int64, "id": pl.Int64, "amount": pl.Float64, "term": pl.Int64, "guarantee": pl.Int64,
                "rate_ceiling": pl.Float64},
        orient="row",
    )  # fmt: skip
    found = products.match_frames(catalogue, attrs, needs)
    frame, codes = rules.encode_codes(needs.join(attrs, on="id").sort("need"), chambers=True)
    rows = [(need, rules.frame_row_attrs(attrs, i), t) for i, (need, (_firm, t)) in enumerate(zip(
        needs.get_column("need").to_list(), firms, strict=True))]  # fmt: skip
    for product in catalogue:
        expected = frame.filter(products.product_expr(product, codes)).get_column("need").to_list()
        assert found[product["pk"]].to_list() == expected, product
        # and a plain-Python evaluator: the engine's explain-side evaluate() and the terms written out
        rule = product["rule"]
        plain = [need for need, row, t in rows if (
            ((rules.is_group(rule) and not rule["items"]) or rules.evaluate(rule, row) is True)
            and product["amount_min"] <= t["amount"] <= product["amount_max"]
            and product["term_min"] <= t["term"] <= product["term_max"]
            and t["guarantee"] in product["guarantees"]
            and (t["rate_ceiling"] is None or t["rate_ceiling"] >= product["rate_min"]))]  # fmt: skip
        assert found[product["pk"]].to_list() == plain, product


def test_given_values_on_the_thresholds_when_matched_then_each_number_operator_is_exact():
    # Given enterprises whose employees sit exactly on, just below and just above the catalogue's thresholds,
    # or are missing, and one product per operator on that column
    values = [None, 9.0, 9.999, 10.0, 10.001, 20.0, 30.0, 30.5]
    attrs = frame_from_records([{"id": i + 1, "employees": v} for i, v in enumerate(values)])
    needs = pl.DataFrame(
        {"need": range(1, len(values) + 1), "id": range(1, len(values) + 1), "amount": [100.0] * len(values),
         "term": [12] * len(values), "guarantee": [products.GUARANTEE_BITS["credit"]] * len(values),
         "rate_ceiling": [None] * len(values)},
        schema={"need": pl.Int64, "id": pl.Int64, "amount": pl.Float64, "term": pl.Int64, "guarantee": pl.Int64,
                "rate_ceiling": pl.Float64},
    )  # fmt: skip
    leaves = [("ge", 10), ("gt", 10), ("le", 10), ("lt", 10), ("eq", 20), ("ne", 20), ("between", [10, 30]),
              ("gt", 30), ("ge", 9.999)]  # fmt: skip
    catalogue = [
        {"pk": i + 1, "rule": {"op": "all", "items": [{"attr": "employees", "op": op, "value": value}]},
         "amount_min": 10, "amount_max": 1000, "term_min": 1, "term_max": 36, "rate_min": 3.1,
         "guarantees": ["credit"]}
        for i, (op, value) in enumerate(leaves)
    ]  # fmt: skip
    # When matched in one pass
    found = products.match_frames(catalogue, attrs, needs)
    # Then each product has exactly the enterprises plain Python finds (a missing value never fits)
    for product in catalogue:
        expected = [i + 1 for i, v in enumerate(values) if rules.evaluate(product["rule"], {"employees": v}) is True]
        assert found[product["pk"]].to_list() == expected, product["rule"]
    assert found[2].to_list() == [5, 6, 7, 8]  # employees > 10: not 10 itself
