"""In headless Chromium: the chamber secretary registers a court-referred case (法院委派), the mediator logs a
session and records 调解成功, applies for 司法确认 and records the court's ruling, then downloads the 调解协议书;
the enterprise party opens the case on a phone with the other party's details masked."""

import io
from pathlib import Path

import pytest

from qinqing.core.tests.browser import launch, new_page, require_chromium, session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _page(browser, live_server, session, **options):
    return new_page(browser, live_server, session, accept_downloads=True, **options)


def test_given_a_court_referral_when_registered_mediated_and_confirmed_then_the_agreement_downloads(
    live_server, tree, users
):
    require_chromium()
    from docx import Document
    from playwright.sync_api import expect, sync_playwright

    from qinqing.mediation import actions

    from . import factories

    body = factories.committee(tree, users)
    today = actions.today().isoformat()
    sessions = {name: session_cookie(getattr(users, name)) for name in ("secretary", "mediator", "enterprise")}
    with sync_playwright() as p:
        browser = launch(p)
        url = live_server.url

        secretary = _page(browser, live_server, sessions["secretary"])
        secretary.goto(f"{url}/mediation/cases/new/")
        secretary.select_option("#id_body", str(body.pk))
        secretary.select_option("#id_source", "court_pre")
        secretary.select_option("#id_case_type", "sale")
        secretary.fill("#id_amount", "36.8")
        secretary.fill("#id_received_on", today)
        secretary.fill("#id_referred_on", today)
        secretary.fill("#id_court_case_number", "(2026)湘0621民诉前调888号")
        secretary.fill("#id_summary", "货款结算争议")
        secretary.select_option("#id_mediator", str(users.mediator.pk))
        secretary.select_option("#id_applicant_kind", "person")
        secretary.fill("#id_applicant_name", "赵建国")
        secretary.fill("#id_applicant_phone", "13900002222")
        secretary.select_option("#id_respondent_kind", "organisation")
        secretary.fill("#id_respondent_credit_code", tree.ent_a.credit_code)
        secretary.get_by_role("button", name="登记").click()
        # The court's name is required for a court referral: refused, naming the field.
        expect(secretary.locator("form.stacked")).to_contain_text("须填写法院名称")
        secretary.fill("#id_court_name", "岳阳县人民法院")
        secretary.get_by_role("button", name="登记").click()
        expect(secretary.locator("#case-status")).to_have_text("调解中")
        case_url = secretary.url
        number = secretary.locator("h1").inner_text().split()[-1]

        mediator = _page(browser, live_server, sessions["mediator"])
        mediator.goto(f"{url}/mediation/")
        expect(mediator.locator("table.list")).to_contain_text(number)
        mediator.goto(case_url)
        expect(mediator.locator("#case-parties")).to_contain_text("139****2222")
        expect(mediator.locator("body")).not_to_contain_text("13900002222")
        mediator.locator("#reveal-contacts").click()  # audited reveal, swapped in by HTMX
        expect(mediator.locator("#case-parties")).to_contain_text("13900002222")
        expect(mediator.locator("#reveal-contacts")).to_have_count(0)
        mediator.select_option("#session-mode", "onsite")
        mediator.fill("#session-place", "商会调解室")
        mediator.fill("#session-attendees", "赵建国；洞庭食品公司法务")
        mediator.fill("#session-notes", "双方同意分期付款")
        mediator.get_by_role("button", name="保存调解记录").click()
        expect(mediator.locator("#sessions")).to_contain_text("商会调解室")
        mediator.fill("#agreement-text", "一、被申请人于2027年1月31日前支付货款30万元；\n二、申请人放弃其余请求。")
        mediator.fill("#settled-amount", "30")
        mediator.get_by_role("button", name="登记调解成功").click()
        expect(mediator.locator("#case-status")).to_have_text("调解成功")
        mediator.get_by_role("button", name="登记申请司法确认").click()
        expect(mediator.locator("#case-confirmation")).to_contain_text("已申请")
        mediator.select_option("#confirmation-result", "confirmed")
        mediator.fill("#confirmation-number", "(2026)湘0621民特66号")
        mediator.get_by_role("button", name="登记司法确认结果").click()
        expect(mediator.locator("#case-confirmation")).to_contain_text("裁定确认有效")
        with mediator.expect_download() as info:
            mediator.click("#agreement-link")
        download = info.value
        assert download.suggested_filename.endswith(".docx")
        text = "\n".join(p.text for p in Document(io.BytesIO(Path(download.path()).read_bytes())).paragraphs)
        assert "调解协议书" in text and "赵建国" in text and "30万元" in text and tree.ent_a.name in text

        phone = _page(browser, live_server, sessions["enterprise"], viewport={"width": 390, "height": 844})
        phone.goto(case_url)
        expect(phone.locator("#case-status")).to_have_text("调解成功")
        expect(phone.locator("body")).not_to_contain_text("13900002222")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390 + 1
        browser.close()
