"""Checks and helpers shared by the account actions."""

import hashlib

from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from qinqing.core.roles import ADMIN_ROLES, Role, org_kinds_for
from qinqing.orgs.choices import OrgKind

from ..models import ApiToken, User

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
