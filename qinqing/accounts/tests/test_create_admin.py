"""manage.py create_admin: the only way to create the three administrators; no createsuperuser."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from conftest import PASSWORD
from qinqing.accounts.models import User
from qinqing.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def run(**options):
    out = StringIO()
    call_command("create_admin", stdout=out, **options)
    return out.getvalue()


@pytest.mark.parametrize("role", ["sys_admin", "sec_admin", "audit_admin"])
def test_given_fresh_deployment_when_creating_each_admin_then_created_with_only_its_rights(tree, role):
    output = run(username=f"a_{role}", name="管理员", role=role, org_code="430000", password=PASSWORD)
    user = User.objects.get(username=f"a_{role}")
    assert user.role == role and user.org == tree.province and user.check_password(PASSWORD)
    assert not user.must_change_password and "已创建" in output
    assert AuditEntry.objects.filter(action="accounts.create_user", object_id=str(user.pk)).exists()


def test_given_three_admins_then_their_rights_do_not_overlap(tree):
    for role in ("sys_admin", "sec_admin", "audit_admin"):
        run(username=role, name=role, role=role, org_code="430000", password=PASSWORD)
    sys_admin, sec_admin, audit_admin = (
        User.objects.get(username=r) for r in ("sys_admin", "sec_admin", "audit_admin")
    )
    assert sys_admin.has_perm("accounts.manage_user") and not sys_admin.has_perm("accounts.unlock_user")
    assert sec_admin.has_perm("accounts.unlock_user") and not sec_admin.has_perm("accounts.manage_user")
    assert audit_admin.get_all_permissions() == {"core.view_auditentry"}
    assert not sys_admin.has_perm("core.view_auditentry") and not sec_admin.has_perm("core.view_auditentry")


def test_given_weak_password_then_refused_in_chinese(tree):
    with pytest.raises(CommandError, match="至少3类"):
        run(username="a", name="管理员", role="sys_admin", org_code="430000", password="abcdefghijk")
    assert not User.objects.filter(username="a").exists()


def test_given_unknown_org_code_then_refused(tree):
    with pytest.raises(CommandError, match="组织编码"):
        run(username="a", name="管理员", role="sys_admin", org_code="999999", password=PASSWORD)


def test_given_non_admin_role_then_refused(tree):
    with pytest.raises(CommandError):
        run(username="a", name="x", role="fic_staff", org_code="430000", password=PASSWORD)


def test_given_existing_username_then_refused(tree):
    run(username="a", name="管理员", role="sys_admin", org_code="430000", password=PASSWORD)
    with pytest.raises(CommandError, match="已存在"):
        run(username="a", name="管理员", role="sec_admin", org_code="430000", password=PASSWORD)


def test_given_no_password_and_no_terminal_then_refused(tree, monkeypatch):
    monkeypatch.delenv("QINQING_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", StringIO())
    with pytest.raises(CommandError, match="--password"):
        run(username="a", name="管理员", role="sys_admin", org_code="430000")


def test_given_password_in_environment_then_used(tree, monkeypatch):
    monkeypatch.setenv("QINQING_ADMIN_PASSWORD", PASSWORD)
    run(username="a", name="管理员", role="audit_admin", org_code="430000", must_change_password=True)
    user = User.objects.get(username="a")
    assert user.check_password(PASSWORD) and user.must_change_password


def test_createsuperuser_is_refused(tree):
    with pytest.raises((NotImplementedError, CommandError)):
        User.objects.create_superuser("root", PASSWORD)
