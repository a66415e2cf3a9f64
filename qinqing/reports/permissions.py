"""Who reads reports: FIC staff and leaders, for their own node and its subtree. Missing and forbidden
look the same (404): an organisation code outside the reader's subtree is simply not found.

Staff also write: edit and finalise summaries, publish ranking lists, record 参政议政 outputs.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from qinqing.core.permissions import subtree_q
from qinqing.core.roles import Role
from qinqing.orgs.models import Organization

VIEW = "reports.view_reports"
MANAGE = "reports.manage_reports"

GRANTS = {
    Role.FIC_STAFF: {VIEW, MANAGE},
    Role.FIC_LEADER: {VIEW},
}


def visible_nodes(user):
    """The FIC nodes a reader may report on: their own and those below it."""
    if not user.is_authenticated or not user.has_perm(VIEW):
        return Organization.objects.none()
    return Organization.objects.filter(subtree_q(user, "path"), kind="fic")


def get_node(user, code: str | None) -> Organization:
    """The FIC node named by ``code`` (default: the reader's own node), or 404."""
    if not code:
        org = getattr(user, "org", None)
        if org is None or org.kind != "fic" or not user.has_perm(VIEW):
            raise Http404
        return org
    try:
        return visible_nodes(user).get(code=code)
    except Organization.DoesNotExist:
        raise Http404 from None


def scoped(user, model, path_field: str = "org_path"):
    """Rows of a reports model inside the reader's subtree."""
    if not user.is_authenticated or not user.has_perm(VIEW):
        return model.objects.none()
    return model.objects.filter(subtree_q(user, path_field))


def subtree(path: str) -> Q:
    return Q(org_path__startswith=path)
