"""Every demo account, in headless Chromium against the live server: sign in through the real form, open
every entry of the side navigation, and fail on any HTTP error (page or subresource), console error,
uncaught script error, or request to another host. The enterprise user's pages must fit a 360-px phone.
"""

import os
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from qinqing.core.demo_tree import DEMO_ACCOUNTS, DEMO_PASSWORD
from qinqing.core.tests.browser import launch, require_chromium

LOCAL_HOSTS = {"127.0.0.1"}  # the live server listens there (--liveserver in pyproject.toml)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def demo_site(live_server):
    """The 'test' demo profile (same shape as county, tiny sizes) behind the live server."""
    require_chromium()
    call_command("seed_demo", profile="test", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return live_server.url


class Recorder:
    """Collects what went wrong on a page: HTTP errors, console errors, script errors, foreign hosts."""

    def __init__(self, page):
        self.problems: list[str] = []
        self.where = ""
        page.on("request", self._request)
        page.on("response", self._response)
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.problems.append(f"{self.where}: 脚本错误 {exc}"))
        page.on("requestfailed", self._failed)

    def _request(self, request):
        host = urlsplit(request.url).hostname
        if request.url.startswith(("data:", "blob:", "about:")):
            return
        if host not in LOCAL_HOSTS:
            self.problems.append(f"{self.where}: 请求了外部地址 {request.url}")

    def _response(self, response):
        if response.status >= 400:
            self.problems.append(f"{self.where}: HTTP {response.status} {response.url}")

    def _console(self, message):
        if message.type == "error":
            self.problems.append(f"{self.where}: 控制台错误 {message.text}")

    def _failed(self, request):
        failure = request.failure or ""
        if "ERR_ABORTED" in failure:  # a navigation superseded by the next goto
            return
        self.problems.append(f"{self.where}: 请求失败 {request.url} {failure}")


def _sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("form button[type=submit]")
    if "/accounts/login/code/" in page.url:  # the three administrators bind an authenticator first
        import pyotp

        secret = page.inner_text("p.muted code")
        page.fill("#id_code", pyotp.TOTP(secret).now())
        with page.expect_navigation():
            page.click("form button[type=submit]")
        with page.expect_navigation():
            page.click("text=我已保存，继续")
    assert "/accounts/login/" not in page.url, f"{username} 登录失败：{page.url}"


def _nav_links(page, base: str) -> list[str]:
    hrefs = page.eval_on_selector_all("nav.side a", "els => els.map(a => a.getAttribute('href'))")
    links = []
    for href in hrefs:
        url = href if href.startswith("http") else f"{base}{href}"
        if url not in links:
            links.append(url)
    return links


def test_given_every_demo_account_when_it_opens_every_navigation_entry_then_no_page_fails(demo_site):
    from playwright.sync_api import sync_playwright

    problems: list[str] = []
    visited = 0
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            for account in DEMO_ACCOUNTS:
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                recorder = Recorder(page)
                recorder.where = f"{account.username} 登录页"
                _sign_in(page, demo_site, account.username)
                links = _nav_links(page, demo_site)
                if not links:
                    problems.append(f"{account.username}: 侧边导航是空的")
                for url in links:
                    recorder.where = f"{account.username} {url.removeprefix(demo_site)}"
                    page.goto(url, wait_until="load")
                    visited += 1
                    if page.locator("main").count() != 1:
                        problems.append(f"{recorder.where}: 页面没有 <main>")
                problems.extend(recorder.problems)
                context.close()
        finally:
            browser.close()
    assert visited >= len(DEMO_ACCOUNTS)
    assert not problems, "\n".join(problems)


def test_given_the_enterprise_user_on_a_phone_when_it_opens_its_pages_then_nothing_overflows(demo_site):
    from playwright.sync_api import sync_playwright

    overflowing = []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
            page = context.new_page()
            recorder = Recorder(page)
            recorder.where = "enterprise 登录页"
            _sign_in(page, demo_site, "enterprise")
            for url in _nav_links(page, demo_site):
                recorder.where = url.removeprefix(demo_site)
                page.goto(url, wait_until="load")
                width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
                if width > inner + 1:
                    overflowing.append(f"{recorder.where}: 页面宽 {width}px，超出屏幕 {inner}px")
        finally:
            browser.close()
    assert not overflowing, "\n".join(overflowing)
    assert not recorder.problems, "\n".join(recorder.problems)
