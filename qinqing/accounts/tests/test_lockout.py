"""Lockout after 5 failed sign-ins by username, with a frozen clock; every attempt audited."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client

from conftest import PASSWORD
from qinqing.core.models import AuditEntry

from .conftest import sign_in

pytestmark = pytest.mark.django_db


def fail_five_times(client, username="county_staff"):
    for _ in range(5):
        response = sign_in(client, username, "Wrong@Password1")
    return response


def test_given_four_failures_when_right_password_then_signed_in(users, client, clock):
    for _ in range(4):
        assert sign_in(client, "county_staff", "Wrong@Password1").status_code == 200
    response = sign_in(client, "county_staff", PASSWORD)
    assert response.status_code == 302 and response.url == "/"
    assert not AccessAttempt.objects.filter(username="county_staff").exists()  # success resets the counter


def test_given_five_failures_when_sixth_attempt_with_right_password_then_refused(users, client, clock):
    fifth = fail_five_times(client)
    assert fifth.status_code == 403 and "已被锁定" in fifth.content.decode()

    response = sign_in(client, "county_staff", PASSWORD)

    assert response.status_code == 403
    assert "已被锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_given_locked_username_when_trying_from_another_ip_then_still_refused(users, clock):
    fail_five_times(Client(REMOTE_ADDR="10.0.0.1"))
    other = Client(REMOTE_ADDR="10.9.9.9", HTTP_USER_AGENT="another browser")

    response = sign_in(other, "county_staff", PASSWORD)

    assert response.status_code == 403
    assert "_auth_user_id" not in other.session


def test_given_failures_spread_over_ips_when_fifth_then_locked(users, clock):
    for i in range(5):
        sign_in(Client(REMOTE_ADDR=f"10.0.0.{i + 1}"), "county_staff", "Wrong@Password1")

    response = sign_in(Client(REMOTE_ADDR="10.0.1.1"), "county_staff", PASSWORD)

    assert response.status_code == 403


def test_given_lockout_when_other_username_signs_in_then_not_affected(users, client, clock):
    fail_five_times(client)
    response = sign_in(client, "city_staff", PASSWORD)
    assert response.status_code == 302


def test_given_lockout_when_cool_off_has_passed_then_sign_in_works(users, client, clock):
    fail_five_times(client)
    clock.shift(timedelta(minutes=31))

    response = sign_in(client, "county_staff", PASSWORD)

    assert response.status_code == 302 and response.url == "/"


def test_given_lockout_when_retrying_during_it_then_the_lock_period_restarts(users, client, clock):
    # AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT (axes' default): a refused attempt restarts the period.
    fail_five_times(client)
    clock.shift(timedelta(minutes=29))
    assert sign_in(client, "county_staff", PASSWORD).status_code == 403

    clock.shift(timedelta(minutes=2))
    assert sign_in(client, "county_staff", PASSWORD).status_code == 403

    clock.shift(timedelta(minutes=31))
    assert sign_in(client, "county_staff", PASSWORD).status_code == 302


def test_given_failures_and_a_refused_attempt_then_every_attempt_is_audited(users, clock):
    client = Client(REMOTE_ADDR="10.0.0.7")
    fail_five_times(client)
    sign_in(client, "county_staff", PASSWORD)

    failed = AuditEntry.objects.filter(action="security.login_failed", object_repr="county_staff").order_by("id")
    assert failed.count() == 6
    assert all(not e.success and e.ip == "10.0.0.7" for e in failed)
    assert [e.message for e in failed][-1] == "账号已锁定，拒绝登录"
    lockouts = AuditEntry.objects.filter(action="security.lockout", object_repr="county_staff")
    assert lockouts.count() == 1
    assert not AuditEntry.objects.filter(action="security.login", object_repr__contains="county_staff").exists()


def test_given_unknown_username_when_failing_then_audited_and_locked_too(db, client, clock):
    fail_five_times(client, username="nobody")
    assert AuditEntry.objects.filter(action="security.login_failed", object_repr="nobody").count() == 5
    assert AuditEntry.objects.filter(action="security.lockout", object_repr="nobody").count() == 1


def test_given_successful_sign_in_then_login_is_audited(users, client, clock):
    sign_in(client, "county_staff", PASSWORD, REMOTE_ADDR="10.1.2.3")
    entry = AuditEntry.objects.get(action="security.login")
    assert entry.actor_id == users.county_staff.pk and entry.ip == "10.1.2.3" and entry.success


def test_given_disabled_account_when_signing_in_then_refused_and_counted(users, client, clock):
    users.county_staff.is_active = False
    users.county_staff.save()
    response = sign_in(client, "county_staff", PASSWORD)
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="security.login_failed", object_repr="county_staff").exists()
