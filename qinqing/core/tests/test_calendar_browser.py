"""In headless Chromium: the system administrator pastes the 2026 notice, previews it and saves it."""

import os
from pathlib import Path

import pytest
from django.test import Client

from qinqing.core.tests.browser import launch, require_chromium

NOTICE_2026 = Path(__file__).parent / "fixtures" / "holiday_notice_2026.txt"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_given_the_2026_notice_when_pasted_previewed_and_confirmed_then_saved(live_server, users, tmp_path):
    require_chromium()
    from playwright.sync_api import expect, sync_playwright

    from qinqing.core.models import CalendarDay, CalendarYear

    client = Client()
    client.force_login(users.sys_admin)
    session = client.cookies["sessionid"].value
    with sync_playwright() as p:
        browser = launch(p)
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        host = live_server.url.split("//")[1].split(":")[0]
        context.add_cookies([{"name": "sessionid", "value": session, "domain": host, "path": "/"}])
        page = context.new_page()
        page.goto(f"{live_server.url}/calendar/?year=2027")
        expect(page.get_by_text("2027年暂定：尚未录入通知")).to_be_visible()
        page.fill("#id_notice-text", NOTICE_2026.read_text(encoding="utf-8"))
        page.get_by_role("button", name="预览").click()
        expect(page.locator(".notice-preview h3")).to_have_text("2026年：放假 33 天，调休上班 6 天")
        expect(page.locator(".notice-preview tbody tr")).to_have_count(39)
        shots = Path(os.environ.get("QQ_SCREENSHOTS", tmp_path))
        page.screenshot(path=str(shots / "calendar-notice.png"), full_page=True)
        page.check("input[name=confirm]")
        page.get_by_role("button", name="确认保存").click()
        expect(page.get_by_text("已按通知保存2026年节假日安排")).to_be_visible()
        browser.close()
    assert CalendarDay.objects.filter(date__year=2026).count() == 39
    assert CalendarYear.objects.get(year=2026).complete
