"""The 等保 password profile: length, 3 of 4 classes, no reuse of the last 5, 90-day expiry, forced change."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.test import Client

from conftest import PASSWORD
from qinqing.accounts import actions
from qinqing.accounts.validators import character_classes
from qinqing.core.models import AuditEntry

from .conftest import enrol, sign_in, sign_in_with_code

pytestmark = pytest.mark.django_db

PRODUCTION_HASHERS = list(django_settings.PASSWORD_HASHERS)


@pytest.mark.parametrize(
    ("password", "classes"),
    [("abcdefgh", 1), ("abcdEFGH", 2), ("abcdEF12", 3), ("ab!dEF12", 4), ("密码密码Ab1", 3), ("", 0)],
)
def test_character_classes_counts_lower_upper_digit_and_other(password, classes):
    assert character_classes(password) == classes


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab1!xyz", "至少需要 8 个字符"),
        ("abcdefgh1234", "至少3类"),
        ("ABCDEFGH!!!!", "至少3类"),
    ],
)
def test_given_weak_password_when_changing_then_refused_with_reason(users, password, message):
    user = users.county_staff
    with pytest.raises(ValidationError) as exc:
        actions.change_password(user, new_password=password)
    assert any(message in m for m in exc.value.message_dict["new_password1"])
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_given_strong_password_when_changing_then_accepted_and_audited(users, clock):
    user = users.county_staff
    actions.change_password(user, new_password="Dongting#Lake9")
    user.refresh_from_db()
    assert user.check_password("Dongting#Lake9") and not user.must_change_password
    assert AuditEntry.objects.filter(action="accounts.change_password", object_id=str(user.pk)).exists()


def test_given_five_earlier_passwords_when_reusing_any_then_refused_but_sixth_oldest_allowed(users):
    user = users.county_staff
    used = [PASSWORD] + [f"Yueyang#{n}Lake" for n in range(1, 6)]  # PASSWORD, then five changes
    for new in used[1:]:
        actions.change_password(user, new_password=new)
    # The last five are used[1:]; the current one counts among them.
    for old in used[1:]:
        with pytest.raises(ValidationError) as exc:
            actions.change_password(user, new_password=old)
        assert "最近5次" in exc.value.messages[0]
    actions.change_password(user, new_password=PASSWORD)  # the sixth-oldest may come back
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_given_production_hashers_then_passwords_are_stored_with_argon2(tree, settings):
    settings.PASSWORD_HASHERS = PRODUCTION_HASHERS
    user = actions.create_user(username="u1", name="甲", role="fic_staff", org=tree.city, password=PASSWORD)
    assert user.password.startswith("argon2$")


def test_given_password_older_than_90_days_when_opening_a_page_then_sent_to_password_change(clock, users, login):
    client = login(users.county_staff)
    clock.shift(timedelta(days=89))
    client.force_login(users.county_staff)  # a fresh session: the old one would have timed out
    assert client.get("/").status_code == 200

    clock.shift(timedelta(days=1))
    client.force_login(users.county_staff)
    response = client.get("/")

    assert response.status_code == 302 and response.url == "/accounts/password/"


def test_given_must_change_password_when_signing_in_then_every_page_leads_to_password_change(users, client, clock):
    users.sys_admin.must_change_password = True
    users.sys_admin.save()
    enrol(users.sys_admin)
    sign_in_with_code(client, "sys_admin", PASSWORD)

    for path in ("/", "/accounts/users/", "/accounts/users/new/", "/audit/"):
        response = client.get(path)
        assert response.status_code == 302 and response.url == "/accounts/password/", path
    api = client.get("/api/v1/users/")
    assert api.status_code == 403 and api.json()["code"] == "password_change_required"
    assert client.get("/accounts/password/").status_code == 200


def test_given_must_change_password_when_changed_through_the_page_then_pages_open(users, client, clock):
    users.county_staff.must_change_password = True
    users.county_staff.save()
    sign_in(client, "county_staff", PASSWORD)

    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "Dongting#Lake9", "new_password2": "Dongting#Lake9"},
    )

    assert response.status_code == 302 and response.url == "/"
    assert client.get("/").status_code == 200  # the session survived the change


def test_given_wrong_old_password_or_mismatch_when_changing_then_chinese_errors_and_nothing_changes(users, login):
    client = login(users.county_staff)
    response = client.post(
        "/accounts/password/",
        {"old_password": "nope", "new_password1": "Dongting#Lake9", "new_password2": "Dongting#Lake8"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "原密码不正确" in body and "两次输入的新密码不一致" in body
    users.county_staff.refresh_from_db()
    assert users.county_staff.check_password(PASSWORD)


def test_given_reused_password_when_changing_through_the_page_then_field_error(users, login):
    client = login(users.county_staff)
    response = client.post(
        "/accounts/password/", {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD}
    )
    assert response.status_code == 200 and "最近5次" in response.content.decode()


def test_given_anonymous_when_opening_password_change_then_redirected_to_login(client):
    response = client.get("/accounts/password/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_given_a_deployment_profile_then_the_pages_quote_its_numbers(users, login, settings):
    settings.QINQING_PASSWORD_MIN_LENGTH = 12
    settings.QINQING_PASSWORD_MAX_AGE_DAYS = 60
    body = login(users.county_staff).get("/accounts/password/").content.decode()
    assert "密码至少12位" in body and "每60天须更换" in body


@pytest.mark.parametrize("weak", ["Passw0rd!", "Qwerty123!", "Aa1aaaaa", "Zxcvbnm1!"])
def test_given_a_common_or_keyboard_password_then_refused_in_chinese(users, weak):
    with pytest.raises(ValidationError) as exc:
        actions.change_password(users.county_staff, new_password=weak)
    assert any("太容易被猜到" in m for m in exc.value.message_dict["new_password1"]), exc.value.message_dict


@pytest.mark.parametrize("strong", [PASSWORD, "Qinqing@2026", "Dongting#Lake9", "Yueyang#Lake1"])
def test_given_the_demo_and_test_passwords_then_still_accepted(tree, strong):
    from django.contrib.auth import password_validation

    from qinqing.accounts.models import User

    password_validation.validate_password(strong, User(username="new_person", name="新人", org=tree.city))


def test_given_a_weak_password_on_the_change_page_then_the_reason_is_shown(users, login):
    response = login(users.county_staff).post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "Qwerty123!", "new_password2": "Qwerty123!"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "太容易被猜到" in body and "常见单词" in body


def test_given_wrong_old_passwords_on_the_change_page_then_counted_as_failed_sign_ins_and_locked(users, client, clock):
    # Given a signed-in user (a stolen session) guessing the old password
    sign_in(client, "county_staff", PASSWORD)
    for _ in range(4):
        response = client.post(
            "/accounts/password/",
            {"old_password": "Wrong@Password1", "new_password1": "Dongting#Lake9", "new_password2": "Dongting#Lake9"},
        )
        assert response.status_code == 200 and "原密码不正确" in response.content.decode()
    failed = AuditEntry.objects.filter(action="security.login_failed", object_repr="county_staff")
    assert failed.count() == 4
    # When the fifth guess is wrong, then the account is locked and the session ends
    response = client.post(
        "/accounts/password/",
        {"old_password": "Wrong@Password1", "new_password1": "Dongting#Lake9", "new_password2": "Dongting#Lake9"},
    )
    assert response.status_code == 403 and "已被锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert sign_in(Client(), "county_staff", PASSWORD).status_code == 403
    assert AuditEntry.objects.filter(action="security.lockout", object_repr="county_staff").count() == 1
