"""In headless Chromium: one appeal from the enterprise's phone to closed-with-rating, across four roles."""

from pathlib import Path

import pytest
from django.test import Client

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]  # fmt: skip

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _session(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def _page(browser, live_server, session, **options):
    context = browser.new_context(**options)
    host = live_server.url.split("//")[1].split(":")[0]
    context.add_cookies([{"name": "sessionid", "value": session, "domain": host, "path": "/"}])
    return context.new_page()


def test_given_enterprise_submits_when_each_role_acts_then_closed_with_rating(live_server, users, tree, kinds):
    if not Path(CHROMIUM).exists():
        pytest.skip("需要 /usr/bin/chromium")
    from playwright.sync_api import expect, sync_playwright

    # Sessions are made before Playwright starts its event loop (the ORM refuses async contexts).
    sessions = {name: _session(getattr(users, name)) for name in ("enterprise", "county_staff", "liaison")}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        phone = _page(browser, live_server, sessions["enterprise"], viewport={"width": 360, "height": 740})
        phone.goto(f"{live_server.url}/appeals/new/")
        phone.select_option("#id_appeal_type", str(kinds.consult.pk))
        phone.select_option("#id_domain", str(kinds.finance.pk))
        phone.fill("#id_title", "流动资金贷款审批慢")
        phone.fill("#id_description", "向银行申请流动资金贷款三个月仍未审批，影响原料采购")
        phone.get_by_role("button", name="提交").click()
        expect(phone.locator("#appeal-status")).to_have_text("已登记")
        detail_url = phone.url

        staff = _page(browser, live_server, sessions["county_staff"])
        staff.goto(detail_url)
        staff.locator("form[action$='/accept/'] button").click()
        expect(staff.locator("#appeal-status")).to_have_text("已受理")
        staff.select_option("#id_lead_department", str(tree.dept_a.pk))
        staff.locator("form[action$='/assign/'] button").click()
        expect(staff.locator("#appeal-status")).to_have_text("已交办")

        liaison = _page(browser, live_server, sessions["liaison"])
        liaison.goto(detail_url)
        liaison.locator("form[action$='/contact/'] textarea").fill("已电话联系企业财务负责人")
        liaison.locator("form[action$='/contact/'] button").click()
        expect(liaison.locator("#appeal-status")).to_have_text("已联系")
        liaison.locator("form[action$='/reply/'] textarea").fill("已协调银行，贷款于本周内放款")
        liaison.locator("form[action$='/reply/'] button").click()
        expect(liaison.locator("#appeal-status")).to_have_text("已答复")

        phone.goto(detail_url)
        expect(phone.locator("dl.detail")).to_contain_text("已协调银行")
        phone.select_option("#id_satisfaction", "5")
        phone.select_option("#id_solved", "1")
        phone.locator("#callback-form button").click()
        expect(phone.locator("#appeal-status")).to_have_text("已办结")
        expect(phone.locator("#timeline")).to_contain_text("回访办结")
        expect(phone.locator("#timeline")).to_contain_text("非常满意")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360 + 1
        browser.close()
