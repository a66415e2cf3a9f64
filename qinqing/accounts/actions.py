"""The only code that writes accounts: create, edit, passwords, enable/disable, unlock, API tokens,
account requests (two-person rule) and the TOTP second factor.

``actor=None`` means the platform itself (a management command, the demo seeder, a test fixture);
every other caller passes the signed-in administrator, whose right and scope are checked here so the
pages, the API and scripts behave the same.
"""

import hashlib
import secrets
from dataclasses import dataclass

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qinqing.core import audit
from qinqing.core.roles import ADMIN_ROLES, Role, org_kinds_for
from qinqing.orgs.choices import OrgKind

from . import totp
from .models import AccountRequest, ApiToken, PasswordHistory, RecoveryCode, TOTPDevice, User

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
    elif org.kind not in org_kinds_for(role):
        kind_label = _("或").join(str(OrgKind(kind).label) for kind in org_kinds_for(role))
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


def _revoke_api_token(user: User) -> int:
    count, _by_model = ApiToken.objects.filter(user=user).delete()
    return count


def token_digest(key: str) -> str:
    """Tokens are 160 random bits, so a plain SHA-256 is enough (no slow KDF needed to resist guessing)."""
    return hashlib.sha256(key.encode()).hexdigest()


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

    from .lockouts import unlocking_as, username_in_scope

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
    from .lockouts import clear_after_success

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


# --- Two-person rule: account requests -------------------------------------------------------------


def _notify_request(request: AccountRequest, recipients, title: str) -> None:
    from qinqing.notifications.actions import notify

    notify(
        recipients,
        kind="account_request",
        title=title,
        url="/accounts/requests/",
        key=f"accounts.request:{request.pk}:{request.status}",
    )


def _approvers(org):
    return [
        u
        for u in User.objects.filter(role=Role.SEC_ADMIN, is_active=True).select_related("org")
        if org.path.startswith(u.org.path)
    ]


@transaction.atomic
def propose_account(
    *, actor, username: str, name: str, role: str, org, password: str, enterprise=None, title: str = ""
) -> AccountRequest:
    """A 系统管理员 proposes a new account; nothing exists until a 安全管理员 approves."""
    if actor is None or not actor.has_perm("accounts.manage_user"):
        raise PermissionDenied(_("您的账号没有管理用户的权限"))
    username = (username or "").strip()
    name = (name or "").strip()
    _check_manager(actor, org=org, role=role)
    errors = _check_role_fields(role=role, org=org, enterprise=enterprise)
    if not username:
        errors["username"] = _("账号不能为空")
    elif User.objects.filter(username=username).exists():
        errors["username"] = _("账号“%(username)s”已存在") % {"username": username}
    elif AccountRequest.objects.filter(username=username, status=AccountRequest.Status.PENDING).exists():
        errors["username"] = _("账号“%(username)s”已有待审批的申请") % {"username": username}
    if not name:
        errors["name"] = _("姓名不能为空")
    if errors:
        raise ValidationError(errors)
    _validate_password(password, User(username=username, name=name, role=role, org=org), "password")
    request = AccountRequest.objects.create(
        kind=AccountRequest.Kind.CREATE,
        username=username,
        name=name,
        title=(title or "").strip(),
        role=role,
        org=org,
        enterprise=enterprise,
        password_hash=make_password(password),
        proposed_by=actor,
    )
    audit.record(
        "accounts.propose_account",
        obj=request,
        actor=actor,
        after=audit.snapshot(request, ("kind", "username", "name", "role", "org_id", "enterprise_id")),
    )
    _notify_request(request, _approvers(org), _("待审批：新建账号“%(username)s”") % {"username": username})
    return request


@transaction.atomic
def propose_change(user: User, *, actor, role: str, org, enterprise=None) -> AccountRequest:
    """A 系统管理员 proposes a new role, organisation or enterprise for an account."""
    if actor is None or not actor.has_perm("accounts.manage_user"):
        raise PermissionDenied(_("您的账号没有管理用户的权限"))
    _check_manager(actor, org=org, role=role, target=user)
    errors = _check_role_fields(role=role, org=org, enterprise=enterprise)
    if (role, org.pk, getattr(enterprise, "pk", None)) == (user.role, user.org_id, user.enterprise_id):
        errors["role"] = _("角色、组织和所属企业都没有变化")
    elif AccountRequest.objects.filter(target=user, status=AccountRequest.Status.PENDING).exists():
        errors["__all__"] = _("该账号已有待审批的申请")
    if errors:
        raise ValidationError(errors)
    request = AccountRequest.objects.create(
        kind=AccountRequest.Kind.CHANGE,
        target=user,
        username=user.username,
        name=user.name,
        title=user.title,
        role=role,
        org=org,
        enterprise=enterprise,
        proposed_by=actor,
    )
    audit.record(
        "accounts.propose_change",
        obj=request,
        actor=actor,
        before=audit.snapshot(user, ("role", "org_id", "enterprise_id")),
        after=audit.snapshot(request, ("role", "org_id", "enterprise_id")),
    )
    _notify_request(request, _approvers(org), _("待审批：变更账号“%(username)s”的角色") % {"username": user.username})
    return request


def _check_decider(request: AccountRequest, actor) -> None:
    if not actor.has_perm("accounts.approve_account"):
        raise PermissionDenied(_("您的账号没有审批账号申请的权限"))
    if not request.org.path.startswith(actor.org.path):
        raise PermissionDenied(_("该申请不在您的管辖范围内"))
    if request.proposed_by_id == actor.pk:
        raise PermissionDenied(_("不能审批自己提交的申请"))
    if request.status != AccountRequest.Status.PENDING:
        raise ValidationError({"__all__": _("该申请已处理，不能重复审批")})


def _lock_request(request: AccountRequest) -> AccountRequest:
    return AccountRequest.objects.select_for_update(of=("self",)).select_related("org", "target").get(pk=request.pk)


@transaction.atomic
def approve_request(request: AccountRequest, *, actor) -> User:
    """A 安全管理员 approves: the account is created or changed now, both rows audited."""
    request = _lock_request(request)
    _check_decider(request, actor)
    if request.role in ADMIN_ROLES:  # never reachable through propose_*, kept as a last guard
        raise ValidationError({"role": _("不能在页面上授予三员角色（系统、安全、审计管理员）")})
    if request.kind == AccountRequest.Kind.CREATE:
        user = create_user(
            username=request.username,
            name=request.name,
            title=request.title,
            role=request.role,
            org=request.org,
            enterprise=request.enterprise,
            password="",
            password_hash=request.password_hash,
            must_change_password=True,
            approved_by=actor,
        )
    else:
        user = User.objects.select_for_update().get(pk=request.target_id)
        if user.role in ADMIN_ROLES:
            raise ValidationError({"role": _("三员账号（系统、安全、审计管理员）只能由部署人员用命令维护")})
        errors = _check_role_fields(role=request.role, org=request.org, enterprise=request.enterprise)
        if errors:
            raise ValidationError(errors)
        before = audit.snapshot(user, EDITABLE_FIELDS)
        user.role, user.org, user.enterprise = request.role, request.org, request.enterprise
        user.save(update_fields=["role", "org", "enterprise", "updated_at"])
        _revoke_api_token(user)  # a token must not outlive the rights it was issued under
        changed_before, changed_after = audit.diff(before, audit.snapshot(user, EDITABLE_FIELDS))
        audit.record("accounts.update_user", obj=user, actor=actor, before=changed_before, after=changed_after)
    request.status = AccountRequest.Status.APPROVED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.password_hash = ""  # no longer needed once the account holds it
    request.target = user
    request.save(update_fields=["status", "decided_by", "decided_at", "password_hash", "target", "updated_at"])
    audit.record(
        "accounts.approve_request", obj=request, actor=actor, after={"status": request.status, "user_id": user.pk}
    )
    _notify_request(request, [request.proposed_by], _("已批准：账号“%(username)s”") % {"username": request.username})
    return user


@transaction.atomic
def reject_request(request: AccountRequest, *, actor, reason: str = "") -> AccountRequest:
    request = _lock_request(request)
    _check_decider(request, actor)
    request.status = AccountRequest.Status.REJECTED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.reason = (reason or "").strip()[:200]
    request.password_hash = ""
    request.save(update_fields=["status", "decided_by", "decided_at", "reason", "password_hash", "updated_at"])
    audit.record(
        "accounts.reject_request", obj=request, actor=actor, after={"status": request.status, "reason": request.reason}
    )
    _notify_request(request, [request.proposed_by], _("已驳回：账号“%(username)s”") % {"username": request.username})
    return request


@transaction.atomic
def cancel_request(request: AccountRequest, *, actor) -> AccountRequest:
    request = _lock_request(request)
    if request.proposed_by_id != actor.pk:
        raise PermissionDenied(_("只能撤回自己提交的申请"))
    if request.status != AccountRequest.Status.PENDING:
        raise ValidationError({"__all__": _("该申请已处理，不能撤回")})
    request.status = AccountRequest.Status.CANCELLED
    request.password_hash = ""
    request.save(update_fields=["status", "password_hash", "updated_at"])
    audit.record("accounts.cancel_request", obj=request, actor=actor, after={"status": request.status})
    return request


# --- TOTP second factor ----------------------------------------------------------------------------


def _store_recovery_codes(user: User) -> list[str]:
    codes = totp.new_recovery_codes()
    RecoveryCode.objects.filter(user=user).delete()
    RecoveryCode.objects.bulk_create([RecoveryCode(user=user, code_hash=make_password(code)) for code in codes])
    return codes


@transaction.atomic
def enable_totp(user: User, *, secret: str, code: str, now=None) -> list[str]:
    """Bind an authenticator after the user typed its first code; returns new recovery codes (shown once)."""
    step = totp.matching_step(secret, code, now or timezone.now())
    if step is None:
        raise ValidationError({"code": _("验证码不正确或已过期，请输入验证器上当前显示的6位数字")})
    TOTPDevice.objects.update_or_create(
        user=user, defaults={"secret": secret, "confirmed_at": timezone.now(), "last_step": step}
    )
    codes = _store_recovery_codes(user)
    audit.record("security.totp_enabled", obj=user, actor=user)
    return codes


def has_totp(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


@transaction.atomic
def verify_second_factor(user: User, code: str, *, now=None) -> bool:
    """A current TOTP code (each step once) or an unused recovery code (each once)."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=False).first()
    if device is None:
        return False
    if totp.looks_like_recovery_code(code):
        wanted = totp.normalise_recovery_code(code)
        for recovery in RecoveryCode.objects.select_for_update().filter(user=user, used_at__isnull=True):
            if check_password(wanted, recovery.code_hash):
                recovery.used_at = timezone.now()
                recovery.save(update_fields=["used_at"])
                left = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
                audit.record("security.recovery_code_used", obj=user, actor=user, after={"left": left})
                return True
        return False
    step = totp.matching_step(device.secret, code, now or timezone.now(), after_step=device.last_step)
    if step is None:
        return False
    device.last_step = step
    device.save(update_fields=["last_step", "updated_at"])
    return True


@transaction.atomic
def regenerate_recovery_codes(user: User) -> list[str]:
    if not has_totp(user):
        raise ValidationError({"__all__": _("请先绑定验证器")})
    codes = _store_recovery_codes(user)
    audit.record("security.recovery_codes_renewed", obj=user, actor=user)
    return codes


@transaction.atomic
def disable_totp(user: User, *, actor) -> None:
    """The user turns the second factor off (not allowed where the role requires it), or a 安全管理员
    clears it for a user who lost the authenticator and the recovery codes (they bind a new one at the
    next sign-in if their role requires it)."""
    if actor.pk == user.pk:
        if totp.required_for(user.role):
            raise ValidationError({"__all__": _("您的角色必须使用两步验证，不能关闭")})
    else:
        from .lockouts import username_in_scope

        if not actor.has_perm("accounts.unlock_user") or not username_in_scope(actor, user.username):
            raise PermissionDenied(_("您的账号没有重置两步验证的权限"))
    TOTPDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    audit.record("security.totp_disabled", obj=user, actor=actor)
