"""万所联万会: FIC staff record and edit the links of law firms to chambers."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from qinqing.core import audit
from qinqing.core.roles import Role

from ..choices import Service
from ..models import FirmLink
from .common import LegalError, parse_date, text

FIELDS = ["law_firm_id", "chamber_id", "starts_on", "ends_on", "services", "services_note"]


def clean_link(data: dict, *, actor) -> dict:
    """Check a link's input: a law firm, a chamber in the actor's subtree, a term that ends after it starts, the
    services from the catalogue, and lawyers of that law firm."""
    from qinqing.accounts.models import User
    from qinqing.orgs.models import Organization

    firm = data.get("law_firm")
    firm = getattr(firm, "pk", firm)
    law_firm = Organization.objects.filter(pk=firm, kind="lawfirm", is_active=True).first() if firm else None
    if law_firm is None:
        raise ValidationError({"law_firm": _("律师事务所：请选择一家律师事务所")})
    chamber_id = data.get("chamber")
    chamber_id = getattr(chamber_id, "pk", chamber_id)
    chamber = Organization.objects.filter(pk=chamber_id, kind="chamber").first() if chamber_id else None
    if chamber is None or not chamber.path.startswith(actor.org.path):
        raise ValidationError({"chamber": _("商会：请选择您管辖范围内的商会")})
    starts_on = parse_date(data.get("starts_on"), "starts_on", _("起始日期"))
    ends_on = parse_date(data.get("ends_on"), "ends_on", _("截止日期"))
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("截止日期不能早于起始日期 %(day)s") % {"day": starts_on}})
    services = [str(s) for s in (data.get("services") or [])]
    unknown = [s for s in services if s not in Service.values]
    if unknown:
        raise ValidationError({"services": _("服务内容中有未知项：%(items)s") % {"items": "、".join(unknown)}})
    if not services:
        raise ValidationError({"services": _("服务内容：请至少选择一项承诺的服务")})
    ids = [getattr(u, "pk", u) for u in (data.get("lawyers") or [])]
    lawyers = list(User.objects.filter(pk__in=ids, role=Role.LAWYER, org=law_firm, is_active=True))
    if len(lawyers) != len(set(ids)):
        raise ValidationError({"lawyers": _("联点律师：只能选择该律师事务所的律师")})
    return {
        "law_firm": law_firm,
        "chamber": chamber,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "services": sorted(set(services), key=Service.values.index),
        "services_note": text(data.get("services_note"), "services_note", _("服务承诺说明"), limit=500,
                              required=False),
        "lawyers": lawyers,
    }  # fmt: skip


@transaction.atomic
def save_link(*, actor, data: dict, link: FirmLink | None = None) -> FirmLink:
    if actor.role != Role.FIC_STAFF:
        raise LegalError(_("只有工商联工作人员可以登记所会联系"))
    clean = clean_link(data, actor=actor)
    lawyers = clean.pop("lawyers")
    before = audit.snapshot(link, FIELDS) if link else None
    if link is None:
        link = FirmLink(created_by=actor)
    for name, value in clean.items():
        setattr(link, name, value)
    link.org_path = clean["chamber"].path
    link.save()
    link.lawyers.set(lawyers)
    after = {**audit.snapshot(link, FIELDS), "lawyers": [u.pk for u in lawyers]}
    audit.record("legal.save_link", obj=link, actor=actor, before=before, after=after)
    return link


def active_links(on, *, chamber=None):
    qs = FirmLink.objects.filter(starts_on__lte=on, ends_on__gte=on)
    return qs.filter(chamber=chamber) if chamber is not None else qs
