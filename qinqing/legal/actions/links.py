"""万所联万会: FIC staff record and edit the links of law firms to chambers."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from qinqing.core import audit
from qinqing.core.roles import Role

from .. import delivery
from ..choices import Service
from ..models import FirmLink, LinkService
from .common import LegalError, parse_date, text, today

FIELDS = ["law_firm_id", "chamber_id", "starts_on", "ends_on", "services", "targets", "services_note"]
SERVICE_FIELDS = ["link_id", "service", "delivered_on", "enterprise_id", "summary"]
# Counted from their own records, not recorded against the link.
COUNTED_ELSEWHERE = (Service.CHECKUP, Service.TALK)
MAX_TARGET = 100000


def clean_targets(raw, services: list[str]) -> dict[str, int]:
    """Promised numbers: whole numbers 0–100000 for promised services only; 0 or blank means no number."""
    out = {}
    for code, value in dict(raw or {}).items():
        if value in (None, ""):
            continue
        label = Service(code).label if code in Service.values else code
        try:
            number = int(str(value).strip())
        except (TypeError, ValueError):
            number = -1
        if number < 0 or number > MAX_TARGET:
            raise ValidationError({f"target_{code}": _("承诺数量（%(service)s）应为 0 至 %(n)s 的整数")
                                   % {"service": label, "n": MAX_TARGET}})  # fmt: skip
        if number and code not in services:
            raise ValidationError({f"target_{code}": _("承诺数量（%(service)s）：请先勾选该项服务内容")
                                   % {"service": label}})  # fmt: skip
        if number:
            out[code] = number
    return out


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
        "targets": clean_targets(data.get("targets"), services),
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


@transaction.atomic
def record_link_service(link: FirmLink, *, actor, data: dict) -> LinkService:
    """A lawyer of the linked firm (or FIC staff of the subtree) records a service delivered under the link."""
    from qinqing.registry.models import Enterprise

    if actor.role == Role.LAWYER:
        if actor.org_id != link.law_firm_id:
            raise LegalError(_("只能为本所的所会联系登记服务"))
    elif actor.role != Role.FIC_STAFF or not link.org_path.startswith(actor.org.path):
        raise LegalError(_("您的角色不能登记所会服务"))
    service = data.get("service") or ""
    if service not in Service.values or service in COUNTED_ELSEWHERE:
        raise ValidationError(
            {"service": _("服务类型：请选择法律咨询、合同审查、纠纷调解或维权服务（体检和讲座按其记录自动计入）")}
        )
    day = parse_date(data.get("delivered_on"), "delivered_on", _("服务日期"))
    if day < link.starts_on or day > link.ends_on:
        raise ValidationError({"delivered_on": _("服务日期应在联系期限 %(start)s 至 %(end)s 之内")
                               % {"start": link.starts_on, "end": link.ends_on}})  # fmt: skip
    if day > today():
        raise ValidationError({"delivered_on": _("服务日期不能晚于今天")})
    code = (data.get("credit_code") or "").strip().upper()
    enterprise = None
    if code:
        enterprise = Enterprise.objects.filter(credit_code=code).first()
        if enterprise is None:
            raise ValidationError({"credit_code": _("服务企业：未找到统一社会信用代码 %(code)s") % {"code": code}})
    summary = text(data.get("summary"), "summary", _("服务情况"), limit=500)
    record = LinkService.objects.create(link=link, org_path=link.org_path, service=service, delivered_on=day,
                                        enterprise=enterprise, summary=summary, recorded_by=actor)  # fmt: skip
    audit.record("legal.record_link_service", obj=record, actor=actor, after=audit.snapshot(record, SERVICE_FIELDS))
    return record


def link_delivery(link: FirmLink) -> list[delivery.Line]:
    """Promised against delivered within the link's term: check-ups visited under the link, the firm's talks for
    the chamber, and the services recorded against the link."""
    from ..models import Checkup, LegalTalk

    term = (link.starts_on, link.ends_on)
    delivered = {
        Service.CHECKUP.value: Checkup.objects.filter(link=link, visited_on__range=term).count(),
        Service.TALK.value: LegalTalk.objects.filter(law_firm_id=link.law_firm_id, chamber_id=link.chamber_id,
                                                     date__range=term).count(),
    }  # fmt: skip
    rows = link.deliveries.filter(delivered_on__range=term).values("service").annotate(n=Count("pk")).order_by()
    delivered.update({row["service"]: row["n"] for row in rows})
    return delivery.lines(link.services, link.targets or {}, delivered, Service.values)
