"""In headless Chromium: a need from the enterprise's phone through screening, the 推荐清单, a 对接会 intention
and the bank's outcomes to 放款; and a second need refused for 欠税, fixed through a fix task turned appeal, and
recommended again to a second bank."""

import datetime as dt

import pytest

from qinqing.core.tests.browser import launch, new_page, require_chromium, session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_given_a_need_when_every_role_acts_then_lent_and_a_refusal_goes_to_a_second_bank(
    live_server, users, tree, fin, monkeypatch
):
    require_chromium()
    from playwright.sync_api import expect, sync_playwright

    from qinqing.appeals import actions as appeal_actions

    monkeypatch.setattr(appeal_actions, "today", lambda: dt.date(2026, 11, 16))
    second = fin.need  # already on the 推荐清单 (fixture)
    names = {"enterprise": users.enterprise, "county_staff": users.county_staff, "banker": users.banker,
             "banker2": fin.banker2}  # fmt: skip
    sessions = {name: session_cookie(user) for name, user in names.items()}
    with sync_playwright() as p:
        browser = launch(p)
        url = live_server.url

        phone = new_page(browser, live_server, sessions["enterprise"], viewport={"width": 360, "height": 740})
        phone.goto(f"{url}/financing/needs/new/")
        phone.fill("#id_amount", "500")
        phone.fill("#id_term_months", "12")
        phone.select_option("#id_purpose", "working")
        phone.select_option("#id_guarantee", "credit")
        phone.check("#id_credit_check_authorised")
        phone.get_by_role("button", name="提交").click()
        expect(phone.locator("#need-list-state")).to_have_text("已提出")
        need_url = phone.url
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360 + 1
        number = phone.locator("h1").inner_text().split()[-1]

        staff = new_page(browser, live_server, sessions["county_staff"])
        staff.goto(need_url)
        for key in ("genuine", "credit", "use"):
            staff.select_option(f"#screen-form select[name={key}]", "true")
        staff.locator("#screen-form button").click()
        expect(staff.locator("#need-list-state")).to_have_text("申报清单")
        staff.goto(f"{url}/financing/lists/")
        staff.get_by_label(number).check()
        staff.get_by_role("button", name="审核通过，列入推荐清单").click()
        expect(staff.locator(".messages")).to_contain_text("列入推荐清单")

        staff.goto(f"{url}/financing/events/new/")
        staff.fill("#id_title", "十一月银企对接会")
        staff.fill("#id_date", str(dt.date.today()))
        staff.fill("#id_place", "县工商联会议室")
        staff.select_option("#id_banks", [str(tree.bank.pk)])
        staff.fill("#id_invited_codes", tree.ent_a.credit_code)
        staff.get_by_role("button", name="保存").click()
        staff.fill("#id_need_number", number)
        staff.select_option("#id_bank", str(tree.bank.pk))
        staff.fill("#id_amount", "450")
        staff.get_by_role("button", name="登记签约意向").click()
        expect(staff.locator(".messages")).to_contain_text("意向已登记")

        bank = new_page(browser, live_server, sessions["banker"])
        bank.goto(f"{url}/financing/bank/")
        bank.get_by_role("link", name=number).click()
        expect(bank.locator("#referral-stage")).to_have_text("有意向")
        referral_url = bank.url
        for stage, amount in (("credited", "400"), ("lent", "400")):
            bank.goto(referral_url + "stage/")
            bank.select_option("#id_stage", stage)
            bank.fill("#id_amount", amount)
            bank.get_by_role("button", name="保存").click()
        expect(bank.locator("#referral-stage")).to_have_text("已放款")
        phone.goto(need_url)
        expect(phone.locator("#need-stage")).to_have_text("已放款")

        # The second need: pushed, refused for 欠税, fixed, recommended again to another bank.
        staff.goto(f"{url}/financing/lists/")
        staff.get_by_label(second.number).check()
        staff.select_option("form[action$='/lists/push/'] #id_bank", str(tree.bank.pk))
        staff.get_by_role("button", name="批量推送至银行").click()
        bank.goto(f"{url}/financing/bank/")
        bank.get_by_role("link", name=second.number).click()
        refused_url = bank.url
        bank.goto(refused_url + "stage/")
        bank.select_option("#id_stage", "refused")
        bank.get_by_role("button", name="保存").click()
        expect(bank.locator(".errorlist")).to_contain_text("未获贷须选择原因")
        bank.select_option("#id_reason", label="欠税")
        bank.fill("#id_reason_text", "欠缴增值税")
        bank.get_by_role("button", name="保存").click()
        expect(bank.locator("#referral-stage")).to_have_text("未获贷")

        staff.goto(f"{url}/financing/fixes/")
        staff.get_by_role("link", name="欠税：欠缴增值税").click()
        staff.select_option("#id_department", str(tree.dept_a.pk))
        staff.fill("#id_measure", "补缴欠税并申请纳税信用修复")
        staff.get_by_role("button", name="保存").click()
        staff.get_by_role("button", name="转为诉求交责任部门办理").click()
        expect(staff.locator(".messages")).to_contain_text("已转为诉求")
        staff.fill("#id_result", "已补缴，纳税信用已修复")
        staff.get_by_role("button", name="整改完成").click()
        staff.goto(refused_url)
        staff.select_option("form[action$='/rerecommend/'] #id_bank", str(fin.bank2.pk))
        staff.get_by_role("button", name="再次推荐").click()
        expect(staff.locator(".messages")).to_contain_text("已再次推荐")

        other = new_page(browser, live_server, sessions["banker2"])
        other.goto(f"{url}/financing/bank/")
        expect(other.get_by_role("link", name=second.number)).to_be_visible()
        expect(other.locator("main")).not_to_contain_text(number)
        browser.close()
