"""The 安全管理员's page: locked-out usernames, recent failures, unlock."""

import pytest
from axes.models import AccessAttempt
from django.test import Client

from conftest import PASSWORD
from qinqing.core.models import AuditEntry

from .conftest import sign_in

pytestmark = pytest.mark.django_db


def lock(username, ip="10.0.0.1"):
    client = Client(REMOTE_ADDR=ip)
    for _ in range(5):
        sign_in(client, username, "Wrong@Password1")


def test_given_locked_user_when_sec_admin_opens_page_then_listed_with_failures(users, login):
    lock("county_staff")
    sign_in(Client(REMOTE_ADDR="10.0.0.2"), "banker", "Wrong@Password1")  # one failure: not locked

    response = login(users.sec_admin).get("/accounts/security/")

    body = response.content.decode()
    assert response.status_code == 200
    locked_table = body.split("最近的登录失败")[0]
    assert "county_staff" in locked_table and "banker" not in locked_table
    assert "banker" in body.split("最近的登录失败")[1]
    assert "解锁" in locked_table


def test_given_locked_user_when_sec_admin_unlocks_then_sign_in_works_and_audited(users, login):
    lock("county_staff")
    client = login(users.sec_admin)

    response = client.post("/accounts/security/unlock/", {"username": "county_staff"})

    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="county_staff").exists()
    assert sign_in(Client(), "county_staff", PASSWORD).status_code == 302
    entry = AuditEntry.objects.get(action="security.unlock")
    assert entry.actor_id == users.sec_admin.pk and entry.object_repr == "county_staff"


def test_unlock_is_post_only(users, login):
    assert login(users.sec_admin).get("/accounts/security/unlock/").status_code == 405


def test_given_user_of_another_city_when_unlocking_then_404_and_still_locked(users, tree, login):
    from qinqing.accounts.actions import create_user
    from qinqing.orgs.actions import create_organization

    changsha = create_organization(kind="fic", name="长沙市工商联", region_code="430100", parent=tree.province)
    create_user(username="cs_staff", name="长沙人", role="fic_staff", org=changsha, password=PASSWORD)
    lock("cs_staff")
    client = login(users.sec_admin)  # at the city of 岳阳

    assert "cs_staff" not in client.get("/accounts/security/").content.decode()
    assert client.post("/accounts/security/unlock/", {"username": "cs_staff"}).status_code == 404
    assert AccessAttempt.objects.filter(username="cs_staff").exists()


def test_given_unknown_username_then_only_a_top_level_sec_admin_sees_it(users, tree, login):
    from qinqing.accounts.actions import create_user

    lock("no_such_user")
    assert "no_such_user" not in login(users.sec_admin).get("/accounts/security/").content.decode()
    top = create_user(
        username="prov_sec",
        name="省安全员",
        role="sec_admin",
        org=tree.province,
        password=PASSWORD,
        must_change_password=False,
    )
    assert "no_such_user" in login(top).get("/accounts/security/").content.decode()


@pytest.mark.parametrize("role", ["sys_admin", "audit_admin", "county_staff", "leader"])
def test_given_other_roles_when_opening_security_then_403(users, login, role):
    lock("lawyer")
    client = login(getattr(users, role))
    assert client.get("/accounts/security/").status_code == 403
    assert client.post("/accounts/security/unlock/", {"username": "lawyer"}).status_code == 403
    assert AccessAttempt.objects.filter(username="lawyer").exists()


def test_security_page_query_count(users, login, django_assert_max_num_queries):
    for i in range(5):
        lock("county_staff", ip=f"10.0.0.{i}")
        lock("banker", ip=f"10.0.1.{i}")
    client = login(users.sec_admin)
    with django_assert_max_num_queries(14):
        assert client.get("/accounts/security/").status_code == 200


def test_given_htmx_when_paging_failures_then_partial(users, login):
    lock("county_staff")
    response = login(users.sec_admin).get("/accounts/security/", HTTP_HX_REQUEST="true")
    assert "<html" not in response.content.decode() and "county_staff" in response.content.decode()


def test_given_a_locked_pair_and_a_locked_username_then_the_page_shows_their_scope(users, login):
    lock("county_staff", ip="10.0.0.9")  # one address: only that pair
    for i in range(3):  # three addresses: the whole username
        for _ in range(2):
            sign_in(Client(REMOTE_ADDR=f"10.1.0.{i}"), "liaison", "Wrong@Password1")

    body = login(users.sec_admin).get("/accounts/security/").content.decode().split("最近的登录失败")[0]

    assert "仅地址 10.0.0.9" in body and "全部地址" in body
    row_of = {name: body.split(name, 1)[1].split("</tr>", 1)[0] for name in ("county_staff", "liaison")}
    assert "仅地址" in row_of["county_staff"] and "全部地址" in row_of["liaison"]
