"""In headless Chromium: a check-up from the enterprise's request on a phone, through the staff's assignment, the
self-check, the lawyer's visit and report, to the downloaded .pdf report, the enterprise's 整改 feedback and the
lawyer's follow-up call."""

from pathlib import Path

import pytest

from qinqing.core.tests.browser import launch, new_page, require_chromium, session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _page(browser, live_server, session, **options):
    return new_page(browser, live_server, session, accept_downloads=True, **options)


def _answer_all(page, value: str) -> None:
    # Locator.all() does not wait: right after a click on a link it can read the page being left and find nothing.
    selects = page.locator("#answers-form select[name^='q_']")
    selects.first.wait_for()
    for select in selects.all():
        select.select_option(value)


def test_given_a_request_when_every_role_acts_then_the_pdf_report_downloads_and_follow_up_is_recorded(
    live_server, users, tree, legal
):
    require_chromium()
    from playwright.sync_api import expect, sync_playwright

    from qinqing.legal import actions

    today = str(actions.today())
    sessions = {name: session_cookie(getattr(users, name)) for name in ("enterprise", "county_staff", "lawyer")}
    with sync_playwright() as p:
        browser = launch(p)
        url = live_server.url

        phone = _page(browser, live_server, sessions["enterprise"], viewport={"width": 390, "height": 800})
        phone.goto(f"{url}/legal/request/")
        phone.select_option("#id_chamber", str(tree.chamber_a.pk))
        phone.fill("#id_request_note", "近期拟签订大额采购合同")
        phone.fill("#id_contact_phone", "13800001111")
        phone.get_by_role("button", name="提交申请").click()
        expect(phone.locator("#checkup-status")).to_have_text("已申请")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390 + 1
        checkup_url = phone.url

        staff = _page(browser, live_server, sessions["county_staff"])
        staff.goto(checkup_url)
        staff.select_option("#assign-form #id_lawyer", str(users.lawyer.pk))
        staff.fill("#assign-form #id_visit_on", today)
        staff.get_by_role("button", name="安排并预约走访").click()
        expect(staff.locator("#checkup-status")).to_have_text("已安排")

        phone.goto(checkup_url)
        phone.get_by_role("link", name="填写自查问卷").click()
        _answer_all(phone, "partly")
        phone.get_by_role("button", name="提交自查").click()
        expect(phone.locator(".messages")).to_contain_text("自查问卷已提交")

        lawyer = _page(browser, live_server, sessions["lawyer"])
        lawyer.goto(f"{url}/legal/")
        expect(lawyer.locator("#lawyer-work")).to_contain_text("待走访 1 家")
        lawyer.goto(checkup_url)
        lawyer.get_by_role("link", name="登记走访").click()
        lawyer.fill("#id_visited_on", today)
        lawyer.fill("#id_visit_note", "查阅劳动合同及合同台账")
        _answer_all(lawyer, "no")
        lawyer.get_by_role("button", name="登记走访").click()
        expect(lawyer.locator(".messages")).to_contain_text("走访已登记")
        lawyer.select_option("#risk-form #id_area", label="劳动用工")
        lawyer.fill("#risk-form #id_facts", "8名员工未签订书面劳动合同")
        lawyer.get_by_role("button", name="添加风险点").click()
        expect(lawyer.locator("#risk-form .errorlist")).to_contain_text("风险等级")
        lawyer.select_option("#risk-form #id_level", "red")
        lawyer.fill("#risk-form #id_facts", "8名员工未签订书面劳动合同")
        lawyer.fill("#risk-form #id_recommendation", "一个月内补签劳动合同")
        lawyer.get_by_role("button", name="添加风险点").click()
        expect(lawyer.locator("#risk-rows")).to_contain_text("补签劳动合同")
        lawyer.fill("#issue-form #id_report_summary", "劳动用工存在重大且紧急的风险，其余总体可控。")
        lawyer.get_by_role("button", name="出具报告").click()
        expect(lawyer.locator("#checkup-status")).to_have_text("已出报告")

        phone.goto(checkup_url)
        with phone.expect_download() as download:
            phone.locator("#report-pdf").click()
        assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
        assert download.value.suggested_filename.endswith(".pdf")
        phone.locator("#follow-form select").first.select_option("done")
        phone.locator("#follow-form input[name^='reason_']").first.fill("已全部补签")
        phone.get_by_role("button", name="提交整改情况").click()
        expect(phone.locator("#follow-form")).to_contain_text("已整改")

        lawyer.goto(checkup_url)
        lawyer.fill("#call-form #id_summary", "电话回访，劳动合同已全部补签。")
        lawyer.get_by_role("button", name="登记回访").click()
        expect(lawyer.locator("#checkup-status")).to_have_text("已回访")
        browser.close()
