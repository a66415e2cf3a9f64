"""Who may see which appeals. Missing and forbidden look the same (404).

- FIC staff and leaders: their node's subtree (by the appeal's org_path);
- department liaisons: appeals where their department is lead or co-handler;
- enterprise users: their own enterprise's;
- chamber secretaries: those they reported, or of their chamber's current member enterprises.

An enterprise whose appeal was merged into another enterprise's may also open that master appeal's page
(read-only, public steps only, the other enterprise's contact masked): ``readable_appeals``. Lists,
figures and exports stay on ``visible_appeals``.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from qinqing.core.permissions import subtree_q
from qinqing.core.roles import Role

from .models import Appeal, ExtensionRequest

VIEW = "appeals.view_appeal"
SUBMIT = "appeals.submit_appeal"
MANAGE = "appeals.manage_appeal"  # FIC staff: register, accept, assign, callback, close…
HANDLE = "appeals.handle_appeal"  # department liaison: contact, reply, extension, return
FIGURES = "appeals.view_figures"
CLASSIFY = "appeals.manage_classification"
SUPERVISE = "appeals.supervise_appeal"
REVEAL_CONTACT = "appeals.reveal_contact"  # the appeal's contact name and phone in full (audited)

GRANTS = {
    Role.FIC_STAFF: {VIEW, MANAGE, FIGURES, SUPERVISE, REVEAL_CONTACT},
    Role.FIC_LEADER: {VIEW, FIGURES, SUPERVISE},
    Role.DEPT_LIAISON: {VIEW, HANDLE, REVEAL_CONTACT},
    Role.ENTERPRISE: {VIEW, SUBMIT},
    Role.CHAMBER_SECRETARY: {VIEW, SUBMIT},
    Role.SYS_ADMIN: {CLASSIFY},
}


def visible_appeals(user) -> QuerySet[Appeal]:
    if not user.is_authenticated or not user.has_perm(VIEW):
        return Appeal.objects.none()
    qs = Appeal.objects.all()
    role = user.role
    if role in (Role.FIC_STAFF, Role.FIC_LEADER):
        return qs.filter(subtree_q(user, "org_path"))
    if role == Role.DEPT_LIAISON:
        if not user.org_id:
            return qs.none()
        # The co-handled ids as a list, not a subquery: ``lead = X OR id IN (subquery)`` is planned as a scan of
        # every appeal (1.4 s at 600,000 on PostgreSQL), ``lead = X OR id = ANY(list)`` as two index scans (26 ms).
        co_ids = list(
            Appeal.co_departments.through.objects.filter(organization_id=user.org_id).values_list(
                "appeal_id", flat=True
            )
        )
        return qs.filter(Q(lead_department_id=user.org_id) | Q(pk__in=co_ids))
    if role == Role.ENTERPRISE:
        return qs.filter(enterprise_id=user.enterprise_id) if user.enterprise_id else qs.none()
    if role == Role.CHAMBER_SECRETARY:
        return qs.filter(
            Q(reported_by=user) | Q(chamber_id=user.org_id) | Q(enterprise_id__in=chamber_member_ids(user.org_id))
        )
    return qs.none()


def readable_appeals(user) -> QuerySet[Appeal]:
    """``visible_appeals`` plus, for an enterprise user, the master appeals its own appeals were merged into."""
    qs = visible_appeals(user)
    if getattr(user, "role", None) == Role.ENTERPRISE and user.enterprise_id:
        masters = Appeal.objects.filter(enterprise_id=user.enterprise_id, merged_into__isnull=False).values(
            "merged_into_id"
        )
        qs = Appeal.objects.filter(Q(pk__in=qs.values("pk")) | Q(pk__in=masters))
    return qs


def is_foreign(user, appeal: Appeal) -> bool:
    """An enterprise user reading another enterprise's appeal (the master of a merge): read-only."""
    return getattr(user, "role", None) == Role.ENTERPRISE and appeal.enterprise_id != user.enterprise_id


def chamber_member_ids(chamber_id):
    """Enterprises that are current members of the chamber (subquery)."""
    from qinqing.registry.models import Member

    return Member.objects.filter(organization_id=chamber_id, enterprise__isnull=False, left_on__isnull=True).values(
        "enterprise_id"
    )


def get_appeal(user, pk) -> Appeal:
    try:
        return (
            readable_appeals(user)
            .select_related("enterprise", "fic", "lead_department", "appeal_type", "domain")
            .get(pk=pk)
        )
    except (Appeal.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_appeal_by_number(user, number: str) -> Appeal:
    try:
        return visible_appeals(user).get(number=number.strip())
    except (Appeal.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_extension(user, pk) -> ExtensionRequest:
    try:
        return ExtensionRequest.objects.select_related("appeal").get(pk=pk, appeal__in=visible_appeals(user))
    except (ExtensionRequest.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
