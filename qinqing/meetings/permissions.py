"""Who sees which meetings. Missing and forbidden look the same (404).

- FIC staff and leaders: the meetings of their node's subtree (staff manage them);
- enterprise users: the meetings their enterprise is invited to;
- department liaisons: the meetings their department takes part in.
Invited enterprises and departments read the agenda once it is published, and see only the issues
(appeals) they may see anyway; pre-visit notes and the problem/responsibility lists stay with the FIC.
"""

from django.http import Http404

from qinqing.core.permissions import subtree_q
from qinqing.core.roles import Role

from .models import Meeting

VIEW = "meetings.view_meeting"
MANAGE = "meetings.manage_meeting"
LISTS = "meetings.view_lists"  # problem/responsibility lists, pre-visit notes, figures

GRANTS = {
    Role.FIC_STAFF: {VIEW, MANAGE, LISTS},
    Role.FIC_LEADER: {VIEW, LISTS},
    Role.ENTERPRISE: {VIEW},
    Role.DEPT_LIAISON: {VIEW},
}


def visible_meetings(user):
    if not user.is_authenticated or not user.has_perm(VIEW):
        return Meeting.objects.none()
    role = user.role
    if role in (Role.FIC_STAFF, Role.FIC_LEADER):
        return Meeting.objects.filter(subtree_q(user, "org_path"))
    if role == Role.ENTERPRISE:
        if not user.enterprise_id:
            return Meeting.objects.none()
        return Meeting.objects.filter(pk__in=Meeting.enterprises.through.objects.filter(
            enterprise_id=user.enterprise_id).values("meeting_id"))  # fmt: skip
    if role == Role.DEPT_LIAISON:
        if not user.org_id:
            return Meeting.objects.none()
        return Meeting.objects.filter(pk__in=Meeting.departments.through.objects.filter(
            organization_id=user.org_id).values("meeting_id"))  # fmt: skip
    return Meeting.objects.none()


def get_meeting(user, pk) -> Meeting:
    try:
        return visible_meetings(user).select_related("fic").get(pk=pk)
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def agenda_visible(user, meeting: Meeting) -> bool:
    """The FIC sees the draft agenda; invitees only the published one."""
    return user.has_perm(LISTS) or meeting.agenda_published_at is not None
