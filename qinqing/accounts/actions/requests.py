"""The two-person rule: a system administrator proposes an account or a change, a security administrator decides."""

from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qinqing.core import audit
from qinqing.core.roles import ADMIN_ROLES, Role

from ..models import AccountRequest, User
from .common import EDITABLE_FIELDS, _check_manager, _check_role_fields, _revoke_api_token, _validate_password
from .users import create_user

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
