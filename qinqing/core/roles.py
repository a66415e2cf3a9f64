"""The roles of PRODUCT.md, and which permissions each holds.

Each domain declares its own grants in its permissions module as ``GRANTS = {Role.X: {"app.perm", …}}``;
load_grants() merges them at start-up, so the role table is complete and each domain owns its part.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from qinqing.core.discovery import domain_modules


class Role(models.TextChoices):
    FIC_STAFF = "fic_staff", _("工商联工作人员")
    FIC_LEADER = "fic_leader", _("工商联领导")
    CHAMBER_SECRETARY = "chamber_secretary", _("商会秘书处")
    ENTERPRISE = "enterprise", _("企业用户")
    DEPT_LIAISON = "dept_liaison", _("承办单位联络员")
    BANK_OFFICER = "bank_officer", _("金融机构")
    LAWYER = "lawyer", _("联点律师")
    MEDIATOR = "mediator", _("调解员")
    DISCIPLINE_REVIEWER = "discipline_reviewer", _("纪检监督")
    SYS_ADMIN = "sys_admin", _("系统管理员")
    SEC_ADMIN = "sec_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")


FIC_ROLES = frozenset({Role.FIC_STAFF, Role.FIC_LEADER})
ADMIN_ROLES = frozenset({Role.SYS_ADMIN, Role.SEC_ADMIN, Role.AUDIT_ADMIN})
ALL_ROLES = frozenset(Role)

# The kind of organisation each role's user belongs to (checked when a user is created); a tuple where
# several kinds fit (a mediator sits on a chamber's 调解委员会 or in an FIC's mediation centre).
ROLE_ORG_KIND = {
    Role.FIC_STAFF: "fic",
    Role.FIC_LEADER: "fic",
    Role.CHAMBER_SECRETARY: "chamber",
    Role.ENTERPRISE: "fic",  # plus user.enterprise
    Role.DEPT_LIAISON: "department",
    Role.BANK_OFFICER: "bank",
    Role.LAWYER: "lawfirm",
    Role.MEDIATOR: ("chamber", "fic"),
    Role.DISCIPLINE_REVIEWER: "fic",
    Role.SYS_ADMIN: "fic",
    Role.SEC_ADMIN: "fic",
    Role.AUDIT_ADMIN: "fic",
}


def org_kinds_for(role) -> tuple[str, ...]:
    kinds = ROLE_ORG_KIND[Role(role)]
    return (kinds,) if isinstance(kinds, str) else tuple(kinds)


ROLE_PERMISSIONS: dict[str, frozenset[str]] = {role.value: frozenset() for role in Role}


def load_grants() -> None:
    merged: dict[str, set[str]] = {role.value: set() for role in Role}
    for _config, module in domain_modules("permissions"):
        for role, perms in getattr(module, "GRANTS", {}).items():
            merged[str(role)].update(perms)
    for role, perms in merged.items():
        ROLE_PERMISSIONS[role] = frozenset(perms)


def permissions_for(role: str) -> frozenset[str]:
    return ROLE_PERMISSIONS.get(role, frozenset())
