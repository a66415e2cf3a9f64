"""Which organisations a user may see and change."""

from django.db.models import QuerySet
from django.http import Http404

from qinqing.core.permissions import subtree_q
from qinqing.core.roles import Role

from .models import Organization

GRANTS = {
    Role.FIC_STAFF: {"orgs.view_organization"},
    Role.FIC_LEADER: {"orgs.view_organization"},
    Role.SYS_ADMIN: {"orgs.view_organization", "orgs.change_organization"},
}


def visible_orgs(user) -> QuerySet[Organization]:
    """Own node and everything below it; never a sibling or an ancestor."""
    if not user.has_perm("orgs.view_organization"):
        return Organization.objects.none()
    return Organization.objects.filter(subtree_q(user, "path"))


def get_org(user, pk) -> Organization:
    """One organisation the user may see; missing and forbidden both answer 404."""
    try:
        return visible_orgs(user).get(pk=pk)
    except (Organization.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def changeable_orgs(user) -> QuerySet[Organization]:
    if not user.has_perm("orgs.change_organization"):
        return Organization.objects.none()
    return Organization.objects.filter(subtree_q(user, "path"))


def counted_users(user):
    """Accounts under the user's node, for head counts on organisation pages (never listed individually)."""
    from qinqing.accounts.models import User

    if not user.has_perm("orgs.view_organization"):
        return User.objects.none()
    return User.objects.filter(subtree_q(user, "org__path"))


def get_changeable_org(user, pk) -> Organization:
    try:
        return changeable_orgs(user).get(pk=pk)
    except (Organization.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
