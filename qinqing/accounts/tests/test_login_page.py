"""The sign-in page: Simplified Chinese, nothing loaded from outside the platform, CSP set."""

import re

import pytest

from conftest import PASSWORD

from .conftest import sign_in

pytestmark = pytest.mark.django_db

RESOURCE = re.compile(r'\b(?:src|href|action)\s*=\s*"([^"]*)"', re.IGNORECASE)


def test_login_page_is_chinese(client):
    response = client.get("/accounts/login/")
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-CN">' in body
    for text in ("登录", "账号", "密码", "连续输错密码5次，账号将被锁定30分钟"):
        assert text in body


def test_login_page_loads_nothing_from_outside(client):
    response = client.get("/accounts/login/")
    body = response.content.decode()
    urls = RESOURCE.findall(body)
    assert urls, "the page should reference its own stylesheet and scripts"
    for url in urls:
        assert url == "" or (url.startswith(("/", "data:", "#")) and not url.startswith("//")), url
    assert "http://" not in body and "https://" not in body
    assert "<script>" not in body  # CSP: no inline script
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp


def test_given_wrong_password_then_chinese_error_without_telling_which_part_was_wrong(users, client):
    response = sign_in(client, "county_staff", "Wrong@Password1")
    body = response.content.decode()
    assert "账号或密码错误" in body
    same = sign_in(client, "nobody", "Wrong@Password1").content.decode()
    assert "账号或密码错误" in same


def test_given_empty_form_then_chinese_required_messages(client):
    body = client.post("/accounts/login/", {}).content.decode()
    assert "请输入账号" in body and "请输入密码" in body


def test_locked_out_page_is_chinese(users, client):
    for _ in range(5):
        response = sign_in(client, "county_staff", "Wrong@Password1")
    body = response.content.decode()
    assert response.status_code == 403 and "已被锁定 30 分钟" in body and "安全管理员" in body


def test_given_correct_password_then_redirected_home(users, client):
    assert sign_in(client, "county_staff", PASSWORD).url == "/"


def test_given_the_login_page_then_its_title_names_the_page_and_the_platform(client):
    assert "<title>登录 - 亲清</title>" in client.get("/accounts/login/").content.decode()
