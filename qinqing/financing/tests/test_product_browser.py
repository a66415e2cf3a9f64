"""In headless Chromium: a bank officer builds a product's eligibility condition with the rule builder on the
page (a row added, switched to 所属行业, an industry found by name and ticked; no JSON), and the enterprise whose
need fits sees the product as 符合 on its need."""

import pytest

from qinqing.core.tests.browser import htmx_ready, launch, new_page, require_chromium, session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_given_a_banker_building_a_condition_on_the_page_when_saved_then_the_fitting_enterprise_sees_the_product(
    live_server, users, tree, fin
):
    require_chromium()
    from playwright.sync_api import expect, sync_playwright

    from qinqing.financing.models import BankProduct

    sessions = {"banker": session_cookie(users.banker), "enterprise": session_cookie(users.enterprise)}
    with sync_playwright() as p:
        browser = launch(p)
        url = live_server.url

        bank = new_page(browser, live_server, sessions["banker"])
        bank.goto(f"{url}/financing/products/new/")
        expect(bank.locator("#product-form textarea[name=rule]")).to_have_count(0)
        bank.fill("#id_name", "制造业成长贷")
        for field, value in (("amount_min", "10"), ("amount_max", "1000"), ("term_min", "1"), ("term_max", "36"),
                             ("rate_min", "3.5"), ("rate_max", "6")):  # fmt: skip
            bank.fill(f"#id_{field}", value)
        bank.get_by_label("信用").check()
        builder = bank.locator("#rule-builder")
        builder.get_by_role("button", name="＋ 添加条件", exact=True).click()
        htmx_ready(bank, builder.get_by_label("条件项"))
        builder.get_by_label("条件项").select_option("industry")
        search = builder.get_by_label("搜索行业")
        expect(search).to_be_visible()
        htmx_ready(bank, search)
        search.fill("制造业")
        builder.get_by_label("C 制造业", exact=True).check()
        bank.get_by_role("button", name="保存").click()
        expect(bank.locator("h1")).to_have_text("制造业成长贷")
        expect(bank.locator(".rule-tree-group")).to_contain_text("制造业")

        enterprise = new_page(browser, live_server, sessions["enterprise"])
        enterprise.goto(f"{url}/financing/needs/{fin.need.pk}/")
        card = enterprise.locator("article.policy-card", has_text="制造业成长贷")
        expect(card.locator(".tag")).to_have_text("符合")
        expect(card).to_have_class("policy-card eligible")

    product = BankProduct.objects.get(name="制造业成长贷")
    assert product.bank == tree.bank
    assert product.rule == {"op": "all", "items": [{"attr": "industry", "op": "startswith", "value": ["C"]}]}
