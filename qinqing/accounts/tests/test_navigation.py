"""Menu entries of the three administrators under 系统管理."""

import re

import pytest

from qinqing.core.navigation import items_for

pytestmark = pytest.mark.django_db


def labels(user):
    return {item["label"]: item for item in items_for(user)}


def test_each_administrator_sees_only_their_entry(users):
    sys_items, sec_items, audit_items = (labels(u) for u in (users.sys_admin, users.sec_admin, users.audit_admin))
    assert "用户管理" in sys_items and "账号安全" not in sys_items and "审计日志" not in sys_items
    assert "账号安全" in sec_items and "用户管理" not in sec_items and "审计日志" not in sec_items
    assert "审计日志" in audit_items and "用户管理" not in audit_items and "账号安全" not in audit_items
    assert sys_items["用户管理"]["url"] == "/accounts/users/" and sys_items["用户管理"]["group"] == "系统管理"
    assert sec_items["账号安全"]["url"] == "/accounts/security/"
    assert audit_items["审计日志"]["url"] == "/audit/"


def test_ordinary_users_see_no_administration_entry(users):
    for user in (users.county_staff, users.leader, users.enterprise, users.liaison):
        assert not {"用户管理", "账号安全", "审计日志"} & set(labels(user))


def test_menu_is_rendered_for_the_sys_admin(users, login):
    body = login(users.sys_admin).get("/").content.decode()
    assert "系统管理" in body and 'href="/accounts/users/"' in body


def test_given_a_page_under_another_entrys_address_then_only_its_own_entry_is_highlighted(users, login):
    # Given the figures page, whose address /appeals/figures/ lies under 企业诉求's /appeals/
    html = login(users.leader).get("/appeals/figures/").content.decode()
    # Then exactly one navigation entry is marked current, and it is 诉求统计
    active = re.findall(r'<a href="[^"]*" class="active">([^<]*)</a>', html)
    assert active == ["诉求统计"]
