"""The only code that writes accounts: create, edit, passwords, enable/disable, unlock, API tokens.

``actor=None`` means the platform itself (a management command, the demo seeder, a test fixture);
every other caller passes the signed-in administrator, whose right and scope are checked here so the
pages, the API and scripts behave the same.
"""

from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qinqing.core import audit
from qinqing.core.roles import ADMIN_ROLES, ROLE_ORG_KIND, Role
from qinqing.orgs.choices import OrgKind

from .models import PasswordHistory, User

AUDITED_FIELDS = ("username", "name", "role", "org_id", "enterprise_id", "title", "is_active")
EDITABLE_FIELDS = ("name", "title", "role", "org_id", "enterprise_id")


def _check_manager(actor, *, org=None, role: str | None = None, target: User | None = None) -> None:
    """A 系统管理员 manages ordinary accounts inside their own subtree; the three administrators
    themselves are created and maintained only by ``manage.py create_admin`` (三员分立)."""
    if actor is None:
        return
    if not actor.has_perm("accounts.manage_user"):
        raise PermissionDenied(_("您的账号没有管理用户的权限"))
    scope = actor.org.path
    if target is not None:
        if not target.org.path.startswith(scope):
            raise PermissionDenied(_("该账号不在您的管辖范围内"))
        if target.pk == actor.pk:
            raise ValidationError({"__all__": _("不能修改自己的账号，请联系其他管理员")})
        if target.role in ADMIN_ROLES:
            raise ValidationError({"role": _("三员账号（系统、安全、审计管理员）只能由部署人员用命令维护")})
    if role is not None and role in ADMIN_ROLES:
        raise ValidationError({"role": _("不能在页面上授予三员角色（系统、安全、审计管理员）")})
    if org is not None and not org.path.startswith(scope):
        raise ValidationError({"org": _("组织“%(org)s”不在您的管辖范围内") % {"org": org.name}})


def _check_role_fields(*, role: str, org, enterprise) -> dict[str, str]:
    errors: dict[str, str] = {}
    if role not in Role.values:
        errors["role"] = _("角色不存在")
    elif org.kind != ROLE_ORG_KIND[Role(role)]:
        kind_label = OrgKind(ROLE_ORG_KIND[Role(role)]).label
        errors["org"] = _("“%(role)s”必须属于%(kind)s，而“%(org)s”不是%(kind)s") % {
            "role": Role(role).label,
            "kind": kind_label,
            "org": org.name,
        }
    if role == Role.ENTERPRISE:
        if enterprise is None:
            errors["enterprise"] = _("企业用户必须指定所属企业")
        elif not enterprise.org_path.startswith(org.path):
            errors["enterprise"] = _("企业“%(enterprise)s”不属于“%(org)s”") % {
                "enterprise": enterprise.name,
                "org": org.name,
            }
    elif enterprise is not None:
        errors["enterprise"] = _("只有企业用户才能关联企业")
    return errors


def _validate_password(password: str, user: User, field: str) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None


def _revoke_api_token(user: User) -> None:
    from rest_framework.authtoken.models import Token

    Token.objects.filter(user=user).delete()


@transaction.atomic
def create_user(
    *,
    username: str,
    name: str,
    role: str,
    org,
    password: str,
    actor=None,
    enterprise=None,
    title: str = "",
    must_change_password: bool = True,
    validate_password: bool = True,
) -> User:
    username = (username or "").strip()
    name = (name or "").strip()
    _check_manager(actor, org=org, role=role)
    errors = _check_role_fields(role=role, org=org, enterprise=enterprise)
    if not username:
        errors["username"] = _("账号不能为空")
    elif User.objects.filter(username=username).exists():
        errors["username"] = _("账号“%(username)s”已存在") % {"username": username}
    if not name:
        errors["name"] = _("姓名不能为空")
    if errors:
        raise ValidationError(errors)
    user = User(
        username=username,
        name=name,
        role=role,
        org=org,
        enterprise=enterprise,
        title=title,
        must_change_password=must_change_password,
    )
    if validate_password:
        _validate_password(password, user, "password")
    user.set_password(password)
    user.save()
    audit.record("accounts.create_user", obj=user, actor=actor, after=audit.snapshot(user, AUDITED_FIELDS))
    return user


@transaction.atomic
def update_user(user: User, *, actor, name: str, title: str = "", role: str, org, enterprise=None) -> User:
    """Change name, title, role, organisation (and enterprise for enterprise users)."""
    _check_manager(actor, org=org, role=role, target=user)
    errors = _check_role_fields(role=role, org=org, enterprise=enterprise)
    if not (name or "").strip():
        errors["name"] = _("姓名不能为空")
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(user, EDITABLE_FIELDS)
    user.name = name.strip()
    user.title = title.strip()
    user.role = role
    user.org = org
    user.enterprise = enterprise
    after = audit.snapshot(user, EDITABLE_FIELDS)
    if after == before:
        return user
    user.save(update_fields=["name", "title", "role", "org", "enterprise", "updated_at"])
    if before["role"] != after["role"] or before["org_id"] != after["org_id"]:
        _revoke_api_token(user)  # a token must not outlive the rights it was issued under
    changed_before, changed_after = audit.diff(before, after)
    audit.record("accounts.update_user", obj=user, actor=actor, before=changed_before, after=changed_after)
    return user


@transaction.atomic
def change_password(user: User, *, new_password: str, actor=None) -> User:
    """The user's own change: validate against the policy (including history), keep the old hash."""
    _validate_password(new_password, user, "new_password1")
    if user.password:
        PasswordHistory.objects.create(user=user, password=user.password)
    user.set_password(new_password)
    user.password_changed_at = timezone.now()
    user.must_change_password = False
    user.save(update_fields=["password", "password_changed_at", "must_change_password", "updated_at"])
    _revoke_api_token(user)  # a token obtained with the old password must not outlive it
    audit.record("accounts.change_password", obj=user, actor=actor or user)
    return user


@transaction.atomic
def reset_password(user: User, *, new_password: str, actor) -> User:
    """An administrator sets a temporary password; the user must change it at the next sign-in.

    Changing the hash also ends the user's open sessions (Django checks the session auth hash)."""
    _check_manager(actor, target=user)
    _validate_password(new_password, user, "new_password1")
    if user.password:
        PasswordHistory.objects.create(user=user, password=user.password)
    user.set_password(new_password)
    user.password_changed_at = timezone.now()
    user.must_change_password = True
    user.save(update_fields=["password", "password_changed_at", "must_change_password", "updated_at"])
    _revoke_api_token(user)
    audit.record("accounts.reset_password", obj=user, actor=actor)
    return user


@transaction.atomic
def set_active(user: User, *, active: bool, actor) -> User:
    _check_manager(actor, target=user)
    before = audit.snapshot(user, ["is_active"])
    if before["is_active"] == active:
        return user
    user.is_active = active
    user.save(update_fields=["is_active", "updated_at"])
    if not active:
        _revoke_api_token(user)
    audit.record(
        "accounts.enable_user" if active else "accounts.disable_user",
        obj=user,
        actor=actor,
        before=before,
        after=audit.snapshot(user, ["is_active"]),
    )
    return user


@transaction.atomic
def unlock_user(username: str, *, actor) -> int:
    """Clear the lockout of one username (安全管理员 only)."""
    from axes.utils import reset

    if actor is not None:
        if not actor.has_perm("accounts.unlock_user"):
            raise PermissionDenied(_("您的账号没有解锁权限"))
        from .lockouts import username_in_scope

        if not username_in_scope(actor, username):
            raise PermissionDenied(_("该账号不在您的管辖范围内"))
    count = reset(username=username)
    audit.record(
        "security.unlock",
        actor=actor,
        object_type="accounts.user",
        object_repr=username[:255],
        after={"cleared_attempts": count},
    )
    return count


@transaction.atomic
def issue_api_token(user: User, *, ip: str | None = None):
    """A fresh API token after a successful password check (the previous one stops working).

    Like a web sign-in, success clears the username's failure counter."""
    from axes.utils import reset
    from rest_framework.authtoken.models import Token

    _revoke_api_token(user)
    token = Token.objects.create(user=user)
    reset(username=user.username)
    audit.record("security.token_issued", obj=user, actor=user, ip=ip)
    return token
