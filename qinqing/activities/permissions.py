"""Who sees which activities. Missing and forbidden look the same (404).

- FIC staff and leaders: every activity organised in their node's subtree (a chamber's activities included),
  with its registrations, attendance and jobs; staff manage them, leaders read.
- A chamber secretary: the activities their chamber organises, and manages them.
- An enterprise: activities organised by an FIC node on its own path (its county, city, province) or by a
  chamber it is a member of, plus any it has registered for; only its OWN registrations and jobs.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from qinqing.core.permissions import subtree_q
from qinqing.core.roles import Role
from qinqing.eligibility.matching import ancestor_paths

from .models import Activity, Attendance, Job, Registration, Session

VIEW = "activities.view_activity"
MANAGE = "activities.manage_activity"  # create and edit, register for enterprises, check in, record intentions
REGISTER = "activities.register"  # an enterprise registers its people, posts its jobs
CHECKIN = "activities.check_in"  # open a check-in link (QR code)
FIGURES = "activities.view_figures"

GRANTS = {
    Role.FIC_STAFF: {VIEW, MANAGE, CHECKIN, FIGURES},
    Role.FIC_LEADER: {VIEW, FIGURES},
    Role.CHAMBER_SECRETARY: {VIEW, MANAGE, CHECKIN},
    Role.ENTERPRISE: {VIEW, REGISTER, CHECKIN},
}

FIC = (Role.FIC_STAFF, Role.FIC_LEADER)


def _scope_q(user, path_field: str) -> Q | None:
    """The organiser-side scope for staff, leaders and secretaries; None for other roles."""
    if user.role in FIC:
        return subtree_q(user, path_field)
    if user.role == Role.CHAMBER_SECRETARY:
        org = user.org
        return (
            Q(**{f"{path_field}__startswith": org.path}) if org is not None and org.kind == "chamber" else Q(pk__in=[])
        )
    return None


def _enterprise_activities_q(user) -> Q:
    from qinqing.registry.models import Enterprise, Member

    enterprise = Enterprise.objects.filter(pk=user.enterprise_id).only("org_path").first()
    if enterprise is None:
        return Q(pk__in=[])
    chambers = Member.objects.filter(enterprise_id=enterprise.pk).values("organization_id")
    return (
        Q(org_path__in=ancestor_paths(enterprise.org_path)[1:], organiser__kind="fic")
        | Q(organiser_id__in=chambers)
        | Q(pk__in=Registration.objects.filter(enterprise_id=enterprise.pk).values("activity_id"))
    )


def visible_activities(user) -> QuerySet[Activity]:
    if not (user.is_authenticated and user.has_perm(VIEW)):
        return Activity.objects.none()
    qs = Activity.objects.all()
    scope = _scope_q(user, "org_path")
    if scope is not None:
        return qs.filter(scope)
    if user.role == Role.ENTERPRISE and user.enterprise_id:
        return qs.filter(_enterprise_activities_q(user))
    return qs.none()


def managed_activities(user) -> QuerySet[Activity]:
    if not (user.is_authenticated and user.has_perm(MANAGE)):
        return Activity.objects.none()
    scope = _scope_q(user, "org_path")
    return Activity.objects.filter(scope) if scope is not None else Activity.objects.none()


def _own_or_scoped(user, model) -> QuerySet:
    if not (user.is_authenticated and user.has_perm(VIEW)):
        return model.objects.none()
    qs = model.objects.all()
    scope = _scope_q(user, "org_path")
    if scope is not None:
        return qs.filter(scope)
    if user.role == Role.ENTERPRISE and user.enterprise_id:
        lookup = "registration__enterprise_id" if model is Attendance else "enterprise_id"
        return qs.filter(**{lookup: user.enterprise_id})
    return qs.none()


def visible_registrations(user) -> QuerySet[Registration]:
    return _own_or_scoped(user, Registration)


def visible_attendances(user) -> QuerySet[Attendance]:
    return _own_or_scoped(user, Attendance)


def visible_jobs(user) -> QuerySet[Job]:
    """Jobs are public to whoever sees the job fair (job seekers read them); the counts are the fair's."""
    if not (user.is_authenticated and user.has_perm(VIEW)):
        return Job.objects.none()
    return Job.objects.filter(activity__in=visible_activities(user))


def visible_sessions(user) -> QuerySet[Session]:
    return Session.objects.filter(activity__in=visible_activities(user))


def can_manage(user, activity: Activity) -> bool:
    return managed_activities(user).filter(pk=activity.pk).exists()


def _get(qs, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_activity(user, pk) -> Activity:
    return _get(visible_activities(user).select_related("organiser"), pk)


def get_managed_activity(user, pk) -> Activity:
    return _get(managed_activities(user).select_related("organiser"), pk)


def get_registration(user, pk) -> Registration:
    return _get(visible_registrations(user).select_related("activity", "enterprise"), pk)


def get_session(user, pk) -> Session:
    return _get(visible_sessions(user).select_related("activity"), pk)


def get_managed_session(user, pk) -> Session:
    return _get(Session.objects.filter(activity__in=managed_activities(user)).select_related("activity"), pk)


def get_job(user, pk) -> Job:
    return _get(visible_jobs(user).select_related("activity", "enterprise"), pk)
