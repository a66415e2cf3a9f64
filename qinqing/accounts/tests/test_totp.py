"""TOTP second factor (RFC 6238) with a frozen clock: required for the three administrators, optional for
everyone else, recovery codes once each, wrong codes counted like wrong passwords."""

import base64
from datetime import timedelta

import pyotp
import pytest
from django.test import Client

from conftest import PASSWORD
from qinqing.accounts import actions, totp
from qinqing.accounts.models import RecoveryCode, TOTPDevice
from qinqing.core.models import AuditEntry

from .conftest import TOTP_SECRET, enrol, sign_in, sign_in_with_code, totp_code

pytestmark = pytest.mark.django_db

CODE_URL = "/accounts/login/code/"


# --- pure logic ------------------------------------------------------------------------------------


def test_rfc6238_sha1_vector():
    # RFC 6238 appendix B: secret "12345678901234567890", T = 59 s → 94287082 (8 digits)
    secret = base64.b32encode(b"12345678901234567890").decode()
    assert pyotp.TOTP(secret, digits=8).at(59) == "94287082"


def test_given_a_code_then_it_matches_its_step_and_neighbours_only(clock):
    from datetime import UTC, datetime

    now = datetime.now(UTC)
    otp = pyotp.TOTP(TOTP_SECRET)
    step = otp.timecode(now)
    assert totp.matching_step(TOTP_SECRET, otp.generate_otp(step), now) == step
    assert totp.matching_step(TOTP_SECRET, otp.generate_otp(step - 1), now) == step - 1
    assert totp.matching_step(TOTP_SECRET, otp.generate_otp(step - 2), now) is None
    assert totp.matching_step(TOTP_SECRET, otp.generate_otp(step), now, after_step=step) is None  # spent
    assert totp.matching_step(TOTP_SECRET, "12ab56", now) is None


def test_the_qr_code_is_inline_svg_drawn_locally():
    svg = totp.qr_svg(totp.provisioning_uri(TOTP_SECRET, "secadmin"))
    assert svg.startswith("<svg") and "http" not in svg.replace("http://www.w3.org/2000/svg", "")


def test_recovery_codes_are_random_and_stored_hashed(users):
    codes = enrol(users.county_staff)
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = list(RecoveryCode.objects.filter(user=users.county_staff).values_list("code_hash", flat=True))
    assert not set(codes) & set(stored) and all("$" in h for h in stored)


def test_only_the_administrators_require_it_by_default_and_the_setting_adds_roles(settings):
    assert {r for r in ("sys_admin", "sec_admin", "audit_admin", "fic_staff") if totp.required_for(r)} == {
        "sys_admin",
        "sec_admin",
        "audit_admin",
    }
    settings.QINQING_TOTP_REQUIRED_ROLES = ["fic_leader"]
    assert totp.required_for("fic_leader") and not totp.required_for("fic_staff")


# --- sign-in ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["sys_admin", "sec_admin", "audit_admin"])
def test_given_an_administrator_without_authenticator_when_signing_in_then_must_bind_one_first(users, clock, role):
    user = getattr(users, role)
    client = Client()
    first = sign_in(client, user.username, PASSWORD)
    assert first.status_code == 302 and first.url == CODE_URL
    assert "_auth_user_id" not in client.session  # the password alone signs nobody in
    assert client.get("/").status_code == 302

    page = client.get(CODE_URL).content.decode()
    assert "<svg" in page and "必须使用两步验证" in page
    secret = client.session["qinqing_pending_second_factor"]["secret"]
    assert secret in page

    response = client.post(CODE_URL, {"code": totp_code(secret)})
    assert response.status_code == 200 and "请保存恢复码" in response.content.decode()
    assert client.session["_auth_user_id"] == str(user.pk)
    assert TOTPDevice.objects.get(user=user).confirmed_at is not None
    assert AuditEntry.objects.filter(action="security.totp_enabled", object_id=str(user.pk)).exists()


def test_given_an_enrolled_administrator_then_the_right_code_signs_in_once(users, clock):
    enrol(users.sec_admin)
    client = Client()
    response = sign_in_with_code(client, "sec_admin", PASSWORD)
    assert response.status_code == 302 and response.url == "/"
    # the same code again (replay) is refused
    replay = Client()
    sign_in(replay, "sec_admin", PASSWORD)
    assert replay.post(CODE_URL, {"code": totp_code(steps_ahead=1)}).status_code == 200
    assert "_auth_user_id" not in replay.session


def test_given_a_code_of_two_steps_ago_then_refused(users, clock):
    enrol(users.sec_admin)
    clock.shift(timedelta(seconds=90))
    client = Client()
    sign_in(client, "sec_admin", PASSWORD)
    assert client.post(CODE_URL, {"code": totp_code(steps_ahead=-2)}).status_code == 200
    assert client.post(CODE_URL, {"code": totp_code()}).status_code == 302


def test_given_the_password_step_is_older_than_five_minutes_then_start_again(users, clock):
    enrol(users.sec_admin)
    client = Client()
    sign_in(client, "sec_admin", PASSWORD)
    clock.shift(timedelta(minutes=6))
    response = client.post(CODE_URL, {"code": totp_code()})
    assert response.status_code == 302 and response.url == "/accounts/login/"
    assert "_auth_user_id" not in client.session


def test_given_wrong_codes_then_counted_as_failed_sign_ins_and_locked(users, clock):
    enrol(users.sec_admin)
    client = Client(REMOTE_ADDR="10.0.0.5")
    sign_in(client, "sec_admin", PASSWORD)
    for _ in range(4):
        assert client.post(CODE_URL, {"code": "000000"}).status_code == 200
    fifth = client.post(CODE_URL, {"code": "000000"})
    assert fifth.status_code == 403 and "已被锁定" in fifth.content.decode()
    assert AuditEntry.objects.filter(action="security.login_failed", object_repr="sec_admin").count() == 5
    # the right password and code from the same address are refused for the lock period
    again = Client(REMOTE_ADDR="10.0.0.5")
    assert sign_in(again, "sec_admin", PASSWORD).status_code == 403


def test_given_a_recovery_code_then_it_works_once(users, clock):
    codes = enrol(users.sec_admin)
    client = Client()
    sign_in(client, "sec_admin", PASSWORD)
    assert client.post(CODE_URL, {"code": codes[0].lower().replace("-", " ")}).status_code == 302
    again = Client()
    sign_in(again, "sec_admin", PASSWORD)
    assert again.post(CODE_URL, {"code": codes[0]}).status_code == 200
    assert again.post(CODE_URL, {"code": codes[1]}).status_code == 302
    assert AuditEntry.objects.filter(action="security.recovery_code_used").count() == 2


def test_given_an_ordinary_user_without_authenticator_then_the_password_is_enough(users, clock):
    response = sign_in(Client(), "county_staff", PASSWORD)
    assert response.status_code == 302 and response.url == "/"


def test_given_an_ordinary_user_when_enabling_on_the_own_page_then_the_next_sign_in_asks_for_a_code(
    users, login, clock
):
    client = login(users.county_staff)
    page = client.get("/accounts/me/").content.decode()
    assert "两步验证可选" in page and "<svg" in page
    secret = client.session["qinqing_enrol_secret"]
    assert client.post("/accounts/me/", {"step": "enable", "code": "123456"}).status_code == 200
    assert not actions.has_totp(users.county_staff)
    response = client.post("/accounts/me/", {"step": "enable", "code": totp_code(secret)})
    assert "请保存恢复码" in response.content.decode()
    assert actions.has_totp(users.county_staff)

    fresh = Client()
    assert sign_in(fresh, "county_staff", PASSWORD).url == CODE_URL
    clock.shift(timedelta(seconds=30))
    assert fresh.post(CODE_URL, {"code": totp_code(secret)}).status_code == 302

    # and the user may turn it off again with a current code
    clock.shift(timedelta(seconds=30))
    client.post("/accounts/me/", {"step": "disable", "code": totp_code(secret)})
    assert not actions.has_totp(users.county_staff)


def test_given_an_administrator_then_the_second_factor_cannot_be_turned_off(users, login, clock):
    enrol(users.audit_admin)
    client = login(users.audit_admin)
    response = client.post("/accounts/me/", {"step": "disable", "code": totp_code(steps_ahead=1)})
    assert "不能关闭" in response.content.decode()
    assert actions.has_totp(users.audit_admin)


def test_given_a_lost_authenticator_then_the_security_admin_resets_it_with_an_audit_row(users, login, clock):
    enrol(users.county_staff)
    response = login(users.sec_admin).post("/accounts/security/reset-totp/", {"username": "county_staff"})
    assert response.status_code == 302 and not actions.has_totp(users.county_staff)
    entry = AuditEntry.objects.get(action="security.totp_disabled")
    assert entry.actor_id == users.sec_admin.pk and entry.object_id == str(users.county_staff.pk)
    assert login(users.sys_admin).post("/accounts/security/reset-totp/", {"username": "x"}).status_code == 403


def test_given_two_step_verification_then_the_token_endpoint_needs_the_code(users, clock):
    enrol(users.county_staff)
    url = "/api/v1/auth/token/"
    without = Client().post(url, {"username": "county_staff", "password": PASSWORD}, content_type="application/json")
    assert without.status_code == 400 and without.json()["code"] == "invalid_otp"
    with_code = Client().post(
        url,
        {"username": "county_staff", "password": PASSWORD, "otp": totp_code(steps_ahead=1)},
        content_type="application/json",
    )
    assert with_code.status_code == 200 and with_code.json()["token"]


def test_given_an_administrator_without_authenticator_then_no_api_token(users, clock):
    response = Client().post(
        "/api/v1/auth/token/", {"username": "sys_admin", "password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 403 and response.json()["code"] == "totp_required"


def test_the_totp_secret_is_sealed_at_rest(users, clock):
    from django.db import connection

    from qinqing.core import crypto

    enrol(users.county_staff)
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM accounts_totpdevice")
        (stored,) = cursor.fetchone()
    assert stored != TOTP_SECRET and crypto.is_sealed(stored)
    assert TOTPDevice.objects.get(user=users.county_staff).secret == TOTP_SECRET
