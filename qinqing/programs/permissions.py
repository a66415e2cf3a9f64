"""Who sees which programs data. Missing and forbidden look the same (404).

- FIC staff and leaders: everything of their node and below (by org_path); staff record, leaders read;
- a chamber secretary: the pairings their chamber is the party of (and reports those projects' funds);
- an enterprise: its own pairings (and reports their funds) and its own donations;
- the listing pipeline (上市后备) is FIC work: staff and leaders only.
"""

from django.db.models import QuerySet
from django.http import Http404

from qinqing.core.permissions import subtree_q
from qinqing.core.roles import Role

from .models import Donation, ListingCandidate, Pairing, Project, ProjectYear

VIEW = "programs.view_programs"
MANAGE = "programs.manage_programs"  # FIC staff: pairings, projects, donations, pipeline, ledger, letters
REPORT = "programs.report_programs"  # enterprise / chamber secretary: their own projects' funds and donations
LISTING = "programs.view_listing"
FIGURES = "programs.view_figures"

GRANTS = {
    Role.FIC_STAFF: {VIEW, MANAGE, LISTING, FIGURES},
    Role.FIC_LEADER: {VIEW, LISTING, FIGURES},
    Role.CHAMBER_SECRETARY: {VIEW, REPORT},
    Role.ENTERPRISE: {VIEW, REPORT},
}

FIC = (Role.FIC_STAFF, Role.FIC_LEADER)


def _party_filter(user, prefix: str = "") -> dict | None:
    """The ORM filter of the pairings a user may see through their role (None: the whole subtree rule)."""
    if user.role in FIC:
        return None
    if user.role == Role.CHAMBER_SECRETARY and user.org_id:
        return {f"{prefix}chamber_id": user.org_id}
    if user.role == Role.ENTERPRISE and user.enterprise_id:
        return {f"{prefix}enterprise_id": user.enterprise_id}
    return {f"{prefix}pk__in": []}


def _scoped(qs: QuerySet, user, prefix: str = "") -> QuerySet:
    if not (user.is_authenticated and user.has_perm(VIEW)):
        return qs.none()
    party = _party_filter(user, prefix)
    if party is None:
        return qs.filter(subtree_q(user, "org_path"))
    return qs.filter(**party)


def visible_pairings(user) -> QuerySet[Pairing]:
    return _scoped(Pairing.objects.all(), user)


def visible_projects(user) -> QuerySet[Project]:
    return _scoped(Project.objects.all(), user, "pairing__")


def visible_project_years(user) -> QuerySet[ProjectYear]:
    return _scoped(ProjectYear.objects.all(), user, "project__pairing__")


def visible_donations(user) -> QuerySet[Donation]:
    if not (user.is_authenticated and user.has_perm(VIEW)):
        return Donation.objects.none()
    if user.role in FIC:
        return Donation.objects.filter(subtree_q(user, "org_path"))
    if user.role == Role.ENTERPRISE and user.enterprise_id:
        return Donation.objects.filter(enterprise_id=user.enterprise_id)
    return Donation.objects.none()


def visible_candidates(user) -> QuerySet[ListingCandidate]:
    if not (user.is_authenticated and user.has_perm(LISTING)) or user.role not in FIC:
        return ListingCandidate.objects.none()
    return ListingCandidate.objects.filter(subtree_q(user, "org_path"))


def can_report(user, pairing: Pairing) -> bool:
    """May the user add projects and yearly funds to this pairing (staff over it, or its own party)?"""
    if user.has_perm(MANAGE):
        return pairing.org_path.startswith(user.org.path) if user.org_id else False
    if not user.has_perm(REPORT):
        return False
    party = _party_filter(user)
    return bool(party) and visible_pairings(user).filter(pk=pairing.pk).exists()


def _get(qs, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def get_pairing(user, pk) -> Pairing:
    return _get(visible_pairings(user).select_related("enterprise", "chamber"), pk)


def get_project(user, pk) -> Project:
    return _get(visible_projects(user).select_related("pairing", "pairing__enterprise", "pairing__chamber"), pk)


def get_donation(user, pk) -> Donation:
    return _get(visible_donations(user).select_related("enterprise"), pk)


def get_candidate(user, pk) -> ListingCandidate:
    return _get(visible_candidates(user).select_related("enterprise", "officer"), pk)
