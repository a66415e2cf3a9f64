"""Meetings are seen by FIC staff and leaders of the node and above (subtree scope)."""

from django.http import Http404

from qinqing.core.permissions import subtree_q
from qinqing.core.roles import Role

from .models import Meeting

VIEW = "meetings.view_meeting"
MANAGE = "meetings.manage_meeting"

GRANTS = {
    Role.FIC_STAFF: {VIEW, MANAGE},
    Role.FIC_LEADER: {VIEW},
}


def visible_meetings(user):
    if not user.is_authenticated or not user.has_perm(VIEW):
        return Meeting.objects.none()
    return Meeting.objects.filter(subtree_q(user, "org_path"))


def get_meeting(user, pk) -> Meeting:
    try:
        return visible_meetings(user).select_related("fic").get(pk=pk)
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
