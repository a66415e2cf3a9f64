"""A one-time password (an administrator's reset, a newly approved account) expires: after
QINQING_ONE_TIME_PASSWORD_HOURS it no longer signs in, and a new reset is needed."""

from datetime import timedelta

import pytest

from qinqing.accounts import actions
from qinqing.core.models import AuditEntry

from .conftest import sign_in

pytestmark = pytest.mark.django_db


def test_given_a_reset_when_used_within_the_limit_then_it_opens_the_password_change_page(users, client, clock):
    password = actions.reset_password(users.county_staff, actor=users.sys_admin)
    clock.shift(timedelta(hours=71))
    response = sign_in(client, "county_staff", password)
    assert response.status_code == 302
    assert client.get("/").url == "/accounts/password/"


def test_given_a_reset_when_used_after_the_limit_then_refused_with_a_chinese_message_and_audited(
    users, client, clock, settings
):
    settings.QINQING_ONE_TIME_PASSWORD_HOURS = 72
    password = actions.reset_password(users.county_staff, actor=users.sys_admin)
    clock.shift(timedelta(hours=72, minutes=1))
    response = sign_in(client, "county_staff", password)
    body = response.content.decode()
    assert response.status_code == 200
    assert "一次性密码已超过72小时的有效期" in body and "请联系管理员重新重置密码" in body
    assert client.get("/").status_code == 302 and "/accounts/login/" in client.get("/").url  # not signed in
    assert AuditEntry.objects.filter(action="accounts.one_time_password_expired", object_id=str(users.county_staff.pk))
    # a new reset opens the account again
    again = actions.reset_password(users.county_staff, actor=users.sys_admin)
    assert sign_in(client, "county_staff", again).status_code == 302


def test_given_a_password_the_user_chose_when_old_then_the_one_time_limit_does_not_apply(users, client, clock):
    from conftest import PASSWORD

    clock.shift(timedelta(days=30))
    assert sign_in(client, "county_staff", PASSWORD).status_code == 302


def test_given_an_expired_one_time_password_when_asking_for_an_api_token_then_refused(users, client, clock):
    password = actions.reset_password(users.county_staff, actor=users.sys_admin)
    clock.shift(timedelta(hours=80))
    response = client.post("/api/v1/auth/token/", {"username": "county_staff", "password": password})
    assert response.status_code in (400, 403)
    assert "token" not in response.json()
