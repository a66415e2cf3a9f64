"""Lockout after 5 failed sign-ins, with a frozen clock; every attempt audited.

The (username, address) pair is locked first; the username alone once failures come from several
addresses. A lock ends 30 minutes after the failure that caused it: retrying does not extend it."""

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


def test_given_five_failures_from_one_address_when_the_owner_signs_in_from_another_then_it_works(users, clock):
    # Five anonymous requests must not lock the 安全管理员 (the only role that unlocks) out of their account.
    fail_five_times(Client(REMOTE_ADDR="10.0.0.1"), username="county_staff")
    assert sign_in(Client(REMOTE_ADDR="10.0.0.1"), "county_staff", PASSWORD).status_code == 403

    owner = Client(REMOTE_ADDR="10.9.9.9", HTTP_USER_AGENT="another browser")
    response = sign_in(owner, "county_staff", PASSWORD)

    assert response.status_code == 302 and "_auth_user_id" in owner.session


def test_given_failures_from_two_addresses_then_the_username_is_not_yet_locked_everywhere(users, clock):
    for ip in ("10.0.0.1", "10.0.0.2"):
        for _ in range(3):
            sign_in(Client(REMOTE_ADDR=ip), "county_staff", "Wrong@Password1")
    assert sign_in(Client(REMOTE_ADDR="10.0.1.1"), "county_staff", PASSWORD).status_code == 302


def test_given_failures_spread_over_three_ips_when_fifth_then_locked_from_everywhere(users, clock):
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


def test_given_lockout_when_retrying_during_it_then_the_lock_still_ends_on_time(users, client, clock):
    # Refused attempts are not counted (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT off): retrying every
    # few minutes must not keep an account locked for ever.
    fail_five_times(client)
    for _ in range(5):
        clock.shift(timedelta(minutes=5))
        assert sign_in(client, "county_staff", "Wrong@Password1").status_code == 403
    clock.shift(timedelta(minutes=5, seconds=1))  # 30 minutes after the fifth failure

    assert sign_in(client, "county_staff", PASSWORD).status_code == 302


def test_given_a_configured_lock_period_then_it_is_used(users, client, clock, settings):
    settings.AXES_COOLOFF_TIME = timedelta(minutes=10)
    fail_five_times(client)
    clock.shift(timedelta(minutes=9))
    assert sign_in(client, "county_staff", PASSWORD).status_code == 403
    clock.shift(timedelta(minutes=1, seconds=1))
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


def test_given_an_unlock_from_the_command_line_then_it_is_audited(users, clock):
    from django.core.management import call_command

    fail_five_times(Client(REMOTE_ADDR="10.0.0.1"))
    for command, args in (
        ("axes_reset_username", ["county_staff"]),
        ("axes_reset_ip", ["10.0.0.1"]),
        ("axes_reset_ip_username", ["10.0.0.1", "county_staff"]),
        ("axes_reset", []),
    ):
        before = AuditEntry.objects.filter(action="security.unlock").count()
        call_command(command, *args, stdout=__import__("io").StringIO())
        assert AuditEntry.objects.filter(action="security.unlock").count() == before + 1, command
    first = AuditEntry.objects.filter(action="security.unlock").order_by("id").first()
    assert first.object_repr == "county_staff" and first.after["cleared_attempts"] == 1
    assert first.after["via"] == "command" and "命令" in first.message


def test_given_an_unlock_from_the_page_then_one_audit_row_names_the_security_admin(users, login, clock):
    fail_five_times(Client(REMOTE_ADDR="10.0.0.1"))
    response = login(users.sec_admin).post("/accounts/security/unlock/", {"username": "county_staff"})
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="security.unlock")
    assert (
        entry.actor_id == users.sec_admin.pk and entry.after["via"] == "page" and entry.after["cleared_attempts"] == 1
    )
    assert sign_in(Client(REMOTE_ADDR="10.0.0.1"), "county_staff", PASSWORD).status_code == 302


def test_given_a_forged_forwarded_header_then_the_lock_still_holds(users, clock):
    for i in range(5):
        sign_in(Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"1.2.3.{i}"), "county_staff", "Wrong@Password1")
    response = sign_in(Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="9.9.9.9"), "county_staff", PASSWORD)
    assert response.status_code == 403
