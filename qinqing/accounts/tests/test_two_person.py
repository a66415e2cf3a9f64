"""三员分立: accounts and role changes take two people; administrators hold no business right and
nobody can act as another user."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from conftest import PASSWORD
from qinqing.accounts import actions
from qinqing.accounts.forms import UserCreateForm
from qinqing.accounts.models import AccountRequest, User
from qinqing.core.models import AuditEntry
from qinqing.core.roles import ADMIN_ROLES, Role, permissions_for

pytestmark = pytest.mark.django_db

NEW = "Yueyang#Lake1"
# The reviewed list of configuration dictionaries (no case or person data) lives with the core test.
from qinqing.core.tests.test_security_admin_separation import (  # noqa: E402
    ADMIN_APPS,
    CONFIGURATION_PERMISSIONS,
)

CONFIGURATION = set().union(*CONFIGURATION_PERMISSIONS.values())


def propose(users, tree, **extra):
    data = {"username": "zhang_wei", "name": "张伟", "role": "fic_leader", "org": tree.county_a, "password": NEW}
    data.update(extra)
    return actions.propose_account(actor=users.sys_admin, **data)


def test_given_a_proposal_then_nothing_exists_until_the_security_admin_approves(users, tree):
    proposal = propose(users, tree)
    assert proposal.status == "pending" and not User.objects.filter(username="zhang_wei").exists()
    assert proposal.password_hash and NEW not in proposal.password_hash

    user = actions.approve_request(proposal, actor=users.sec_admin)

    assert user.role == "fic_leader" and user.must_change_password and user.check_password(NEW)
    proposal.refresh_from_db()
    assert proposal.status == "approved" and proposal.decided_by == users.sec_admin and not proposal.password_hash
    actions_logged = list(AuditEntry.objects.order_by("id").values_list("action", "actor_id"))
    assert ("accounts.propose_account", users.sys_admin.pk) in actions_logged
    assert ("accounts.create_user", users.sec_admin.pk) in actions_logged
    assert ("accounts.approve_request", users.sec_admin.pk) in actions_logged


def test_given_the_system_admin_then_no_account_or_role_change_takes_effect_alone(users, tree):
    with pytest.raises(PermissionDenied):
        actions.create_user(
            username="x", name="x", role="fic_staff", org=tree.city, password=NEW, actor=users.sys_admin
        )
    with pytest.raises(PermissionDenied):
        actions.update_user(users.county_staff, actor=users.sys_admin, name="x", role="fic_leader", org=tree.county_a)
    proposal = propose(users, tree)
    with pytest.raises(PermissionDenied):
        actions.approve_request(proposal, actor=users.sys_admin)
    with pytest.raises(PermissionDenied):
        actions.approve_request(proposal, actor=users.audit_admin)
    assert not User.objects.filter(username="zhang_wei").exists()


def test_given_the_security_admin_then_it_cannot_propose(users, tree):
    with pytest.raises(PermissionDenied):
        actions.propose_account(
            actor=users.sec_admin, username="x", name="x", role="fic_staff", org=tree.city, password=NEW
        )
    with pytest.raises(PermissionDenied):
        actions.propose_change(users.county_staff, actor=users.sec_admin, role="fic_leader", org=tree.county_a)


def test_given_a_role_change_then_applied_only_on_approval_and_rejection_changes_nothing(users, tree):
    change = actions.propose_change(users.county_staff, actor=users.sys_admin, role="fic_leader", org=tree.county_a)
    users.county_staff.refresh_from_db()
    assert users.county_staff.role == "fic_staff"
    actions.reject_request(change, actor=users.sec_admin, reason="无依据")
    users.county_staff.refresh_from_db()
    assert users.county_staff.role == "fic_staff"
    assert AuditEntry.objects.get(action="accounts.reject_request").after["reason"] == "无依据"
    with pytest.raises(ValidationError):
        actions.approve_request(change, actor=users.sec_admin)  # decided once only


def test_given_a_proposal_then_both_administrators_see_it_and_only_the_security_admin_decides(users, tree, login):
    propose(users, tree)
    sys_page = login(users.sys_admin).get("/accounts/requests/").content.decode()
    assert "zhang_wei" in sys_page and 'value="approve"' not in sys_page and 'value="cancel"' in sys_page
    client = Client()
    client.force_login(users.sec_admin)
    sec_page = client.get("/accounts/requests/").content.decode()
    assert "zhang_wei" in sec_page and 'value="approve"' in sec_page
    proposal = AccountRequest.objects.get()
    # the system administrator's "approve" is refused
    login(users.sys_admin).post(f"/accounts/requests/{proposal.pk}/decide/", {"decision": "approve"})
    assert not User.objects.filter(username="zhang_wei").exists()
    response = client.post(f"/accounts/requests/{proposal.pk}/decide/", {"decision": "approve"})
    assert response.status_code == 302 and User.objects.filter(username="zhang_wei").exists()
    for role in ("county_staff", "audit_admin", "leader"):
        assert login(getattr(users, role)).get("/accounts/requests/").status_code == 403


def test_given_a_proposal_of_another_city_then_the_security_admin_gets_404(users, tree, login):
    from qinqing.orgs.actions import create_organization

    changsha = create_organization(kind="fic", name="长沙市工商联", region_code="430100", parent=tree.province)
    top_admin = actions.create_user(
        username="prov_sys", name="省系统管理员", role="sys_admin", org=tree.province, password=PASSWORD
    )
    proposal = actions.propose_account(
        actor=top_admin, username="cs1", name="长沙人", role="fic_staff", org=changsha, password=NEW
    )
    assert (
        login(users.sec_admin).post(f"/accounts/requests/{proposal.pk}/decide/", {"decision": "approve"}).status_code
        == 404
    )
    with pytest.raises(PermissionDenied):
        actions.approve_request(proposal, actor=users.sec_admin)


def test_given_the_proposer_then_it_can_withdraw(users, tree):
    proposal = propose(users, tree)
    actions.cancel_request(proposal, actor=users.sys_admin)
    proposal.refresh_from_db()
    assert proposal.status == "cancelled" and not proposal.password_hash


# --- no administrator holds business rights, whatever the pages and API allow --------------------


def _business(perms) -> set[str]:
    return {p for p in perms if p.split(".")[0] not in ADMIN_APPS} - CONFIGURATION


def test_given_every_role_and_organisation_the_create_page_offers_then_never_an_administrator(users, tree):
    form = UserCreateForm(users.sys_admin)
    roles = [value for value, _label in form.fields["role"].choices if value]
    orgs = list(form.fields["org"].queryset)
    assert roles and orgs and not set(roles) & ADMIN_ROLES
    for role in ADMIN_ROLES:  # also refused when posted by hand
        for org in orgs:
            with pytest.raises(ValidationError):
                actions.propose_account(actor=users.sys_admin, username="x", name="x", role=role, org=org, password=NEW)


@pytest.mark.parametrize("admin_role", sorted(ADMIN_ROLES))
def test_given_an_administrator_account_then_no_page_or_api_can_give_it_another_role(users, tree, login, admin_role):
    target = next(u for u in (users.sys_admin, users.sec_admin, users.audit_admin) if u.role == admin_role)
    client = login(users.sys_admin)
    for role in Role.values:
        response = client.post(
            f"/accounts/users/{target.pk}/",
            {"name": "x", "title": "", "role": role, "org": tree.city.pk, "credit_code": ""},
        )
        assert response.status_code == 404
        with pytest.raises((ValidationError, PermissionDenied)):
            actions.propose_change(target, actor=users.sys_admin, role=role, org=tree.city)
    api = client.patch(f"/api/v1/users/{target.pk}/", {"role": "fic_leader"}, content_type="application/json")
    assert api.status_code == 405  # the user API is read-only
    target.refresh_from_db()
    assert target.role == admin_role and not _business(target.get_all_permissions())


def test_given_a_forged_request_naming_an_administrator_role_then_approval_refuses(users, tree):
    forged = AccountRequest.objects.create(
        kind="create", username="sneaky", name="x", role="audit_admin", org=tree.city, proposed_by=users.sys_admin
    )
    with pytest.raises(ValidationError):
        actions.approve_request(forged, actor=users.sec_admin)
    assert not User.objects.filter(username="sneaky").exists()


def test_no_combination_of_the_three_administrator_roles_holds_a_business_permission():
    from itertools import combinations

    for size in (1, 2, 3):
        for roles in combinations(sorted(ADMIN_ROLES), size):
            held = set().union(*(permissions_for(r) for r in roles))
            assert not _business(held), (roles, _business(held))


# --- no impersonation path -------------------------------------------------------------------------


def test_no_url_or_installed_app_lets_anyone_act_as_another_user():
    from qinqing.core.tests.test_security_admin_separation import routes

    words = re.compile(r"impersonat|hijack|login[_-]?as|switch[_-]?user|\bsu\b|sudo|masquerade", re.I)
    assert not [route for route, _callback in routes() if words.search(route)]
    assert not [app for app in settings.INSTALLED_APPS if words.search(app)]


def test_only_the_sign_in_views_start_a_session():
    root = Path(settings.BASE_DIR) / "qinqing"
    starters = set()
    for path in root.rglob("*.py"):
        if "/tests/" in str(path) or "/migrations/" in str(path):
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"\bauth_login\(|\blogin\(request|force_login\(", text):
            starters.add(str(path.relative_to(root)))
    assert starters <= {"accounts/views.py"}, starters


def test_given_a_password_reset_then_the_administrator_never_chose_or_stored_it(users):
    password = actions.reset_password(users.county_staff, actor=users.sys_admin)
    users.county_staff.refresh_from_db()
    assert users.county_staff.check_password(password) and users.county_staff.must_change_password
    logged = str(list(AuditEntry.objects.values_list("before", "after", "message", "object_repr")))
    assert password not in logged
