"""Product matching: the one-pass matcher agrees with the per-need explanation."""

from qinqing.financing import actions, products
from qinqing.financing.models import FinancingNeed

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
