"""Enterprise actions: create, edit (staff and self-service), yearly figures, contacts, size classes."""

import datetime

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from qinqing.core import audit, home_versions
from qinqing.orgs.models import Organization

from .. import rules
from ..common import (
    _in_scope,
    _redact,
    _require,
    save_changes,
)
from ..models import Enterprise, EnterpriseContact, EnterpriseYearFigures
from ..standards import idcard, mobile, sizeclass

ENTERPRISE_EDIT_FIELDS = [
    "name",
    "legal_representative",
    "legal_rep_id_number",
    "region_code",
    "industry_code",
    "founded_on",
    "employees",
    "revenue_wan",
    "total_assets_wan",
    "qualifications",
    "address",
    "contact_name",
    "contact_mobile",
]


SELF_SERVICE_FIELDS = ["address", "contact_name", "contact_mobile"]


FIGURE_FIELDS = ["revenue_wan", "tax_wan", "rd_spend_wan", "employees", "total_assets_wan"]


MATCHING_FIELDS = {
    "region_code",
    "industry_code",
    "size_class",
    "founded_on",
    "employees",
    "revenue_wan",
    "total_assets_wan",
    "qualifications",
}


CONTACT_FIELDS = ["name", "position", "mobile", "id_number"]


SIZE_FIGURES = ("employees", "revenue_wan", "total_assets_wan")


def latest_figures(enterprise_ids) -> dict[int, dict]:
    """Per enterprise, each size figure from the most recent year that has it (one query)."""
    found: dict[int, dict] = {}
    rows = (
        EnterpriseYearFigures.objects.filter(enterprise_id__in=list(enterprise_ids))
        .order_by("enterprise_id", "-year")
        .values_list("enterprise_id", *SIZE_FIGURES)
    )
    for enterprise_id, *values in rows:
        current = found.setdefault(enterprise_id, {})
        for name, value in zip(SIZE_FIGURES, values, strict=True):
            if value is not None and current.get(name) is None:
                current[name] = value
    return found


def size_figures(enterprise: Enterprise, latest: dict | None = None) -> dict:
    """The figures the size class is decided on: the enterprise's own, a blank one filled from the latest
    year that has it (an enterprise often files only its annual figures)."""
    own = {name: getattr(enterprise, name) for name in SIZE_FIGURES}
    if all(value is not None for value in own.values()) or not enterprise.pk:
        return own
    if latest is None:
        latest = latest_figures([enterprise.pk]).get(enterprise.pk, {})
    return {name: value if value is not None else latest.get(name) for name, value in own.items()}


def size_of(enterprise: Enterprise, latest: dict | None = None) -> str:
    figures = size_figures(enterprise, latest)
    result = sizeclass.classify(
        enterprise.industry_code or "", figures["employees"], figures["revenue_wan"], figures["total_assets_wan"]
    )
    return result.size or ""


def rematch_after_commit(enterprise_id: int) -> None:
    """Policy eligibility is decided on the enterprise's data: once the change is committed, re-match this
    one enterprise and notify it of newly eligible policies (qinqing.policies.actions.enterprise_changed).

    ``robust``: a failure there is logged and never turns the user's committed save into an error page."""
    if not apps.is_installed("qinqing.policies"):
        return

    def rematch() -> None:
        from qinqing.policies.actions import enterprise_changed

        enterprise = Enterprise.objects.filter(pk=enterprise_id).first()
        if enterprise is not None:
            with transaction.atomic():  # rematch_enterprise locks the stored match rows
                enterprise_changed(enterprise)

    transaction.on_commit(rematch, robust=True)


def _may_edit(actor, enterprise: Enterprise) -> bool:
    """Check the actor may edit this enterprise; True when they do so as the enterprise itself (self-service)."""
    if actor is None:
        return False
    if actor.enterprise_id == enterprise.pk and not actor.has_perm("registry.change_enterprise"):
        _require(actor, "registry.correct_own_enterprise")
        return True
    _require(actor, "registry.change_enterprise")
    _in_scope(actor, enterprise.org_path)
    return False


@transaction.atomic
def create_enterprise(*, actor, fic: Organization, credit_code: str, name: str, **fields) -> Enterprise:
    _require(actor, "registry.change_enterprise")
    _in_scope(actor, fic.path)
    unknown = set(fields) - set(ENTERPRISE_EDIT_FIELDS)
    if unknown:
        raise PermissionDenied(_("不能填写：%(fields)s") % {"fields": "、".join(sorted(unknown))})
    fields = rules.check_enterprise({"credit_code": credit_code, **fields})
    code = fields.pop("credit_code")
    if not (name or "").strip():
        raise ValidationError({"name": _("企业名称：请填写")})
    if Enterprise.objects.filter(credit_code=code).exists():
        raise ValidationError({"credit_code": _("统一社会信用代码：该代码已登记")})
    enterprise = Enterprise(credit_code=code, name=name.strip(), fic=fic, org_path=fic.path, **fields)
    enterprise.region_code = enterprise.region_code or fic.region_code
    enterprise.size_class = size_of(enterprise)
    enterprise.save()
    audit.record("registry.create_enterprise", obj=enterprise, actor=actor, after=_redact(audit.snapshot(enterprise)))
    rematch_after_commit(enterprise.pk)
    return enterprise


@transaction.atomic
def update_enterprise(enterprise: Enterprise, *, actor, **changes) -> Enterprise:
    """Change an enterprise's data; the size class follows the new figures."""
    allowed = SELF_SERVICE_FIELDS if _may_edit(actor, enterprise) else ENTERPRISE_EDIT_FIELDS
    unknown = set(changes) - set(allowed)
    if unknown:
        raise PermissionDenied(_("不能修改：%(fields)s") % {"fields": "、".join(sorted(unknown))})
    changes = rules.check_enterprise(changes)  # the same standards checks as the form, the API and imports
    fields = [*allowed, "size_class"]
    before = audit.snapshot(enterprise, fields)
    for name, value in changes.items():
        setattr(enterprise, name, value)
    enterprise.size_class = size_of(enterprise)
    after = audit.snapshot(enterprise, fields)
    old, new = audit.diff(before, after)
    if new:
        enterprise.save(update_fields=[*new.keys(), "updated_at"])
        audit.record("registry.update_enterprise", obj=enterprise, actor=actor, before=_redact(old), after=_redact(new))
        if MATCHING_FIELDS & set(new):
            rematch_after_commit(enterprise.pk)
    return enterprise


@transaction.atomic
def record_year_figures(enterprise: Enterprise, year: int, *, actor, **figures) -> EnterpriseYearFigures:
    """Enter or correct one year's figures. Other years are never touched; the latest year also
    updates the enterprise's current employees/revenue/assets and so its size class."""
    _may_edit(actor, enterprise)
    if not 1949 <= year <= datetime.date.today().year:
        raise ValidationError({"year": _("年度：应在1949年至%(year)s年之间") % {"year": datetime.date.today().year}})
    # Locks in the registry import's order: the enterprise, its yearly figures, the audit chain head last (a
    # figures row then the head then the enterprise deadlocked with an import batch writing the same enterprise).
    Enterprise.objects.select_for_update(no_key=True).filter(pk=enterprise.pk).values_list("pk").first()
    row, created = EnterpriseYearFigures.objects.select_for_update().get_or_create(enterprise=enterprise, year=year)
    before = audit.snapshot(row, FIGURE_FIELDS)
    for name in FIGURE_FIELDS:
        if name in figures:
            setattr(row, name, figures[name])
    row.save()
    old, new = audit.diff({} if created else before, audit.snapshot(row, FIGURE_FIELDS))
    latest = enterprise.year_figures.order_by("-year").values_list("year", flat=True).first()
    if latest != year:  # an older year may still fill a figure the enterprise lacks
        size = size_of(enterprise)
        if size != enterprise.size_class:
            enterprise.size_class = size
            enterprise.save(update_fields=["size_class", "updated_at"])
    if latest == year:
        enterprise.employees = row.employees if row.employees is not None else enterprise.employees
        enterprise.revenue_wan = row.revenue_wan if row.revenue_wan is not None else enterprise.revenue_wan
        enterprise.total_assets_wan = (
            row.total_assets_wan if row.total_assets_wan is not None else enterprise.total_assets_wan
        )
        enterprise.size_class = size_of(enterprise)
        enterprise.save(update_fields=["employees", "revenue_wan", "total_assets_wan", "size_class", "updated_at"])
    audit.record(
        "registry.record_year_figures",
        obj=enterprise,
        actor=actor,
        object_repr=_("%(name)s %(year)s年度") % {"name": enterprise.name, "year": year},
        before=old or None,
        after={"year": year, **new},
    )
    rematch_after_commit(enterprise.pk)
    return row


@transaction.atomic
def remove_year_figures(row: EnterpriseYearFigures, *, actor) -> None:
    """Delete one year entered by mistake. The enterprise's current figures stay as they are: they may have
    been entered on their own, and a deleted year must not silently rewrite them."""
    enterprise = row.enterprise
    _may_edit(actor, enterprise)
    before = {"year": row.year, **audit.snapshot(row, FIGURE_FIELDS)}
    row.delete()
    audit.record(
        "registry.remove_year_figures",
        obj=enterprise,
        actor=actor,
        object_repr=_("%(name)s %(year)s年度") % {"name": enterprise.name, "year": before["year"]},
        before=before,
    )
    rematch_after_commit(enterprise.pk)


def _clean_contact(values: dict) -> dict:
    """Names required, numbers validated by their standards; errors name the field."""
    out = dict(values)
    errors = {}
    if "name" in out:
        out["name"] = (out["name"] or "").strip()
        if not out["name"]:
            errors["name"] = _("姓名：请填写联系人姓名")
    if out.get("mobile"):
        try:
            out["mobile"] = mobile.validate_mobile(out["mobile"])
        except mobile.InvalidMobile as exc:
            errors["mobile"] = _("手机号码：%(reason)s") % {"reason": exc.message}
    if out.get("id_number"):
        try:
            out["id_number"] = idcard.validate(out["id_number"])
        except idcard.InvalidIdNumber as exc:
            errors["id_number"] = _("身份证号：%(reason)s") % {"reason": exc}
    if errors:
        raise ValidationError(errors)
    return out


@transaction.atomic
def add_contact(enterprise: Enterprise, *, actor, name: str, **fields) -> EnterpriseContact:
    _may_edit(actor, enterprise)
    unknown = set(fields) - set(CONTACT_FIELDS)
    if unknown:
        raise PermissionDenied
    values = _clean_contact({"name": name, **fields})
    contact = EnterpriseContact.objects.create(enterprise=enterprise, **values)
    audit.record(
        "registry.add_contact",
        obj=enterprise,
        actor=actor,
        after=_redact(audit.snapshot(contact, CONTACT_FIELDS)),
        message=_("联系人：%(name)s") % {"name": contact.name},
    )
    return contact


@transaction.atomic
def update_contact(contact: EnterpriseContact, *, actor, **changes) -> EnterpriseContact:
    _may_edit(actor, contact.enterprise)
    unknown = set(changes) - set(CONTACT_FIELDS)
    if unknown:
        raise PermissionDenied
    changes = _clean_contact(changes)
    before = audit.snapshot(contact, CONTACT_FIELDS)
    for name, value in changes.items():
        setattr(contact, name, value)
    old, new = save_changes(contact, CONTACT_FIELDS, before)
    if new:
        audit.record(
            "registry.update_contact",
            obj=contact.enterprise,
            actor=actor,
            before=_redact(old),
            after=_redact(new),
            message=_("联系人：%(name)s") % {"name": contact.name},
        )
    return contact


@transaction.atomic
def remove_contact(contact: EnterpriseContact, *, actor) -> None:
    enterprise = contact.enterprise
    _may_edit(actor, enterprise)
    before = _redact(audit.snapshot(contact, CONTACT_FIELDS))
    contact.delete()
    audit.record(
        "registry.remove_contact",
        obj=enterprise,
        actor=actor,
        before=before,
        message=_("联系人：%(name)s") % {"name": before["name"]},
    )


@transaction.atomic
def recompute_size_classes(queryset, *, actor=None) -> int:
    """After the 办法's table or the industry data changes: recompute and store every size class."""
    changed = []
    enterprises = list(queryset.only("id", "industry_code", *SIZE_FIGURES, "size_class"))
    blanks = [e.pk for e in enterprises if any(getattr(e, name) is None for name in SIZE_FIGURES)]
    latest = latest_figures(blanks) if blanks else {}
    for enterprise in enterprises:
        size = size_of(enterprise, latest.get(enterprise.pk, {}))
        if size != enterprise.size_class:
            enterprise.size_class = size
            changed.append(enterprise)
    Enterprise.objects.bulk_update(changed, ["size_class"], batch_size=2000)
    if changed:  # bulk_update sends no signal: the policy cards (eligibility) recount after the commit
        home_versions.changed("registry.Enterprise")
    audit.record(
        "registry.recompute_size_classes",
        actor=actor,
        object_type="registry.enterprise",
        after={"changed": len(changed)},
    )
    return len(changed)
