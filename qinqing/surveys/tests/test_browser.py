"""In headless Chromium: staff build a survey (with a show-if condition) and open it; the enterprise answers on a
390-px phone, where the conditional question appears only when it applies; staff read the results and charts."""

import pytest

from qinqing.core.tests.browser import launch, new_page, require_chromium, session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _add(page, **fields):
    for name, value in fields.items():
        if name == "kind":
            page.select_option("#id_kind", value)
        else:
            page.fill(f"#id_{name}", value)
    page.locator("#question-form button").click()


def test_given_a_new_survey_when_built_opened_and_answered_on_a_phone_then_results_show(live_server, users, tree):
    require_chromium()
    from playwright.sync_api import expect, sync_playwright

    staff_session, enterprise_session = session_cookie(users.county_staff), session_cookie(users.enterprise)
    with sync_playwright() as p:
        browser = launch(p)
        url = live_server.url
        staff = new_page(browser, live_server, staff_session)
        staff.goto(f"{url}/surveys/new/")
        staff.fill("#id_title", "会员服务满意度调查")
        staff.get_by_role("button", name="保存").click()
        expect(staff.locator("h1")).to_contain_text("编辑题目")
        _add(staff, section="一、参与情况", code="Q1", kind="single", label="近一年是否参加过工商联活动",
             options="是\n否")  # fmt: skip
        _add(staff, section="一、参与情况", code="Q2", kind="text", label="未参加的原因", show_if_code="Q1",
             show_if_values="2")  # fmt: skip
        _add(staff, section="二、评价", code="Q3", kind="scale", label="总体满意度")
        expect(staff.locator("#questions").first).to_contain_text("Q2")
        staff.goto(f"{url}/surveys/")
        staff.get_by_role("link", name="会员服务满意度调查").click()
        staff.get_by_role("button", name="发布问卷").click()
        expect(staff.locator(".messages")).to_contain_text("问卷已发布")
        detail = staff.url

        phone = new_page(browser, live_server, enterprise_session, viewport={"width": 390, "height": 844},
                      is_mobile=True, has_touch=True)  # fmt: skip
        phone.goto(f"{url}/surveys/")
        phone.get_by_role("link", name="会员服务满意度调查").click()
        expect(phone.locator("#q-Q2")).to_be_hidden()
        phone.get_by_label("否").check()
        expect(phone.locator("#q-Q2")).to_be_visible()
        phone.fill("textarea[name=Q2]", "时间冲突")
        phone.get_by_label("满意", exact=True).check()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390 + 1
        phone.get_by_role("button", name="提交").click()
        expect(phone.locator(".messages")).to_contain_text("感谢填写")
        expect(phone.locator("#answered-note")).to_be_visible()
        expect(phone.locator("textarea[name=Q2]")).to_have_value("时间冲突")

        staff.goto(detail)
        expect(staff.locator("#response-count")).to_have_text("1")
        staff.get_by_role("link", name="查看结果").click()
        expect(staff.locator("#response-total")).to_contain_text("共 1 份答卷")
        expect(staff.locator("#chart-Q3 canvas")).to_have_count(1)
        expect(staff.locator("#result-Q2")).to_contain_text("时间冲突")
        browser.close()
