"""Account actions called directly: invariants, the actor's right and scope, audit rows."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import PASSWORD
from qinqing.accounts import actions
from qinqing.accounts.models import ApiToken, User
from qinqing.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_given_enterprise_of_another_county_when_creating_enterprise_user_then_refused(tree, users):
    with pytest.raises(ValidationError) as exc:
        actions.create_user(
            username="e1", name="企业", role="enterprise", org=tree.county_a, enterprise=tree.ent_b, password=PASSWORD
        )
    assert "不属于" in exc.value.message_dict["enterprise"][0]


def test_given_enterprise_on_a_non_enterprise_role_then_refused(tree):
    with pytest.raises(ValidationError) as exc:
        actions.create_user(
            username="e1", name="x", role="fic_staff", org=tree.county_a, enterprise=tree.ent_a, password=PASSWORD
        )
    assert "enterprise" in exc.value.message_dict


def test_given_blank_username_or_name_then_refused(tree):
    with pytest.raises(ValidationError) as exc:
        actions.create_user(username=" ", name="", role="fic_staff", org=tree.city, password=PASSWORD)
    assert {"username", "name"} <= set(exc.value.message_dict)


def test_given_org_outside_the_actor_subtree_then_refused(users, tree):
    with pytest.raises(ValidationError) as exc:
        actions.create_user(
            username="p1", name="x", role="fic_staff", org=tree.province, password=PASSWORD, actor=users.sys_admin
        )
    assert "不在您的管辖范围内" in exc.value.message_dict["org"][0]


def test_given_no_change_when_updating_then_no_audit_row(users):
    target = users.county_staff
    before = AuditEntry.objects.count()
    actions.update_user(target, actor=users.sys_admin, name=target.name, role=target.role, org=target.org)
    assert AuditEntry.objects.count() == before


def test_given_approved_role_change_then_api_token_revoked(users, tree):
    actions.issue_api_token(users.county_staff)
    proposal = actions.propose_change(users.county_staff, actor=users.sys_admin, role="fic_leader", org=tree.county_a)
    assert ApiToken.objects.filter(user=users.county_staff).exists()  # nothing happens before approval
    actions.approve_request(proposal, actor=users.sec_admin)
    assert not ApiToken.objects.filter(user=users.county_staff).exists()


def test_given_own_account_when_editing_or_disabling_then_refused(users, tree):
    with pytest.raises(ValidationError):
        actions.set_active(users.sys_admin, active=False, actor=users.sys_admin)
    with pytest.raises(ValidationError):
        actions.update_user(users.sys_admin, actor=users.sys_admin, name="x", role="fic_staff", org=tree.city)


def test_given_user_outside_scope_when_disabling_then_permission_denied(users, tree):
    outsider = actions.create_user(username="p1", name="x", role="fic_staff", org=tree.province, password=PASSWORD)
    with pytest.raises(PermissionDenied):
        actions.set_active(outsider, active=False, actor=users.sys_admin)
    outsider.refresh_from_db()
    assert outsider.is_active


def test_given_same_state_when_setting_active_then_nothing_recorded(users):
    before = AuditEntry.objects.count()
    actions.set_active(users.county_staff, active=True, actor=users.sys_admin)
    assert AuditEntry.objects.count() == before


def test_given_reset_password_then_history_kept_and_old_password_cannot_come_back(users):
    target = users.county_staff
    actions.reset_password(target, actor=users.sys_admin)
    with pytest.raises(ValidationError):
        actions.change_password(User.objects.get(pk=target.pk), new_password=PASSWORD)


def test_given_unlock_by_sec_admin_outside_scope_then_permission_denied(users, tree):
    actions.create_user(username="p1", name="x", role="fic_staff", org=tree.province, password=PASSWORD)
    with pytest.raises(PermissionDenied):
        actions.unlock_user("p1", actor=users.sec_admin)
    assert actions.unlock_user("county_staff", actor=users.sec_admin) == 0
    assert AuditEntry.objects.filter(action="security.unlock", object_repr="county_staff").exists()
