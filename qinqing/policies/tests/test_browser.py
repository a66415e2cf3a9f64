"""In headless Chromium: staff build a rule in the form, and the enterprise's 我的政策 (on a phone) changes."""

import pytest

from qinqing.core.tests.browser import htmx_ready, launch, require_chromium, session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _context(browser, live_server, session, **options):
    context = browser.new_context(**options)
    host = live_server.url.split("//")[1].split(":")[0]
    context.add_cookies([{"name": "sessionid", "value": session, "domain": host, "path": "/"}])
    return context


def test_given_staff_builds_rule_when_enterprise_opens_my_policies_then_verdict_follows_rule(live_server, users, firms):
    require_chromium()
    from playwright.sync_api import expect, sync_playwright

    from qinqing.policies.models import Policy

    staff_session, enterprise_session = session_cookie(users.city_staff), session_cookie(users.enterprise)
    with sync_playwright() as p:
        browser = launch(p)
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
        htmx_ready(staff, row.locator("select[aria-label='条件项']"))
        with staff.expect_response(lambda r: "attr=employees" in r.url):
            row.locator("select[aria-label='条件项']").select_option("employees")
        expect(staff.locator(".rule-leaf select[aria-label='运算'] option[value='ge']")).to_have_count(1)
        staff.wait_for_load_state("networkidle")
        # 大于等于 is the first operator of a number; changing the operator would redraw the row (await it then).
        expect(staff.locator(".rule-leaf select[aria-label='运算']")).to_have_value("ge")
        staff.locator(".rule-leaf input[aria-label='取值']").fill("10")

        # An any-group (满足其一) with two conditions: 从业人数 ≥ 1000 (not met) or 高新技术企业 (met).
        with staff.expect_response(lambda r: "kind=group" in r.url):
            staff.locator("#group-root > .rule-actions").get_by_role("button", name="＋ 添加条件组").click()
        group = staff.locator("#group-root fieldset.rule-group").first
        expect(group).to_be_visible()
        htmx_ready(staff, group.locator(".rule-actions").get_by_role("button", name="＋ 添加条件", exact=True))
        expect(group.locator("legend select[aria-label='条件组合方式']")).to_have_value("any")
        group.locator(".rule-leaf input[aria-label='取值']").first.fill("1000")
        with staff.expect_response(lambda r: "/policies/rule-node/" in r.url):
            group.locator(".rule-actions").get_by_role("button", name="＋ 添加条件", exact=True).click()
        expect(group.locator(".rule-leaf")).to_have_count(2)
        second = group.locator(".rule-leaf").nth(1)
        htmx_ready(staff, second.locator("select[aria-label='条件项']"))
        with staff.expect_response(lambda r: "attr=qualifications" in r.url):
            second.locator("select[aria-label='条件项']").select_option("qualifications")
        second = group.locator(".rule-leaf").nth(1)
        expect(second.get_by_label("高新技术企业")).to_be_visible()
        second.get_by_label("高新技术企业").check()
        staff.get_by_role("button", name="保存").click()
        expect(staff.locator("h1")).to_contain_text("吸纳就业奖励")
        staff.get_by_role("button", name="发布").click()
        expect(staff.locator(".messages")).to_contain_text("发布状态已更新")
        edit_url = staff.url + "edit/"

        phone = _context(browser, live_server, enterprise_session, viewport={"width": 360, "height": 740}).new_page()
        phone.goto(f"{live_server.url}/policies/mine/")
        expect(phone.locator("article.eligible")).to_contain_text("吸纳就业奖励")
        expect(phone.locator("article.eligible")).to_contain_text("本企业：50人")
        expect(phone.locator("article.eligible")).to_contain_text("资质荣誉 具有其一 高新技术企业")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360 + 1

        staff.goto(edit_url)
        staff.locator(".rule-leaf input[aria-label='取值']").first.fill("100")
        staff.get_by_role("button", name="保存").click()
        expect(staff.locator(".messages")).to_contain_text("政策已保存")

        phone.reload()
        expect(phone.locator("article.near-miss")).to_contain_text("还差：从业人数 大于等于 100人")
        browser.close()
    # (the ORM is not usable while Playwright's event loop runs)
    assert Policy.objects.get().rule["items"][1] == {
        "op": "any",
        "items": [
            {"attr": "employees", "op": "ge", "value": 1000.0},
            {"attr": "qualifications", "op": "has_any", "value": ["高新技术企业"]},
        ],
    }
