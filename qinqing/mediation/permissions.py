"""Who sees which mediation data. Missing and forbidden look the same (404).

- a mediator: only the cases assigned to them, and the bodies whose roster they are on;
- a chamber secretary: the bodies and cases of their chamber (its subtree);
- FIC staff and leaders: the bodies and cases of their subtree (by the body's node path);
- an enterprise: the cases where it is a party (linked to the registry's enterprise).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from qinqing.core.permissions import subtree_q
from qinqing.core.roles import Role

from .models import Case, MediationBody, Party, RosterEntry

VIEW = "mediation.view_case"
REGISTER = "mediation.register_case"  # register and assign cases, deadlines, extensions, exchange with courts
HANDLE = "mediation.handle_case"  # sessions, outcomes, 司法确认
BODIES = "mediation.manage_body"  # bodies and rosters
FIGURES = "mediation.view_figures"

GRANTS = {
    Role.FIC_STAFF: {VIEW, REGISTER, HANDLE, BODIES, FIGURES},
    Role.FIC_LEADER: {VIEW, FIGURES},
    Role.CHAMBER_SECRETARY: {VIEW, REGISTER, HANDLE, BODIES, FIGURES},
    Role.MEDIATOR: {VIEW, HANDLE},
    Role.ENTERPRISE: {VIEW},
}

SUBTREE_ROLES = (Role.FIC_STAFF, Role.FIC_LEADER, Role.CHAMBER_SECRETARY)


def _can_view(user) -> bool:
    return user.is_authenticated and user.has_perm(VIEW)


def visible_cases(user) -> QuerySet[Case]:
    if not _can_view(user):
        return Case.objects.none()
    qs = Case.objects.all()
    role = user.role
    if role in SUBTREE_ROLES:
        return qs.filter(subtree_q(user, "org_path"))
    if role == Role.MEDIATOR:
        return qs.filter(mediator_id=user.pk)
    if role == Role.ENTERPRISE:
        if not user.enterprise_id:
            return qs.none()
        return qs.filter(pk__in=Party.objects.filter(enterprise_id=user.enterprise_id).values("case_id"))
    return qs.none()


def visible_bodies(user) -> QuerySet[MediationBody]:
    if not _can_view(user):
        return MediationBody.objects.none()
    qs = MediationBody.objects.all()
    if user.role in SUBTREE_ROLES:
        return qs.filter(subtree_q(user, "org_path"))
    if user.role == Role.MEDIATOR:
        return qs.filter(pk__in=RosterEntry.objects.filter(user_id=user.pk).values("body_id"))
    return qs.none()


def managed_bodies(user) -> QuerySet[MediationBody]:
    """Bodies the user may register cases in and keep the roster of."""
    if not (user.is_authenticated and (user.has_perm(REGISTER) or user.has_perm(BODIES))):
        return MediationBody.objects.none()
    return MediationBody.objects.filter(subtree_q(user, "org_path"))


def handles(user, case: Case) -> bool:
    """May the user log sessions and outcomes on this (visible) case?"""
    if not user.has_perm(HANDLE):
        return False
    if user.role == Role.MEDIATOR:
        return case.mediator_id == user.pk
    org = getattr(user, "org", None)
    return org is not None and case.org_path.startswith(org.path)


def registers(user, case: Case) -> bool:
    org = getattr(user, "org", None)
    return user.has_perm(REGISTER) and org is not None and case.org_path.startswith(org.path)


def sees_contacts(user, case: Case) -> bool:
    """Parties' contact details in full: those who handle the case; others (leaders, an enterprise party
    reading the other side) see them masked."""
    return handles(user, case)


def _get(qs, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def get_case(user, pk) -> Case:
    return _get(visible_cases(user).select_related("body", "mediator"), pk)


def get_body(user, pk) -> MediationBody:
    return _get(visible_bodies(user).select_related("organization"), pk)
