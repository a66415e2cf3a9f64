"""Who sees which surveys. Missing and forbidden look the same (404).

- FIC staff and leaders: the surveys owned by their node and below (org_path); staff build and run them.
- Enterprises: the open or closed surveys they are a target of, and open-link surveys reached by their link.
- Responses: an enterprise its own (non-anonymous) responses; staff the responses of a non-anonymous survey
  they see. Responses of an anonymous survey are never listed, one by one, to anybody.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from qinqing.core.permissions import subtree_q
from qinqing.core.roles import Role

from .choices import Audience, Status
from .models import Response, Survey, SurveyTarget

VIEW = "surveys.view_survey"  # staff: lists, results, exports
MANAGE = "surveys.manage_survey"  # staff: build, open, close, remind, import
ANSWER = "surveys.answer_survey"  # enterprise users
FIGURES = "surveys.view_figures"

GRANTS = {
    Role.FIC_STAFF: {VIEW, MANAGE, FIGURES},
    Role.FIC_LEADER: {VIEW, FIGURES},
    Role.ENTERPRISE: {ANSWER},
}

FIC = (Role.FIC_STAFF, Role.FIC_LEADER)


def visible_surveys(user) -> QuerySet[Survey]:
    """Staff: their subtree's surveys. Enterprises: the surveys they were chosen for (opened at least once)."""
    if not user.is_authenticated:
        return Survey.objects.none()
    if user.role in FIC and user.has_perm(VIEW):
        return Survey.objects.filter(subtree_q(user, "org_path"))
    if user.role == Role.ENTERPRISE and user.has_perm(ANSWER) and user.enterprise_id:
        targeted = SurveyTarget.objects.filter(enterprise_id=user.enterprise_id).values("survey_id")
        answered = Response.objects.filter(enterprise_id=user.enterprise_id).values("survey_id")
        return Survey.objects.filter(Q(pk__in=targeted) | Q(pk__in=answered)).exclude(status=Status.DRAFT)
    return Survey.objects.none()


def managed_surveys(user) -> QuerySet[Survey]:
    if not user.is_authenticated or user.role not in FIC or not user.has_perm(MANAGE):
        return Survey.objects.none()
    return Survey.objects.filter(subtree_q(user, "org_path"))


def answerable(user, survey: Survey) -> bool:
    """May this enterprise user answer the survey (targeted, or an open link)?"""
    if user.role != Role.ENTERPRISE or not user.has_perm(ANSWER) or not user.enterprise_id:
        return False
    if survey.status == Status.DRAFT:
        return False
    if survey.audience == Audience.LINK:
        return True
    return SurveyTarget.objects.filter(survey=survey, enterprise_id=user.enterprise_id).exists()


def visible_responses(user) -> QuerySet[Response]:
    """Named responses only: anonymous surveys' responses are never in any list."""
    qs = Response.objects.filter(survey__anonymous=False)
    if not user.is_authenticated:
        return qs.none()
    if user.role in FIC and user.has_perm(VIEW):
        return qs.filter(subtree_q(user, "org_path"))
    if user.role == Role.ENTERPRISE and user.has_perm(ANSWER) and user.enterprise_id:
        return qs.filter(enterprise_id=user.enterprise_id)
    return qs.none()


def _get(qs, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_survey(user, pk) -> Survey:
    return _get(visible_surveys(user).select_related("fic"), pk)


def get_managed(user, pk) -> Survey:
    return _get(managed_surveys(user).select_related("fic"), pk)


def get_by_link(user, token: str) -> Survey:
    """An open-link survey by its token, for an enterprise user."""
    if not token or user.role != Role.ENTERPRISE or not user.has_perm(ANSWER):
        raise Http404
    survey = Survey.objects.filter(link_token=token, audience=Audience.LINK).exclude(status=Status.DRAFT).first()
    if survey is None:
        raise Http404
    return survey


def get_public(token: str) -> Survey:
    """An anonymous open-link survey by its token, for anyone (signed in or not); 404 otherwise."""
    survey = (
        Survey.objects.filter(link_token=token, audience=Audience.LINK, anonymous=True).exclude(status=Status.DRAFT)
        if token
        else Survey.objects.none()
    ).first()
    if survey is None:
        raise Http404
    return survey


def get_response(user, pk) -> Response:
    from django.core.exceptions import ValidationError

    try:
        return visible_responses(user).select_related("survey", "enterprise").get(pk=pk)
    except (Response.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None
