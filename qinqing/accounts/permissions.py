"""Which user accounts an administrator may see and manage, and the grants of the three administrators.

三员分立: 系统管理员 proposes ordinary accounts and role changes, which take effect when a 安全管理员
approves them (two-person rule); 安全管理员 also watches sign-in security and unlocks;
审计管理员 (core.view_auditentry, granted in core) only reads the audit log. None of them holds a
domain permission.
"""

from django.db.models import QuerySet
from django.http import Http404

from qinqing.core.permissions import subtree_q
from qinqing.core.roles import ADMIN_ROLES, Role

from .models import AccountRequest, User

GRANTS = {
    Role.SYS_ADMIN: {"accounts.view_user", "accounts.manage_user", "accounts.view_request"},
    Role.SEC_ADMIN: {
        "accounts.view_user",
        "accounts.unlock_user",
        "accounts.view_security",
        "accounts.view_request",
        "accounts.approve_account",
    },
}


def visible_users(user) -> QuerySet[User]:
    """Accounts whose organisation lies in the user's subtree."""
    if not user.has_perm("accounts.view_user"):
        return User.objects.none()
    return User.objects.filter(subtree_q(user, "org__path")).select_related("org", "enterprise")


def get_user(user, pk) -> User:
    """One visible account; missing and forbidden both answer 404."""
    try:
        return visible_users(user).get(pk=pk)
    except (User.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def manageable_users(user) -> QuerySet[User]:
    """Accounts a 系统管理员 may edit: ordinary roles in the subtree, never an administrator's."""
    if not user.has_perm("accounts.manage_user"):
        return User.objects.none()
    return visible_users(user).exclude(role__in=ADMIN_ROLES)


def get_manageable_user(user, pk) -> User:
    try:
        return manageable_users(user).get(pk=pk)
    except (User.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def assignable_roles(user) -> list[tuple[str, str]]:
    """Roles a 系统管理员 may give on a page: every role except the three administrators."""
    if not user.has_perm("accounts.manage_user"):
        return []
    return [(value, label) for value, label in Role.choices if value not in ADMIN_ROLES]


def assignable_orgs(user):
    """Organisations in the administrator's subtree (the org tree itself is not domain data)."""
    from qinqing.orgs.models import Organization

    if not user.has_perm("accounts.manage_user"):
        return Organization.objects.none()
    return Organization.objects.filter(subtree_q(user, "path"), is_active=True).order_by("path")


def find_enterprise(user, credit_code: str):
    """The enterprise with this credit code inside the administrator's subtree, or None.

    An exact-code lookup only: the 系统管理员 does not browse the enterprise register."""
    from qinqing.registry.models import Enterprise

    code = (credit_code or "").strip().upper()
    if not code or not user.has_perm("accounts.manage_user"):
        return None
    return Enterprise.objects.filter(subtree_q(user, "org_path"), credit_code=code).first()


def visible_requests(user) -> QuerySet[AccountRequest]:
    """Account requests for organisations in the user's subtree: both the proposer's and the approver's view."""
    if not user.has_perm("accounts.view_request"):
        return AccountRequest.objects.none()
    return AccountRequest.objects.filter(subtree_q(user, "org__path")).select_related(
        "org", "enterprise", "target", "proposed_by", "decided_by"
    )


def get_request(user, pk) -> AccountRequest:
    try:
        return visible_requests(user).get(pk=pk)
    except (AccountRequest.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
