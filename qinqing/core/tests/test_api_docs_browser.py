"""Swagger UI in headless Chromium under the platform's CSP: it renders the API, loading nothing from elsewhere."""

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client

from qinqing.core.tests.browser import launch, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_given_a_signed_in_user_when_opening_the_api_docs_then_swagger_ui_renders_from_local_assets(live_server, users):
    require_chromium()
    from playwright.sync_api import sync_playwright

    client = Client()
    client.force_login(users.county_staff)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    host = urlsplit(live_server.url).hostname
    problems: list[str] = []
    with sync_playwright() as p:
        browser = launch(p)
        context = browser.new_context()
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "domain": host, "path": "/"}])
        page = context.new_page()
        page.on("request", lambda r: urlsplit(r.url).hostname not in (host, None) and problems.append(r.url))
        page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
        page.on("pageerror", lambda exc: problems.append(f"script error: {exc}"))
        page.goto(f"{live_server.url}/api/v1/docs/")
        page.wait_for_selector(".opblock", timeout=20000)
        text = page.inner_text("body")
        # Swagger UI keeps only the tags near the viewport in the page: scroll through it, collecting paths.
        paths: set[str] = set()
        for _ in range(80):
            paths.update(page.eval_on_selector_all(".opblock-summary-path", "els => els.map(e => e.dataset.path)"))
            if "/api/v1/me/" in paths:
                break
            page.keyboard.press("PageDown")
            page.wait_for_timeout(100)
        browser.close()
    assert "亲清" in text and "/api/v1/appeals/" in paths
    assert "/api/v1/me/" in paths
    assert problems == []
