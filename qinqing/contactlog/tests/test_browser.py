"""In headless Chromium: county staff log a contact over dinner paid by the firm with a gift kept; the entry is
flagged; the city's 纪检监督 reviewer finds it in the queue and records a conclusion; the official sees it."""

import datetime as dt

import pytest

from qinqing.core.tests.browser import launch, new_page, require_chromium, session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_given_a_banquet_with_a_gift_kept_when_logged_then_flagged_and_reviewed_by_the_reviewer(
    live_server, users, tree
):
    require_chromium()
    from playwright.sync_api import expect, sync_playwright

    staff_session, reviewer_session = session_cookie(users.county_staff), session_cookie(users.reviewer)
    with sync_playwright() as p:
        browser = launch(p)
        url = live_server.url

        staff = new_page(browser, live_server, staff_session)
        staff.goto(f"{url}/contactlog/new/")
        staff.fill("#id_date", str(dt.date.today() + dt.timedelta(days=1)))
        staff.fill("#id_place", "县城某酒店")
        staff.select_option("#id_venue", "restaurant")
        staff.select_option("#id_purpose", "forum")
        staff.fill("#id_entrepreneurs", "王五（董事长）")
        staff.fill("#id_enterprise_names", tree.ent_a.name)
        staff.check("#id_had_meal")
        staff.fill("#id_meal_standard", "320")
        staff.select_option("#id_meal_paid_by", "enterprise")
        staff.select_option("#id_vehicle", "official")
        staff.fill("#id_gifts-0-description", "购物卡")
        staff.fill("#id_gifts-0-value", "1000")
        staff.fill("#id_matters-0-text", "希望协调解决用地指标")
        staff.fill("#id_matters-0-enterprise", tree.ent_a.name)
        staff.get_by_role("button", name="保存").click()
        expect(staff.locator("#entry-form")).to_contain_text("日期不能晚于今天")  # refused, nothing saved

        staff.fill("#id_date", str(dt.date.today()))
        staff.get_by_role("button", name="保存").click()
        expect(staff.locator(".messages")).to_contain_text("已提交纪检监督审查")
        expect(staff.locator("#entry-flags")).to_contain_text("礼品礼金")
        expect(staff.locator("#entry-flags")).to_contain_text("宴请")
        expect(staff.locator("#review-status")).to_have_text("待审查")
        entry_url = staff.url

        reviewer = new_page(browser, live_server, reviewer_session)
        reviewer.goto(f"{url}/contactlog/review/")
        reviewer.get_by_role("link", name=str(dt.date.today())).click()
        expect(reviewer.locator("#entry-flags")).to_contain_text("购物卡")
        reviewer.select_option("#id_review-conclusion", "criticism")
        reviewer.get_by_role("button", name="记录结论").click()
        expect(reviewer.locator("#review-form")).to_contain_text("请填写审查意见")
        reviewer.fill("#id_review-conclusion_text", "接受企业宴请并收受购物卡，已批评教育，购物卡已退回")
        reviewer.get_by_role("button", name="记录结论").click()
        expect(reviewer.locator(".messages")).to_contain_text("审查结论已记录")
        expect(reviewer.locator("#review-conclusion")).to_have_text("批评教育")
        reviewer.goto(f"{url}/contactlog/review/")
        expect(reviewer.locator("table")).to_contain_text("暂无记录")

        staff.goto(entry_url)
        expect(staff.locator("#review-conclusion")).to_have_text("批评教育")
        expect(staff.locator("a[href$='/edit/']")).to_have_count(0)  # locked once concluded
        browser.close()
