"""Every write to the registry's domain data: atomic, checked, audited."""

import datetime
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from qinqing.core import audit
from qinqing.orgs.models import Organization

from . import rules
from .choices import MemberKind, MemberRole
from .models import Enterprise, EnterpriseContact, EnterpriseYearFigures, Member
from .standards import idcard, mobile, sizeclass

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
# What an enterprise user may correct on their own record.
SELF_SERVICE_FIELDS = ["address", "contact_name", "contact_mobile"]
FIGURE_FIELDS = ["revenue_wan", "tax_wan", "rd_spend_wan", "employees", "total_assets_wan"]
MEMBER_FIELDS = [
    "role",
    "joined_on",
    "left_on",
    "person_name",
    "id_number",
    "mobile",
    "group_name",
    "represented_enterprises",
]


PII_FIELDS = {"legal_rep_id_number", "contact_mobile", "id_number", "mobile"}
# Enterprise fields policy eligibility is decided on (qinqing.eligibility.attributes.read_frame).
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


def _redact(values: dict | None) -> dict | None:
    """Audit rows keep personal numbers masked: the log is read by more people than view_pii holders."""
    if values is None:
        return None
    out = dict(values)
    for key in PII_FIELDS & set(out):
        if out[key]:
            out[key] = idcard.mask(out[key]) if "id" in key else mobile.mask_mobile(out[key])
    return out


def _require(user, permission: str) -> None:
    if user is not None and not user.has_perm(permission):
        raise PermissionDenied


def _in_scope(user, path: str) -> None:
    org = getattr(user, "org", None)
    if user is not None and (org is None or not path.startswith(org.path)):
        raise PermissionDenied


def save_changes(obj, fields: list[str], before: dict) -> tuple[dict, dict]:
    """Save the fields that differ from ``before`` (an audit.snapshot); return their old and new values."""
    old, new = audit.diff(before, audit.snapshot(obj, fields))
    if new:
        obj.save(update_fields=[*new.keys(), "updated_at"])
    return old, new


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
    row, created = EnterpriseYearFigures.objects.select_for_update().get_or_create(enterprise=enterprise, year=year)
    before = audit.snapshot(row, FIGURE_FIELDS)
    for name in FIGURE_FIELDS:
        if name in figures:
            setattr(row, name, figures[name])
    row.save()
    old, new = audit.diff({} if created else before, audit.snapshot(row, FIGURE_FIELDS))
    audit.record(
        "registry.record_year_figures",
        obj=enterprise,
        actor=actor,
        object_repr=_("%(name)s %(year)s年度") % {"name": enterprise.name, "year": year},
        before=old or None,
        after={"year": year, **new},
    )
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


# --- contacts -----------------------------------------------------------------------------------


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
    audit.record(
        "registry.recompute_size_classes",
        actor=actor,
        object_type="registry.enterprise",
        after={"changed": len(changed)},
    )
    return len(changed)


def reveal_pii(obj, field: str, *, actor) -> str:
    """Return one unmasked number and log who looked at it (the audit row names the field, not the number)."""
    _require(actor, "registry.view_pii")
    value = getattr(obj, field)
    audit.record(
        "registry.reveal_pii",
        obj=obj,
        actor=actor,
        after={"field": field},
        message=_("查看完整%(field)s：%(object)s") % {"field": obj._meta.get_field(field).verbose_name, "object": obj},
    )
    return value


def record_pii_access(*, actor, object_type: str, ids: list[int], channel: str) -> None:
    """A view_pii holder received full numbers in bulk (an API page): one audit row names the records."""
    _require(actor, "registry.view_pii")
    audit.record(
        "registry.reveal_pii",
        actor=actor,
        object_type=object_type,
        after={"ids": ids, "channel": channel},
        message=_("通过%(channel)s查看完整号码（%(count)s条）") % {"channel": channel, "count": len(ids)},
    )


def record_export(*, actor, kind: str, rows: int, fmt: str, filters: str) -> None:
    """Every export is audited: what, how many rows, with which filters, and whether numbers were unmasked."""
    _require(actor, "registry.export_registry")
    audit.record(
        "registry.export",
        actor=actor,
        object_type=f"registry.{kind}",
        after={
            "kind": kind,
            "rows": rows,
            "format": fmt,
            "filters": filters,
            "unmasked": actor is not None and actor.has_perm("registry.view_pii"),
        },
        message=_("导出%(rows)s条") % {"rows": rows},
    )


# --- members ------------------------------------------------------------------------------------


def _can_keep_members(actor, organization: Organization) -> None:
    if actor is None:
        return
    if actor.has_perm("registry.change_member"):
        _in_scope(actor, organization.path)
    elif actor.has_perm("registry.keep_chamber_members") and actor.org_id == organization.pk:
        return
    else:
        raise PermissionDenied


def _check_member(kind: str, values: dict) -> dict:
    """An individual's numbers (GB 11643 ID number, mobile), a group's declared figure, the role and dates;
    errors name the field."""
    out = dict(values)
    errors: dict[str, str] = {}
    for name, label, check in (
        ("id_number", _("身份证号"), rules.id_number),
        ("mobile", _("手机号码"), rules.mobile_number),
    ):
        if out.get(name):
            try:
                out[name] = check(str(out[name]))
            except rules.RuleError as exc:
                errors[name] = _("%(label)s：%(reason)s") % {"label": label, "reason": exc}
    if "role" in out and out["role"] not in MemberRole.values:
        errors["role"] = _("职务：请选择列表中的职务")
    if out.get("represented_enterprises") is not None and out["represented_enterprises"] < 0:
        errors["represented_enterprises"] = _("代表企业数：不能为负数")
    for name in ("person_name", "group_name"):
        if name in out:
            out[name] = (out[name] or "").strip()
    if errors:
        raise ValidationError(errors)
    return out


@transaction.atomic
def add_member(
    *,
    actor,
    organization: Organization,
    kind: str,
    joined_on: datetime.date,
    enterprise: Enterprise | None = None,
    group: Organization | None = None,
    **fields,
) -> Member:
    """Add an enterprise, group or individual member. A group member is a registry chamber (``group``;
    the enterprises it represents are its own members) or an outside association (``group_name`` and the
    number of enterprises it declares, ``represented_enterprises``)."""
    _can_keep_members(actor, organization)
    unknown = set(fields) - set(MEMBER_FIELDS)
    if unknown:
        raise PermissionDenied
    if organization.kind not in ("fic", "chamber"):
        raise ValidationError({"organization": _("入会组织：会员只能加入工商联或商会")})
    if kind not in MemberKind.values:
        raise ValidationError({"kind": _("会员类别：请选择企业会员、团体会员或个人会员")})
    fields = _check_member(kind, fields)
    if kind == MemberKind.ENTERPRISE and enterprise is None:
        raise ValidationError({"enterprise": _("企业：企业会员必须选择企业")})
    if kind == MemberKind.GROUP:
        if group is not None and (group.kind != "chamber" or group.pk == organization.pk):
            raise ValidationError({"group": _("团体会员单位：必须是另一个商会")})
        if group is None and not fields.get("group_name"):
            raise ValidationError({"group_name": _("团体会员单位名称：请选择登记在册的商会，或填写协会名称")})
    if kind == MemberKind.INDIVIDUAL and not fields.get("person_name"):
        raise ValidationError({"person_name": _("姓名：个人会员必须填写姓名")})
    if fields.get("left_on") and fields["left_on"] < joined_on:
        raise ValidationError({"left_on": _("退会日期：早于入会日期")})
    # Only what the kind needs is kept: a group's declared figure only for associations outside the registry.
    if kind != MemberKind.GROUP or group is not None:
        fields.pop("group_name", None)
        fields.pop("represented_enterprises", None)
    if kind == MemberKind.ENTERPRISE:
        fields.pop("id_number", None)
    dup = Member.objects.filter(organization=organization)
    if kind == MemberKind.ENTERPRISE and dup.filter(enterprise=enterprise).exists():
        raise ValidationError({"enterprise": _("企业：该企业已是会员")})
    if kind == MemberKind.GROUP and group is not None and dup.filter(group=group).exists():
        raise ValidationError({"group": _("团体会员单位：该商会已是团体会员")})
    if kind == MemberKind.GROUP and group is None and dup.filter(kind=kind, group_name=fields["group_name"]).exists():
        raise ValidationError(
            {"group_name": _("团体会员单位名称：“%(name)s”已是团体会员") % {"name": fields["group_name"]}}
        )
    if kind == MemberKind.INDIVIDUAL and fields.get("id_number") and dup.filter(id_number=fields["id_number"]).exists():
        raise ValidationError({"id_number": _("身份证号：此人已是个人会员")})
    member = Member.objects.create(
        organization=organization,
        org_path=organization.path,
        kind=kind,
        enterprise=enterprise if kind == MemberKind.ENTERPRISE else None,
        group=group if kind == MemberKind.GROUP else None,
        joined_on=joined_on,
        **fields,
    )
    audit.record("registry.add_member", obj=member, actor=actor, after=_redact(audit.snapshot(member)))
    if member.enterprise_id:
        rematch_after_commit(member.enterprise_id)
    return member


@transaction.atomic
def update_member(member: Member, *, actor, **changes) -> Member:
    _can_keep_members(actor, member.organization)
    unknown = set(changes) - set(MEMBER_FIELDS)
    if unknown:
        raise PermissionDenied
    changes = _check_member(member.kind, changes)
    before = audit.snapshot(member, MEMBER_FIELDS)
    for name, value in changes.items():
        setattr(member, name, value)
    if member.left_on and member.left_on < member.joined_on:
        raise ValidationError({"left_on": _("退会日期：早于入会日期")})
    old, new = audit.diff(before, audit.snapshot(member, MEMBER_FIELDS))
    if new:
        member.save(update_fields=[*new.keys(), "updated_at"])
        audit.record("registry.update_member", obj=member, actor=actor, before=_redact(old), after=_redact(new))
        if member.enterprise_id and {"joined_on", "left_on"} & set(new):
            rematch_after_commit(member.enterprise_id)
    return member


def decimal_or_none(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


# --- imports ------------------------------------------------------------------------------------


def start_import(
    *,
    actor,
    kind: str,
    upload=None,
    stored_name: str = "",
    filename: str = "",
    dry_run: bool = True,
    strict: bool = False,
):
    """Store the uploaded file and start a preview (dry run) or commit job for it."""
    import uuid

    from qinqing.core.jobs import start_job

    from .tasks import import_dir, import_registry_file

    _require(actor, "registry.import_registry")
    if upload is not None:
        suffix = upload.name.rsplit(".", 1)[-1].lower()
        stored_name = f"{uuid.uuid4().hex}.{suffix}"
        filename = upload.name
        with (import_dir() / stored_name).open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
    from .importing.runner import TITLES

    values = {"title": TITLES[kind], "filename": filename}
    title = _("预检%(title)s：%(filename)s") % values if dry_run else _("导入%(title)s：%(filename)s") % values
    return start_job(
        "registry.import_preview" if dry_run else "registry.import_commit",
        title,
        user=actor,
        params={
            "kind": kind,
            "stored_name": stored_name,
            "filename": filename,
            "org_id": actor.org_id,
            "user_id": actor.pk,
            "dry_run": dry_run,
            "strict": strict,
        },
        task=import_registry_file,
    )


@transaction.atomic
def refuse_import(job, *, actor) -> None:
    """The clerk refuses the whole file: nothing is written and the upload is deleted."""
    from .tasks import import_dir

    _require(actor, "registry.import_registry")
    (import_dir() / job.params["stored_name"]).unlink(missing_ok=True)
    job.result = {**job.result, "refused": True}
    job.message = _("已拒绝整个文件，未写入任何数据")
    job.save(update_fields=["result", "message", "updated_at"])
    audit.record("registry.refuse_import", obj=job, actor=actor, message=job.params.get("filename", ""))
