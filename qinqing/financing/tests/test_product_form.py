"""A bank officer maintains a product's eligibility conditions with the rule builder (no JSON): the rule saved
from the builder's posted rows equals the JSON it replaces and fits the right needs; a bad condition is refused
naming the field, nothing saved."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from qinqing.eligibility import rules
from qinqing.financing import actions, products
from qinqing.financing.models import BankProduct, FinancingNeed

from .conftest import need_data

pytestmark = pytest.mark.django_db

CONDITIONS = {"op": "all", "items": [{"attr": "years", "op": "ge", "value": 5},
                                     {"attr": "industry", "op": "startswith", "value": ["C"]}]}  # fmt: skip
BUILDER_ROWS = {
    "rule-op": "all",
    "rule-y-kind": "leaf", "rule-y-attr": "years", "rule-y-op": "ge", "rule-y-value": "5",
    "rule-i-kind": "leaf", "rule-i-attr": "industry", "rule-i-op": "startswith", "rule-i-value": "C",
    "rule-i-multi": "1",
}  # fmt: skip
PRODUCT = {"name": "制造业成长贷", "amount_min": "10", "amount_max": "1000", "term_min": "1", "term_max": "36",
           "rate_min": "3.5", "rate_max": "6", "guarantees": ["credit"], "repayment": "按月付息",
           "materials": "营业执照", "approval_days": "15", "is_active": "on"}  # fmt: skip


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_given_a_banker_when_building_the_conditions_on_the_form_then_saved_equal_to_the_json_and_the_right_needs_fit(
    users, tree, fin
):
    from qinqing.registry.models import Enterprise

    Enterprise.objects.filter(pk=tree.ent_b.pk).update(founded_on=dt.date(2010, 1, 1), industry_code="F5211")
    retailer = actions.state_need(actor=users.enterprise_b, enterprise=tree.ent_b, data=need_data())
    client = _client(users.banker)
    page = client.get(reverse("financing:product_new")).content.decode()
    assert 'id="rule-builder"' in page and "准入条件示例" not in page

    response = client.post(reverse("financing:product_new"), {**PRODUCT, **BUILDER_ROWS})

    assert response.status_code == 302
    product = BankProduct.objects.get(name="制造业成长贷")
    assert product.bank == tree.bank and product.rule == rules.normalize(CONDITIONS)
    # ent_a: founded 2015, 制造业 (C1391) → fits; ent_b: founded 2010 but a retailer → one condition short.
    assert products.match_needs(FinancingNeed.objects.all(), BankProduct.objects.filter(pk=product.pk)) == {
        product.pk: [fin.need.pk]
    }
    fit = next(f for f in products.fits_for_need(retailer) if f.product.pk == product.pk)
    assert fit.verdict == "near_miss" and [leaf.attr for leaf in fit.explanation.near_miss] == ["industry"]
    edit = client.get(reverse("financing:product_edit", args=[product.pk])).content.decode()
    assert 'value="years" selected' in edit and 'value="C" checked' in edit


def test_given_a_condition_without_a_number_when_saved_then_refused_naming_the_field_and_nothing_saved(users, fin):
    response = _client(users.banker).post(
        reverse("financing:product_new"), {**PRODUCT, **BUILDER_ROWS, "rule-y-value": "五年"}
    )

    assert response.status_code == 200
    assert "准入条件：条件项“成立年限”的取值必须是数字" in response.content.decode()
    assert not BankProduct.objects.filter(name="制造业成长贷").exists()
