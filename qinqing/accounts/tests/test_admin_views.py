"""User administration pages of the 系统管理员: list, propose (create, role change), edit, enable/disable,
reset password; the 安全管理员 approves the proposals."""

import re

import pytest

from conftest import PASSWORD
from qinqing.accounts import actions
from qinqing.accounts.models import AccountRequest, User
from qinqing.core.models import AuditEntry

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Huarong#Lake7"


@pytest.fixture
def admin(users, login):
    return login(users.sys_admin)


def create_payload(tree, **overrides):
    data = {
        "username": "zhang_wei",
        "name": "张伟",
        "title": "科员",
        "role": "fic_staff",
        "org": tree.county_a.pk,
        "credit_code": "",
        "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD,
    }
    data.update(overrides)
    return data


def test_given_sys_admin_when_listing_then_sees_own_subtree_only(users, tree, login):
    from qinqing.accounts.actions import create_user

    create_user(username="prov_staff", name="省里人", role="fic_staff", org=tree.province, password=PASSWORD)
    client = login(users.sys_admin)  # at the city
    seen = rows(client.get("/accounts/users/"))
    assert {"county_staff", "county_b_staff", "banker"} <= seen and "prov_staff" not in seen


def rows(response) -> set[str]:
    return set(re.findall(r'<td data-label="账号">([^<]+)</td>', response.content.decode()))


def test_given_filters_when_listing_then_rows_narrow(admin, tree):
    assert rows(admin.get("/accounts/users/", {"role": "dept_liaison"})) == {"liaison", "liaison_b"}
    assert rows(admin.get("/accounts/users/", {"org": tree.county_b.pk})) == {
        "county_b_staff",
        "ent_user_b",
        "liaison_b",
    }
    assert rows(admin.get("/accounts/users/", {"q": "bank"})) == {"banker"}


def test_given_disabled_user_when_filtering_inactive_then_only_that_one(admin, users):
    users.lawyer.is_active = False
    users.lawyer.save()
    assert rows(admin.get("/accounts/users/", {"is_active": "false"})) == {"lawyer"}


def test_given_htmx_when_listing_then_partial(admin):
    response = admin.get("/accounts/users/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "<html" not in response.content.decode()


def test_user_list_query_count_does_not_grow_with_rows(admin, tree, django_assert_max_num_queries):
    from qinqing.accounts.actions import create_user

    for i in range(30):
        create_user(username=f"bulk{i}", name=f"批量{i}", role="fic_staff", org=tree.county_a, password=PASSWORD)
    with django_assert_max_num_queries(14):
        assert admin.get("/accounts/users/").status_code == 200


def approve_pending(users):
    for proposal in AccountRequest.objects.filter(status="pending"):
        actions.approve_request(proposal, actor=users.sec_admin)


def test_given_valid_form_when_creating_then_pending_until_approved_then_must_change_password(admin, tree, users):
    response = admin.post("/accounts/users/new/", create_payload(tree))
    assert response.status_code == 302 and response.url == "/accounts/requests/"
    assert not User.objects.filter(username="zhang_wei").exists()
    approve_pending(users)
    user = User.objects.get(username="zhang_wei")
    assert user.org == tree.county_a and user.must_change_password and user.check_password(NEW_PASSWORD)
    entry = AuditEntry.objects.get(action="accounts.create_user", object_id=str(user.pk))
    assert entry.actor_id == users.sec_admin.pk and entry.after["role"] == "fic_staff"
    assert AuditEntry.objects.get(action="accounts.propose_account").actor_id == users.sys_admin.pk


def test_given_enterprise_role_when_creating_with_credit_code_then_linked(admin, tree, users):
    response = admin.post(
        "/accounts/users/new/", create_payload(tree, role="enterprise", credit_code=tree.ent_a.credit_code.lower())
    )
    assert response.status_code == 302
    approve_pending(users)
    assert User.objects.get(username="zhang_wei").enterprise == tree.ent_a


def test_given_enterprise_role_without_or_with_unknown_code_when_creating_then_field_error(admin, tree):
    body = admin.post("/accounts/users/new/", create_payload(tree, role="enterprise")).content.decode()
    assert "须填写所属企业的统一社会信用代码" in body
    body = admin.post(
        "/accounts/users/new/", create_payload(tree, role="enterprise", credit_code="91000000000000000X")
    ).content.decode()
    assert "找不到统一社会信用代码" in body
    assert not User.objects.filter(username="zhang_wei").exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"new_password1": "short1A", "new_password2": "short1A"}, "密码太短"),
        ({"new_password1": "abcdefghij", "new_password2": "abcdefghij"}, "至少3类"),
        ({"new_password2": "Different#9"}, "两次输入的新密码不一致"),
        ({"username": "county_staff"}, "已存在"),
        ({"role": "dept_liaison"}, "必须属于承办单位"),
        ({"role": "sec_admin"}, "选择一个有效的选项"),
        ({"name": ""}, "该字段是必填项"),
    ],
)
def test_given_bad_input_when_creating_then_chinese_error_and_nothing_created(admin, tree, overrides, message):
    before = User.objects.count()
    response = admin.post("/accounts/users/new/", create_payload(tree, **overrides))
    assert response.status_code == 200 and message in response.content.decode()
    assert User.objects.count() == before and not AccountRequest.objects.exists()


def test_given_org_of_another_city_when_creating_then_refused(admin, tree):
    response = admin.post("/accounts/users/new/", create_payload(tree, org=tree.province.pk))
    assert response.status_code == 200 and not User.objects.filter(username="zhang_wei").exists()


def test_given_user_when_editing_then_changes_saved_and_audited_with_before_after(admin, users, tree):
    target = users.county_staff
    response = admin.post(
        f"/accounts/users/{target.pk}/",
        {"name": "新名字", "title": "副主席", "role": "fic_leader", "org": tree.county_b.pk, "credit_code": ""},
    )
    assert response.status_code == 302 and response.url == "/accounts/requests/"
    target.refresh_from_db()
    # name and title at once; role and organisation only after the 安全管理员 approves
    assert (target.name, target.title, target.role, target.org) == ("新名字", "副主席", "fic_staff", tree.county_a)
    approve_pending(users)
    target.refresh_from_db()
    assert (target.role, target.org) == ("fic_leader", tree.county_b)
    entry = AuditEntry.objects.filter(action="accounts.update_user", object_id=str(target.pk)).order_by("id").last()
    assert entry.before["role"] == "fic_staff" and entry.after["role"] == "fic_leader"
    assert entry.after["org_id"] == tree.county_b.pk and entry.actor_id == users.sec_admin.pk


def test_given_admin_account_when_editing_then_404(admin, users):
    for target in (users.sec_admin, users.audit_admin, users.sys_admin):
        assert admin.get(f"/accounts/users/{target.pk}/").status_code == 404


def test_given_user_of_another_city_when_editing_then_404(users, tree, login):
    from qinqing.accounts.actions import create_user
    from qinqing.orgs.actions import create_organization

    changsha = create_organization(kind="fic", name="长沙市工商联", region_code="430100", parent=tree.province)
    other = create_user(username="cs_staff", name="长沙人", role="fic_staff", org=changsha, password=PASSWORD)
    client = login(users.sys_admin)
    assert client.get(f"/accounts/users/{other.pk}/").status_code == 404
    assert client.post(f"/accounts/users/{other.pk}/active/", {"active": "0"}).status_code == 404
    assert client.get(f"/accounts/users/{other.pk}/password/").status_code == 404


def test_given_user_when_disabling_then_cannot_sign_in_and_enabling_restores(admin, users, client_factory=None):
    from django.test import Client

    target = users.county_staff
    assert admin.post(f"/accounts/users/{target.pk}/active/", {"active": "0"}).status_code == 302
    target.refresh_from_db()
    assert not target.is_active
    other = Client()
    assert other.post("/accounts/login/", {"username": "county_staff", "password": PASSWORD}).status_code == 200
    assert AuditEntry.objects.filter(action="accounts.disable_user", object_id=str(target.pk)).exists()

    admin.post(f"/accounts/users/{target.pk}/active/", {"active": "1"})
    target.refresh_from_db()
    assert target.is_active
    assert other.post("/accounts/login/", {"username": "county_staff", "password": PASSWORD}).status_code == 302


def test_given_disabled_user_with_open_session_then_session_stops_working(admin, users):
    from django.test import Client

    victim = Client()
    victim.force_login(users.county_staff)
    assert victim.get("/").status_code == 200
    admin.post(f"/accounts/users/{users.county_staff.pk}/active/", {"active": "0"})
    assert victim.get("/").status_code == 302


def test_set_active_is_post_only(admin, users):
    assert admin.get(f"/accounts/users/{users.county_staff.pk}/active/").status_code == 405


def test_given_reset_password_then_one_time_password_shown_once_must_change_notified_and_sessions_end(admin, users):
    from django.test import Client

    from qinqing.notifications.models import Notification

    victim = Client()
    victim.force_login(users.county_staff)
    assert admin.get(f"/accounts/users/{users.county_staff.pk}/password/").status_code == 200
    response = admin.post(f"/accounts/users/{users.county_staff.pk}/password/")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    password = re.search(r'<code class="one-time-password">([^<]+)</code>', response.content.decode()).group(1)
    users.county_staff.refresh_from_db()
    assert users.county_staff.must_change_password and users.county_staff.check_password(password)
    assert password not in str(list(AuditEntry.objects.values_list("before", "after", "message")))
    assert victim.get("/").status_code == 302  # the session hash no longer matches
    assert AuditEntry.objects.filter(action="accounts.reset_password").count() == 1
    assert Notification.objects.filter(recipient=users.county_staff, kind="account_security").count() == 1
    # the one-time password opens only the password-change page
    fresh = Client()
    fresh.post("/accounts/login/", {"username": "county_staff", "password": password})
    assert fresh.get("/").url == "/accounts/password/"


def test_given_reset_form_then_the_administrator_cannot_choose_the_password(admin, users):
    admin.post(
        f"/accounts/users/{users.county_staff.pk}/password/",
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    users.county_staff.refresh_from_db()
    assert not users.county_staff.check_password(NEW_PASSWORD)


@pytest.mark.parametrize("role", ["sec_admin", "audit_admin", "county_staff", "leader", "enterprise"])
def test_given_other_roles_when_opening_user_admin_then_403(users, login, role):
    client = login(getattr(users, role))
    for path in ("/accounts/users/", "/accounts/users/new/", f"/accounts/users/{users.banker.pk}/"):
        assert client.get(path).status_code == 403, path
    assert AuditEntry.objects.filter(action="security.permission_denied").exists()


def test_given_anonymous_when_opening_user_admin_then_sent_to_login(client, users):
    response = client.get("/accounts/users/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
