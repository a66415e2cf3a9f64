"""In headless Chromium: one appeal from the enterprise's phone to closed-with-rating, across four roles."""

import pytest

from qinqing.core.tests.browser import launch, new_page, require_chromium, session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_given_enterprise_submits_when_each_role_acts_then_closed_with_rating(live_server, users, tree, kinds):
    require_chromium()
    from playwright.sync_api import expect, sync_playwright

    # Sessions are made before Playwright starts its event loop (the ORM refuses async contexts).
    sessions = {name: session_cookie(getattr(users, name)) for name in ("enterprise", "county_staff", "liaison")}
    with sync_playwright() as p:
        browser = launch(p)
        phone = new_page(browser, live_server, sessions["enterprise"], viewport={"width": 360, "height": 740})
        phone.goto(f"{live_server.url}/appeals/new/")
        phone.select_option("#id_appeal_type", str(kinds.consult.pk))
        phone.select_option("#id_domain", str(kinds.finance.pk))
        phone.fill("#id_title", "流动资金贷款审批慢")
        phone.fill("#id_description", "向银行申请流动资金贷款三个月仍未审批，影响原料采购")
        phone.get_by_role("button", name="提交").click()
        expect(phone.locator("#appeal-status")).to_have_text("已登记")
        detail_url = phone.url

        staff = new_page(browser, live_server, sessions["county_staff"])
        staff.goto(detail_url)
        staff.locator("form[action$='/accept/'] button").click()
        expect(staff.locator("#appeal-status")).to_have_text("已受理")
        staff.select_option("#id_lead_department", str(tree.dept_a.pk))
        staff.locator("form[action$='/assign/'] button").click()
        expect(staff.locator("#appeal-status")).to_have_text("已交办")

        liaison = new_page(browser, live_server, sessions["liaison"])
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


def test_given_staff_merge_another_enterprises_duplicate_then_merged_enterprise_follows_the_master(
    live_server, users, tree, kinds
):
    require_chromium()
    from playwright.sync_api import expect, sync_playwright

    from qinqing.appeals import actions

    # County A's appeal (the master) and county B's enterprise's duplicate, a different domain too.
    master = actions.register_appeal(
        actor=users.enterprise, enterprise=tree.ent_a, appeal_type=kinds.consult, domain=kinds.finance,
        title="园区道路积水", description="工业园区道路雨后积水，货车无法进出",
        contact_name="张三", contact_phone="13800001111",
    )  # fmt: skip
    dup = actions.register_appeal(
        actor=users.enterprise_b, enterprise=tree.ent_b, appeal_type=kinds.consult, domain=kinds.labour,
        title="园区道路积水", description="同一园区道路积水，员工上下班困难",
    )  # fmt: skip
    sessions = {name: session_cookie(getattr(users, name)) for name in ("city_staff", "enterprise_b")}
    with sync_playwright() as p:
        browser = launch(p)
        staff = new_page(browser, live_server, sessions["city_staff"])
        staff.on("dialog", lambda dialog: dialog.accept())  # 确认将本诉求作为重复诉求合并？
        staff.goto(f"{live_server.url}/appeals/{dup.pk}/")
        merge = staff.locator("form[action$='/merge/']")
        merge.locator("input[name='master_number']").fill(master.number)
        merge.locator("button").click()
        # Different enterprise and domain: the page warns and asks for a reason; nothing merged yet
        expect(staff.locator("body")).to_contain_text("企业不同")
        expect(staff.locator("#appeal-status")).to_have_text("已登记")
        merge = staff.locator("form[action$='/merge/']")
        merge.locator("input[name='master_number']").fill(master.number)
        merge.locator("input[name='comment']").fill("同一园区同一段道路")
        merge.locator("button").click()
        expect(staff.locator("#appeal-status")).to_have_text("已合并")

        # The merged enterprise opens its message, which links to the master's progress (read-only)
        phone = new_page(browser, live_server, sessions["enterprise_b"], viewport={"width": 360, "height": 740})
        phone.goto(f"{live_server.url}/notifications/")
        phone.get_by_text(f"您的诉求已与 {master.number} 合并办理").first.click()
        expect(phone.locator("h1")).to_contain_text(master.number)
        expect(phone.locator("#merged-notice")).to_contain_text(dup.number)
        expect(phone.locator("#appeal-contact")).to_contain_text("138****1111")
        expect(phone.locator("#appeal-contact")).not_to_contain_text("13800001111")
        expect(phone.locator("#steps")).to_have_count(0)
        browser.close()
