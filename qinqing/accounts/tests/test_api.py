"""/api/v1/users/ (scoped list and detail) and /api/v1/auth/token/ (same lockout as the sign-in page)."""

from datetime import timedelta

import pytest
from django.test import Client

from conftest import PASSWORD
from qinqing.accounts import actions
from qinqing.accounts.models import ApiToken
from qinqing.core.models import AuditEntry

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


def get_token(client, username, password, **extra):
    return client.post(
        TOKEN_URL, {"username": username, "password": password}, content_type="application/json", **extra
    )


def test_given_right_password_when_asking_for_a_token_then_token_works_and_is_audited(users):
    response = get_token(Client(), "county_staff", PASSWORD)
    assert response.status_code == 200
    key = response.json()["token"]
    me = Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")
    assert me.status_code == 200 and me.json()["username"] == "county_staff"
    assert AuditEntry.objects.filter(action="security.token_issued", object_id=str(users.county_staff.pk)).exists()


def test_given_a_second_token_then_the_first_stops_working(users):
    first = get_token(Client(), "county_staff", PASSWORD).json()["token"]
    second = get_token(Client(), "county_staff", PASSWORD).json()["token"]
    assert first != second
    assert Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {first}").status_code == 401
    assert Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {second}").status_code == 200


def test_given_wrong_password_then_400_chinese_and_counted(users):
    response = get_token(Client(), "county_staff", "Wrong@Password1")
    assert response.status_code == 400 and "账号或密码错误" in response.json()["detail"]
    assert AuditEntry.objects.filter(action="security.login_failed", object_repr="county_staff").count() == 1


def test_given_five_api_failures_then_right_password_refused_on_api_and_web(users, clock):
    for i in range(5):
        get_token(Client(REMOTE_ADDR=f"10.0.0.{i}"), "county_staff", "Wrong@Password1")

    response = get_token(Client(REMOTE_ADDR="10.0.9.9"), "county_staff", PASSWORD)

    assert response.status_code == 403 and response.json()["code"] == "locked_out"
    assert "已被锁定" in response.json()["detail"]
    web = Client().post("/accounts/login/", {"username": "county_staff", "password": PASSWORD})
    assert web.status_code == 403
    assert AuditEntry.objects.filter(action="security.lockout", object_repr="county_staff").count() == 1
    assert not ApiToken.objects.filter(user=users.county_staff).exists()

    clock.shift(timedelta(minutes=31))
    assert get_token(Client(), "county_staff", PASSWORD).status_code == 200


def test_given_web_lockout_then_token_refused(users, clock):
    client = Client()
    for _ in range(5):
        client.post("/accounts/login/", {"username": "county_staff", "password": "Wrong@Password1"})
    assert get_token(Client(), "county_staff", PASSWORD).status_code == 403


def test_given_password_change_required_then_no_token(users):
    users.county_staff.must_change_password = True
    users.county_staff.save()
    response = get_token(Client(), "county_staff", PASSWORD)
    assert response.status_code == 403 and response.json()["code"] == "password_change_required"


def test_given_disabled_account_then_no_token_and_existing_token_revoked(users):
    key = get_token(Client(), "county_staff", PASSWORD).json()["token"]
    actions.set_active(users.county_staff, active=False, actor=None)
    assert Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
    assert get_token(Client(), "county_staff", PASSWORD).status_code == 400


def test_given_missing_fields_then_400(db):
    response = Client().post(TOKEN_URL, {}, content_type="application/json")
    assert response.status_code == 400 and "username" in response.json()


def test_token_endpoint_is_throttled_per_address(users):
    client = Client(REMOTE_ADDR="10.3.3.3")
    statuses = [get_token(client, f"nobody{i}", "x").status_code for i in range(21)]
    assert statuses[:20] == [400] * 20 and statuses[20] == 429


def test_given_sys_admin_when_listing_users_then_scoped_and_filterable(users, tree, login):
    client = login(users.sys_admin)
    response = client.get("/api/v1/users/")
    assert response.status_code == 200
    names = {row["username"] for row in response.json()["results"]}
    assert {"county_staff", "county_b_staff", "banker", "sys_admin"} <= names
    only_b = client.get("/api/v1/users/", {"org": tree.county_b.pk}).json()["results"]
    assert {row["username"] for row in only_b} == {"county_b_staff", "ent_user_b", "liaison_b"}
    assert "password" not in response.json()["results"][0]


def test_given_user_outside_subtree_when_retrieving_then_404(users, tree, login):
    from qinqing.orgs.actions import create_organization

    changsha = create_organization(kind="fic", name="长沙市工商联", region_code="430100", parent=tree.province)
    other = actions.create_user(username="cs", name="长沙人", role="fic_staff", org=changsha, password=PASSWORD)
    client = login(users.sys_admin)
    assert client.get(f"/api/v1/users/{users.county_staff.pk}/").status_code == 200
    assert client.get(f"/api/v1/users/{other.pk}/").status_code == 404


@pytest.mark.parametrize("role", ["audit_admin", "county_staff", "leader", "enterprise", "liaison"])
def test_given_roles_without_view_user_when_listing_then_403(users, login, role):
    assert login(getattr(users, role)).get("/api/v1/users/").status_code == 403


def test_given_anonymous_when_listing_users_then_401(db):
    assert Client().get("/api/v1/users/").status_code == 401


def test_user_api_query_count(users, tree, login, django_assert_max_num_queries):
    for i in range(30):
        actions.create_user(username=f"bulk{i}", name="批量", role="fic_staff", org=tree.county_a, password=PASSWORD)
    client = login(users.sys_admin)
    with django_assert_max_num_queries(10):
        assert client.get("/api/v1/users/").status_code == 200


def test_given_a_token_older_than_its_lifetime_then_refused_in_chinese_and_removed(users, settings):
    # Given a token issued 13 hours ago, with the 12-hour lifetime
    settings.QINQING_API_TOKEN_HOURS = 12
    key = get_token(Client(), "county_staff", PASSWORD).json()["token"]
    token = ApiToken.objects.get(user=users.county_staff)
    ApiToken.objects.filter(pk=token.pk).update(created_at=token.created_at - timedelta(hours=13))
    # When it is used, then it is refused with a Chinese reason and no longer exists
    response = Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 401 and "令牌已过期" in response.json()["detail"]
    assert not ApiToken.objects.filter(pk=token.pk).exists()


def test_given_a_token_when_the_password_expires_then_the_token_stops_working(users, settings):
    # Given a working token
    key = get_token(Client(), "county_staff", PASSWORD).json()["token"]
    assert Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    # When the password passes the profile's maximum age
    user = users.county_staff
    user.password_changed_at -= timedelta(days=settings.QINQING_PASSWORD_MAX_AGE_DAYS + 1)
    user.save(update_fields=["password_changed_at"])
    # Then the token is refused until the password is changed
    response = Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 401 and "修改密码" in response.json()["detail"]


def test_given_a_token_when_the_user_changes_the_password_then_the_token_is_revoked(users):
    key = get_token(Client(), "county_staff", PASSWORD).json()["token"]
    actions.change_password(users.county_staff, new_password="Dongting#Lake2026")
    assert Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_given_an_issued_token_then_only_its_digest_and_prefix_are_stored(users):
    import hashlib

    key = get_token(Client(), "county_staff", PASSWORD).json()["token"]
    stored = ApiToken.objects.get(user=users.county_staff)
    assert stored.prefix == key[:8] and stored.digest == hashlib.sha256(key.encode()).hexdigest()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_apitoken")
        assert key not in str(cursor.fetchall())
    # a database copy gives nothing to call the API with
    assert Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {stored.digest}").status_code == 401


def test_given_the_own_security_page_then_only_the_prefix_is_shown(users, login):
    key = get_token(Client(), "county_staff", PASSWORD).json()["token"]
    page = login(users.county_staff).get("/accounts/me/").content.decode()
    assert key[:8] in page and key not in page


def test_given_a_web_logout_with_revocation_then_the_tokens_stop_working(users, login):
    key = get_token(Client(), "county_staff", PASSWORD).json()["token"]
    client = login(users.county_staff)
    client.post("/accounts/logout/")  # a plain logout keeps the token
    assert Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    client = login(users.county_staff)
    assert client.post("/accounts/logout/", {"revoke_tokens": "1"}).status_code == 302
    assert Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
    assert AuditEntry.objects.filter(action="security.tokens_revoked", object_id=str(users.county_staff.pk)).exists()
