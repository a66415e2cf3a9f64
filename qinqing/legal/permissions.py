"""Who sees which legal check-up data. Missing and forbidden look the same (404).

- FIC staff and leaders: their subtree (check-ups by the enterprise's FIC, links and talks by the chamber's or
  organiser's path, rounds by the planning FIC);
- the enterprise: its own check-ups;
- the chamber secretary: the check-ups requested through, or planned for, their chamber, their chamber's links
  and talks;
- the lawyer: only the check-ups assigned to them, their law firm's links and the talks they gave.
The questionnaire versions are shared reference data: every role that reads check-ups reads them.
"""

from django.db.models import QuerySet
from django.http import Http404

from qinqing.core.permissions import subtree_q
from qinqing.core.roles import Role

from .models import Checkup, CheckupRound, FirmLink, FollowUpCall, LegalTalk, QuestionnaireVersion, RiskPoint

VIEW = "legal.view_checkup"
REQUEST = "legal.request_checkup"  # enterprise (own) and chamber secretary (a member enterprise)
RESPOND = "legal.respond_checkup"  # enterprise: self-check and 整改 feedback
MANAGE = "legal.manage_checkup"  # FIC staff: plan rounds, assign lawyers, turn red risks into appeals
HANDLE = "legal.handle_checkup"  # lawyer: visit, report, follow-up call
LINKS = "legal.view_link"
MANAGE_LINKS = "legal.manage_link"
TALKS = "legal.view_talk"
RECORD_TALKS = "legal.record_talk"
QUESTIONNAIRE = "legal.manage_questionnaire"
FIGURES = "legal.view_figures"

GRANTS = {
    Role.FIC_STAFF: {VIEW, MANAGE, LINKS, MANAGE_LINKS, TALKS, RECORD_TALKS, QUESTIONNAIRE, FIGURES},
    Role.FIC_LEADER: {VIEW, LINKS, TALKS, FIGURES},
    Role.ENTERPRISE: {VIEW, REQUEST, RESPOND},
    Role.CHAMBER_SECRETARY: {VIEW, REQUEST, LINKS, TALKS},
    Role.LAWYER: {VIEW, HANDLE, LINKS, TALKS, RECORD_TALKS},
}

FIC = (Role.FIC_STAFF, Role.FIC_LEADER)


def _scoped(qs: QuerySet, user, permission: str, by_role: dict) -> QuerySet:
    """``qs`` for ``user``: FIC roles by org_path subtree, other roles by their lookup in ``by_role`` (a lookup
    and the user attribute it must equal); nothing for a role not listed or a user without that attribute."""
    if not (user.is_authenticated and user.has_perm(permission)):
        return qs.none()
    if user.role in FIC:
        return qs.filter(subtree_q(user, "org_path"))
    lookup = by_role.get(user.role)
    if lookup is None:
        return qs.none()
    field, attribute = lookup
    value = getattr(user, attribute, None)
    return qs.filter(**{field: value}) if value else qs.none()


def visible_checkups(user) -> QuerySet[Checkup]:
    return _scoped(Checkup.objects.all(), user, VIEW, {
        Role.ENTERPRISE: ("enterprise_id", "enterprise_id"),
        Role.CHAMBER_SECRETARY: ("chamber_id", "org_id"),
        Role.LAWYER: ("lawyer_id", "pk"),
    })  # fmt: skip


def visible_risks(user) -> QuerySet[RiskPoint]:
    return RiskPoint.objects.filter(checkup__in=visible_checkups(user).values("pk"))


def visible_calls(user) -> QuerySet[FollowUpCall]:
    return FollowUpCall.objects.filter(checkup__in=visible_checkups(user).values("pk"))


def visible_links(user) -> QuerySet[FirmLink]:
    return _scoped(FirmLink.objects.all(), user, LINKS, {
        Role.CHAMBER_SECRETARY: ("chamber_id", "org_id"),
        Role.LAWYER: ("law_firm_id", "org_id"),
    })  # fmt: skip


def visible_talks(user) -> QuerySet[LegalTalk]:
    return _scoped(LegalTalk.objects.all(), user, TALKS, {
        Role.CHAMBER_SECRETARY: ("chamber_id", "org_id"),
        Role.LAWYER: ("lawyer_id", "pk"),
    })  # fmt: skip


def visible_rounds(user) -> QuerySet[CheckupRound]:
    if not (user.is_authenticated and user.has_perm(MANAGE)):
        return CheckupRound.objects.none()
    return CheckupRound.objects.filter(subtree_q(user, "org_path"))


def visible_versions(user) -> QuerySet[QuestionnaireVersion]:
    if not (user.is_authenticated and (user.has_perm(VIEW) or user.has_perm(QUESTIONNAIRE))):
        return QuestionnaireVersion.objects.none()
    qs = QuestionnaireVersion.objects.all()
    return qs if user.has_perm(QUESTIONNAIRE) else qs.filter(published_at__isnull=False)


def _get(qs, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def get_checkup(user, pk) -> Checkup:
    related = ("enterprise", "chamber", "law_firm", "lawyer", "version", "link", "round")
    return _get(visible_checkups(user).select_related(*related), pk)


def get_risk(user, pk) -> RiskPoint:
    return _get(visible_risks(user).select_related("checkup", "area", "appeal"), pk)


def get_link(user, pk) -> FirmLink:
    return _get(visible_links(user).select_related("law_firm", "chamber"), pk)


def get_talk(user, pk) -> LegalTalk:
    return _get(visible_talks(user).select_related("lawyer", "law_firm", "chamber", "organiser", "activity"), pk)


def get_round(user, pk) -> CheckupRound:
    return _get(visible_rounds(user).select_related("fic"), pk)


def get_version(user, pk) -> QuestionnaireVersion:
    return _get(visible_versions(user), pk)
