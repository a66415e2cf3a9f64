"""Shared set-up of the headless Chromium tests: Debian's chromium driven by Playwright.

CI installs the package and fails a browser test that cannot find it; elsewhere the test is skipped with the
reason shown."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps trying hosts this closed network refuses.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def require_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    message = f"{CHROMIUM} 不存在：浏览器测试需要 Debian 的 chromium 包"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def launch(playwright):
    """Chromium from Debian (never a browser Playwright downloads)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)


def session_cookie(user) -> str:
    """A signed-in session for ``user``; make it before Playwright starts its event loop (the ORM refuses
    async contexts)."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def new_page(browser, live_server, session: str, **options):
    """A page in a new browser context carrying ``session``; ``options`` go to the context (viewport…)."""
    context = browser.new_context(**options)
    host = live_server.url.split("//")[1].split(":")[0]
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "domain": host, "path": "/"}])
    return context.new_page()


def htmx_ready(page, locator) -> None:
    """Wait until htmx has processed a swapped-in element (its hx-* listeners are attached). htmx 2 processes new
    content only when it settles (20 ms after the swap, longer on a loaded machine): a change fired before that is
    lost, where a person is never that fast. A processed element carries an init hash in htmx's internal data."""
    page.wait_for_function(
        "el => !!(el['htmx-internal-data'] && el['htmx-internal-data'].initHash)", arg=locator.element_handle()
    )
