"""One filter definition per list, shared by the page, the API and the ledger export. Bad parameters raise
BadInput naming the field (400, nothing shown)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from qinqing.core.badinput import BadInput, int_param

from .choices import DonationForm, ListingStage, PartyKind, ProjectKind, Tier


def _choice(params, name: str, label: str, choices) -> str:
    value = (params.get(name) or "").strip()
    if value and value not in choices.values:
        raise BadInput(_("“%(label)s”无效：%(value)s") % {"label": label, "value": value[:40]})
    return value


def _flag(params, name: str) -> bool:
    return (params.get(name) or "").strip() in ("1", "true", "on", "yes")


def county_param(params) -> str:
    county = (params.get("county") or "").strip()
    if county and not (len(county) == 6 and county.isdigit()):
        raise BadInput(_("“%(label)s”无效：%(value)s") % {"label": _("县级区划代码"), "value": county[:40]})
    return county


def filter_pairings(params, qs: QuerySet) -> QuerySet:
    county = county_param(params)
    kind = _choice(params, "party_kind", _("结对主体类型"), PartyKind)
    project_kind = _choice(params, "project_kind", _("项目类型"), ProjectKind)
    q = (params.get("q") or "").strip()[:60]
    if county:
        qs = qs.filter(county_code=county)
    if kind:
        qs = qs.filter(party_kind=kind)
    if project_kind:
        qs = qs.filter(pk__in=qs.model.objects.filter(projects__kind=project_kind).values("pk"))
    if q:
        qs = qs.filter(Q(village__contains=q) | Q(enterprise__name__contains=q) | Q(chamber__name__contains=q))
    return qs


def filter_donations(params, qs: QuerySet) -> QuerySet:
    form = _choice(params, "form", _("捐赠形式"), DonationForm)
    year = int_param(params, "year", _("年度"), minimum=1949, maximum=9999)
    q = (params.get("q") or "").strip()[:60]
    if _flag(params, "major"):
        qs = qs.filter(major=True)
    if _flag(params, "unreported"):
        qs = qs.filter(major=True, reported_on__isnull=True)
    if form:
        qs = qs.filter(form=form)
    if year:
        qs = qs.filter(donated_on__year=year)
    if q:
        qs = qs.filter(Q(number=q) | Q(enterprise__name__contains=q) | Q(recipient__contains=q))
    return qs


def filter_candidates(params, qs: QuerySet) -> QuerySet:
    tier = _choice(params, "tier", _("梯队"), Tier)
    stage = _choice(params, "stage", _("阶段"), ListingStage)
    q = (params.get("q") or "").strip()[:60]
    if tier:
        qs = qs.filter(tier=tier)
    if stage:
        qs = qs.filter(stage=stage)
    if q:
        qs = qs.filter(enterprise__name__contains=q)
    return qs
