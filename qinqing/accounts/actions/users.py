"""Accounts: create, edit, passwords, enable/disable, unlock, API tokens."""

import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qinqing.core import audit

from ..models import ApiToken, PasswordHistory, User
from .common import (
    AUDITED_FIELDS,
    EDITABLE_FIELDS,
    _check_manager,
    _check_role_fields,
    _revoke_api_token,
    _validate_password,
    token_digest,
)


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
    password_hash: str = "",
    approved_by=None,
) -> User:
    """Create an account at once: for the platform itself (``actor=None``: commands, seeding, fixtures)
    and for an approved AccountRequest. An administrator on a page proposes instead (propose_account)."""
    username = (username or "").strip()
    name = (name or "").strip()
    _check_manager(actor, org=org, role=role)
    if actor is not None:
        raise PermissionDenied(_("新建账号须经安全管理员审批：请提交账号申请"))
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
    if password_hash:
        user.password = password_hash
    else:
        if validate_password:
            _validate_password(password, user, "password")
        user.set_password(password)
    user.save()
    audit.record(
        "accounts.create_user", obj=user, actor=approved_by or actor, after=audit.snapshot(user, AUDITED_FIELDS)
    )
    return user


@transaction.atomic
def update_user(user: User, *, actor, name: str, title: str = "", role: str, org, enterprise=None) -> User:
    """Change name, title, role, organisation (and enterprise for enterprise users).

    A signed-in administrator changes name and title here; a change of role, organisation or enterprise
    goes through propose_change and takes effect when a 安全管理员 approves it."""
    _check_manager(actor, org=org, role=role, target=user)
    if actor is not None and (role, org.pk, getattr(enterprise, "pk", None)) != (
        user.role,
        user.org_id,
        user.enterprise_id,
    ):
        raise PermissionDenied(_("变更角色、组织或所属企业须经安全管理员审批：请提交账号申请"))
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


def new_one_time_password() -> str:
    """A random temporary password that satisfies every character class (the user replaces it at once)."""
    return f"Qq-{secrets.token_urlsafe(9)}-{secrets.randbelow(90) + 10}a"


@transaction.atomic
def reset_password(user: User, *, actor) -> str:
    """An administrator resets a password: the platform draws a one-time password (the administrator
    never chooses one), the user must replace it at the next sign-in, the user is notified, and
    everything the old password opened (sessions, API tokens) stops working. Returns the one-time
    password, to be handed over once; it is not stored anywhere in clear."""
    from qinqing.notifications.actions import notify

    _check_manager(actor, target=user)
    password = new_one_time_password()
    if user.password:
        PasswordHistory.objects.create(user=user, password=user.password)
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.must_change_password = True
    user.save(update_fields=["password", "password_changed_at", "must_change_password", "updated_at"])
    _revoke_api_token(user)
    audit.record("accounts.reset_password", obj=user, actor=actor, after={"must_change_password": True})
    notify(
        [user],
        kind="account_security",
        title=_("您的登录密码已被管理员重置"),
        body=_(
            "%(admin)s 于 %(time)s 重置了您的密码。请使用管理员当面交给您的一次性密码登录并立即修改；"
            "如非本人申请，请联系安全管理员。"
        )
        % {"admin": actor.name if actor else _("平台"), "time": timezone.localtime().strftime("%Y-%m-%d %H:%M")},
        key=f"accounts.reset_password:{user.pk}:{user.password_changed_at.timestamp()}",
    )
    return password


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
    """Clear the lockout of one username (安全管理员 only); the axes handler writes the audit row."""
    from axes.utils import reset

    from ..lockouts import unlocking_as, username_in_scope

    if actor is not None:
        if not actor.has_perm("accounts.unlock_user"):
            raise PermissionDenied(_("您的账号没有解锁权限"))
        if not username_in_scope(actor, username):
            raise PermissionDenied(_("该账号不在您的管辖范围内"))
    with unlocking_as(actor):
        return reset(username=username)


@dataclass(frozen=True)
class IssuedToken:
    key: str  # shown once; only its digest is stored
    token: ApiToken


@transaction.atomic
def issue_api_token(user: User, *, ip: str | None = None) -> IssuedToken:
    """A fresh API token after a successful password check (the previous one stops working).

    Like a web sign-in, success clears the failure counter of this (username, address) pair."""
    from ..lockouts import clear_after_success

    _revoke_api_token(user)
    key = secrets.token_hex(20)
    token = ApiToken.objects.create(user=user, prefix=key[:8], digest=token_digest(key))
    clear_after_success(user.username, ip)
    audit.record("security.token_issued", obj=user, actor=user, ip=ip, after={"prefix": token.prefix})
    return IssuedToken(key=key, token=token)


@transaction.atomic
def revoke_api_tokens(user: User, *, actor) -> int:
    """The user ends every API token (offered on sign-out)."""
    count = _revoke_api_token(user)
    if count:
        audit.record("security.tokens_revoked", obj=user, actor=actor, after={"revoked": count})
    return count
