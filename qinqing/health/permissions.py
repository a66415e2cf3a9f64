"""Who sees which health-check data. Missing and forbidden look the same (404).

- An enterprise user sees its own diagnosis, states its own supplementary figures and answers the questionnaire.
- FIC staff and leaders see the results and visits of their node and below (by org_path); staff also run the
  scoring, maintain the scheme's versions and create/record visits.
- Scoring versions are the one scheme of the deployment (like a local standard): every role that reads
  diagnoses reads them, so an old result still shows the bands it was scored with.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from qinqing.core.permissions import subtree_q
from qinqing.core.roles import FIC_ROLES, Role

from .models import FinancialSupplement, HealthResult, HealthRun, ScoringVersion, VisitTask

VIEW = "health.view_diagnosis"
OWN = "health.state_own"  # an enterprise: its own figures and questionnaire
MANAGE = "health.manage_health"  # FIC staff: runs, visits, supplements of enterprises below
SCHEME = "health.manage_scheme"  # FIC staff: scoring versions
FIGURES = "health.view_figures"

GRANTS = {
    Role.FIC_STAFF: {VIEW, MANAGE, SCHEME, FIGURES},
    Role.FIC_LEADER: {VIEW, FIGURES},
    Role.ENTERPRISE: {VIEW, OWN},
}


def _can(user, perm: str) -> bool:
    return user.is_authenticated and user.has_perm(perm)


def visible_results(user, *, current_only: bool = True) -> QuerySet[HealthResult]:
    if not _can(user, VIEW):
        return HealthResult.objects.none()
    qs = HealthResult.objects.filter(is_current=True) if current_only else HealthResult.objects.all()
    if user.role in FIC_ROLES:
        return qs.filter(subtree_q(user, "org_path"))
    if user.role == Role.ENTERPRISE:
        return qs.filter(enterprise_id=user.enterprise_id) if user.enterprise_id else qs.none()
    return qs.none()


def visible_enterprises(user):
    """Enterprises whose diagnosis the user may open."""
    from qinqing.registry.models import Enterprise

    if not _can(user, VIEW):
        return Enterprise.objects.none()
    if user.role in FIC_ROLES:
        return Enterprise.objects.filter(subtree_q(user, "org_path"))
    if user.role == Role.ENTERPRISE and user.enterprise_id:
        return Enterprise.objects.filter(pk=user.enterprise_id)
    return Enterprise.objects.none()


def visible_versions(user) -> QuerySet[ScoringVersion]:
    if not _can(user, VIEW):
        return ScoringVersion.objects.none()
    if user.has_perm(SCHEME):
        return ScoringVersion.objects.all()
    return ScoringVersion.objects.exclude(status="draft")


def visible_runs(user) -> QuerySet[HealthRun]:
    if not _can(user, VIEW) or user.role not in FIC_ROLES:
        return HealthRun.objects.none()
    return HealthRun.objects.filter(subtree_q(user, "org_path"))


def visible_visits(user) -> QuerySet[VisitTask]:
    if not _can(user, VIEW) or user.role not in FIC_ROLES:
        return VisitTask.objects.none()
    return VisitTask.objects.filter(subtree_q(user, "org_path"))


def visible_supplements(user) -> QuerySet[FinancialSupplement]:
    if not _can(user, VIEW):
        return FinancialSupplement.objects.none()
    if user.role in FIC_ROLES:
        return FinancialSupplement.objects.filter(subtree_q(user, "enterprise__org_path"))
    if user.role == Role.ENTERPRISE and user.enterprise_id:
        return FinancialSupplement.objects.filter(enterprise_id=user.enterprise_id)
    return FinancialSupplement.objects.none()


def can_state(user, enterprise) -> bool:
    """May the user record this enterprise's supplementary figures and questionnaire answers?"""
    if _can(user, OWN) and user.role == Role.ENTERPRISE:
        return user.enterprise_id == enterprise.pk
    return _can(user, MANAGE) and visible_enterprises(user).filter(pk=enterprise.pk).exists()


def _get(qs, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_enterprise(user, pk):
    return _get(visible_enterprises(user), pk)


def get_result(user, pk) -> HealthResult:
    return _get(visible_results(user, current_only=False).select_related("enterprise", "version"), pk)


def get_version(user, pk) -> ScoringVersion:
    return _get(visible_versions(user), pk)


def get_visit(user, pk) -> VisitTask:
    return _get(visible_visits(user).select_related("enterprise", "result", "assignee", "department", "appeal"), pk)


def get_run(user, pk) -> HealthRun:
    return _get(visible_runs(user).select_related("version", "job"), pk)
