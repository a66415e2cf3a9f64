"""In headless Chromium: staff build a rule in the form, and the enterprise's 我的政策 (on a phone) changes."""

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


def _context(browser, live_server, session, **options):
    context = browser.new_context(**options)
    host = live_server.url.split("//")[1].split(":")[0]
    context.add_cookies([{"name": "sessionid", "value": session, "domain": host, "path": "/"}])
    return context


def test_given_staff_builds_rule_when_enterprise_opens_my_policies_then_verdict_follows_rule(live_server, users, firms):
    if not Path(CHROMIUM).exists():
        pytest.skip("需要 /usr/bin/chromium")
    from playwright.sync_api import expect, sync_playwright

    staff_session, enterprise_session = _session(users.city_staff), _session(users.enterprise)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        staff = _context(browser, live_server, staff_session).new_page()
        staff.goto(f"{live_server.url}/policies/new/")
        staff.fill("#id_title", "吸纳就业奖励（浏览器测试）")
        staff.select_option("#id_level", "city")
        staff.select_option("#id_benefit_type", "subsidy")
        # Wait for each HTMX answer to be swapped in: a change fired before htmx has processed the new
        # row would be lost (a person is never that fast; the test is).
        with staff.expect_response(lambda r: "/policies/rule-node/" in r.url):
            staff.get_by_role("button", name="＋ 添加条件").first.click()
        row = staff.locator(".rule-leaf").first
        expect(row).to_be_visible()
        staff.wait_for_load_state("networkidle")
        with staff.expect_response(lambda r: "attr=employees" in r.url):
            row.locator("select[aria-label='条件项']").select_option("employees")
        expect(staff.locator(".rule-leaf select[aria-label='运算'] option[value='ge']")).to_have_count(1)
        staff.locator(".rule-leaf select[aria-label='运算']").select_option("ge")
        staff.locator(".rule-leaf input[aria-label='取值']").fill("10")
        staff.get_by_role("button", name="保存").click()
        expect(staff.locator("h1")).to_contain_text("吸纳就业奖励")
        staff.get_by_role("button", name="发布").click()
        expect(staff.locator(".messages")).to_contain_text("发布状态已更新")
        edit_url = staff.url + "edit/"

        phone = _context(browser, live_server, enterprise_session, viewport={"width": 360, "height": 740}).new_page()
        phone.goto(f"{live_server.url}/policies/mine/")
        expect(phone.locator("article.eligible")).to_contain_text("吸纳就业奖励")
        expect(phone.locator("article.eligible")).to_contain_text("本企业：50人")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360 + 1

        staff.goto(edit_url)
        staff.locator(".rule-leaf input[aria-label='取值']").fill("100")
        staff.get_by_role("button", name="保存").click()
        expect(staff.locator(".messages")).to_contain_text("政策已保存")

        phone.reload()
        expect(phone.locator("article.near-miss")).to_contain_text("还差：从业人数 大于等于 100人")
        browser.close()
