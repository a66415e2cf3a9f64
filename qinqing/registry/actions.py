"""Every write to the registry's domain data: atomic, checked, audited."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from qinqing.core import audit
from qinqing.orgs.models import Organization

from .choices import MemberKind
from .models import Chamber, ChamberBranch, ChamberRating, ChamberTerm, Enterprise, EnterpriseYearFigures, Member
from .standards import sizeclass, uscc

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
MEMBER_FIELDS = ["role", "joined_on", "left_on", "person_name", "id_number", "mobile"]
CHAMBER_FIELDS = [
    "chamber_type",
    "registration_status",
    "credit_code",
    "registered_on",
    "party_org_established",
    "party_members",
    "has_mediation_committee",
    "law_firm_id",
    "note",
]


PII_FIELDS = {"legal_rep_id_number", "contact_mobile", "id_number", "mobile"}


def _redact(values: dict | None) -> dict | None:
    """Audit rows keep personal numbers masked: the log is read by more people than view_pii holders."""
    if values is None:
        return None
    from .standards import idcard, mobile

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


def size_of(enterprise: Enterprise) -> str:
    result = sizeclass.classify(
        enterprise.industry_code or "", enterprise.employees, enterprise.revenue_wan, enterprise.total_assets_wan
    )
    return result.size or ""


@transaction.atomic
def create_enterprise(*, actor, fic: Organization, credit_code: str, name: str, **fields) -> Enterprise:
    _require(actor, "registry.change_enterprise")
    _in_scope(actor, fic.path)
    code = uscc.validate(credit_code)
    if Enterprise.objects.filter(credit_code=code).exists():
        raise ValidationError({"credit_code": "该统一社会信用代码已登记"})
    enterprise = Enterprise(credit_code=code, name=name, fic=fic, org_path=fic.path, **fields)
    enterprise.region_code = enterprise.region_code or fic.region_code
    enterprise.size_class = size_of(enterprise)
    enterprise.save()
    audit.record("registry.create_enterprise", obj=enterprise, actor=actor, after=_redact(audit.snapshot(enterprise)))
    return enterprise


@transaction.atomic
def update_enterprise(enterprise: Enterprise, *, actor, **changes) -> Enterprise:
    """Change an enterprise's data; the size class follows the new figures."""
    is_self = (
        actor is not None and actor.enterprise_id == enterprise.pk and not actor.has_perm("registry.change_enterprise")
    )
    if is_self:
        _require(actor, "registry.correct_own_enterprise")
        allowed = SELF_SERVICE_FIELDS
    else:
        _require(actor, "registry.change_enterprise")
        _in_scope(actor, enterprise.org_path)
        allowed = ENTERPRISE_EDIT_FIELDS
    unknown = set(changes) - set(allowed)
    if unknown:
        raise PermissionDenied(f"不能修改：{'、'.join(sorted(unknown))}")
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
    return enterprise


@transaction.atomic
def record_year_figures(enterprise: Enterprise, year: int, *, actor, **figures) -> EnterpriseYearFigures:
    """Enter or correct one year's figures. Other years are never touched; the latest year also
    updates the enterprise's current employees/revenue/assets and so its size class."""
    if actor is not None and actor.enterprise_id == enterprise.pk and not actor.has_perm("registry.change_enterprise"):
        _require(actor, "registry.correct_own_enterprise")
    else:
        _require(actor, "registry.change_enterprise")
        _in_scope(actor, enterprise.org_path)
    if not 1949 <= year <= datetime.date.today().year:
        raise ValidationError({"year": "年度不正确"})
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
        object_repr=f"{enterprise.name} {year}年度",
        before=old or None,
        after={"year": year, **new},
    )
    latest = enterprise.year_figures.order_by("-year").values_list("year", flat=True).first()
    if latest == year:
        enterprise.employees = row.employees if row.employees is not None else enterprise.employees
        enterprise.revenue_wan = row.revenue_wan if row.revenue_wan is not None else enterprise.revenue_wan
        enterprise.total_assets_wan = (
            row.total_assets_wan if row.total_assets_wan is not None else enterprise.total_assets_wan
        )
        enterprise.size_class = size_of(enterprise)
        enterprise.save(update_fields=["employees", "revenue_wan", "total_assets_wan", "size_class", "updated_at"])
    return row


@transaction.atomic
def recompute_size_classes(queryset, *, actor=None) -> int:
    """After the 办法's table or the industry data changes: recompute and store every size class."""
    changed = []
    for enterprise in queryset.only(
        "id", "industry_code", "employees", "revenue_wan", "total_assets_wan", "size_class"
    ):
        size = size_of(enterprise)
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
    """Return one unmasked number and log who looked at it."""
    _require(actor, "registry.view_pii")
    value = getattr(obj, field)
    audit.record(
        "registry.reveal_pii", obj=obj, actor=actor, message=f"查看完整{obj._meta.get_field(field).verbose_name}"
    )
    return value


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
    _can_keep_members(actor, organization)
    if organization.kind not in ("fic", "chamber"):
        raise ValidationError({"organization": "会员只能加入工商联或商会"})
    if kind == MemberKind.ENTERPRISE and enterprise is None:
        raise ValidationError({"enterprise": "企业会员必须选择企业"})
    if kind == MemberKind.GROUP and (group is None or group.kind != "chamber" or group.pk == organization.pk):
        raise ValidationError({"group": "团体会员必须是另一个商会"})
    if kind == MemberKind.INDIVIDUAL and not fields.get("person_name"):
        raise ValidationError({"person_name": "个人会员必须填写姓名"})
    if fields.get("left_on") and fields["left_on"] < joined_on:
        raise ValidationError({"left_on": "退会日期早于入会日期"})
    dup = Member.objects.filter(organization=organization)
    if enterprise is not None and dup.filter(enterprise=enterprise).exists():
        raise ValidationError({"enterprise": "该企业已是会员"})
    if group is not None and dup.filter(group=group).exists():
        raise ValidationError({"group": "该商会已是团体会员"})
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
    return member


@transaction.atomic
def update_member(member: Member, *, actor, **changes) -> Member:
    _can_keep_members(actor, member.organization)
    unknown = set(changes) - set(MEMBER_FIELDS)
    if unknown:
        raise PermissionDenied
    before = audit.snapshot(member, MEMBER_FIELDS)
    for name, value in changes.items():
        setattr(member, name, value)
    if member.left_on and member.left_on < member.joined_on:
        raise ValidationError({"left_on": "退会日期早于入会日期"})
    old, new = audit.diff(before, audit.snapshot(member, MEMBER_FIELDS))
    if new:
        member.save(update_fields=[*new.keys(), "updated_at"])
        audit.record("registry.update_member", obj=member, actor=actor, before=_redact(old), after=_redact(new))
    return member


# --- chambers -----------------------------------------------------------------------------------


@transaction.atomic
def register_chamber(organization: Organization, *, actor, chamber_type: str, **fields) -> Chamber:
    _require(actor, "registry.change_chamber")
    _in_scope(actor, organization.path)
    if organization.kind != "chamber":
        raise ValidationError({"organization": "只能为商会类组织登记商会信息"})
    if Chamber.objects.filter(organization=organization).exists():
        raise ValidationError({"organization": "该商会已登记"})
    chamber = Chamber.objects.create(
        organization=organization, org_path=organization.path, chamber_type=chamber_type, **fields
    )
    audit.record("registry.register_chamber", obj=chamber, actor=actor, after=_redact(audit.snapshot(chamber)))
    return chamber


def _can_change_chamber(actor, chamber: Chamber) -> None:
    if actor is None:
        return
    if actor.has_perm("registry.change_chamber"):
        _in_scope(actor, chamber.org_path)
    elif actor.has_perm("registry.keep_own_chamber") and actor.org_id == chamber.organization_id:
        return
    else:
        raise PermissionDenied


@transaction.atomic
def update_chamber(chamber: Chamber, *, actor, **changes) -> Chamber:
    _can_change_chamber(actor, chamber)
    unknown = set(changes) - set(CHAMBER_FIELDS)
    if unknown:
        raise PermissionDenied
    before = audit.snapshot(chamber, CHAMBER_FIELDS)
    for name, value in changes.items():
        setattr(chamber, name, value)
    old, new = audit.diff(before, audit.snapshot(chamber, CHAMBER_FIELDS))
    if new:
        chamber.save(update_fields=[*new.keys(), "updated_at"])
        audit.record("registry.update_chamber", obj=chamber, actor=actor, before=_redact(old), after=_redact(new))
    return chamber


@transaction.atomic
def start_term(
    chamber: Chamber,
    *,
    actor,
    starts_on: datetime.date,
    ends_on: datetime.date,
    president: str = "",
    secretary_general: str = "",
) -> ChamberTerm:
    """Record a new leadership term (换届); its end date becomes the chamber's next 换届 due date."""
    _can_change_chamber(actor, chamber)
    if ends_on <= starts_on:
        raise ValidationError({"ends_on": "任期届满日期必须晚于开始日期"})
    last = chamber.terms.order_by("-number").first()
    if last is not None and starts_on < last.starts_on:
        raise ValidationError({"starts_on": "新一届的开始日期早于上一届"})
    term = ChamberTerm.objects.create(
        chamber=chamber,
        number=(last.number + 1) if last else 1,
        starts_on=starts_on,
        ends_on=ends_on,
        president=president,
        secretary_general=secretary_general,
    )
    chamber.term_ends_on = ends_on
    chamber.save(update_fields=["term_ends_on", "updated_at"])
    audit.record("registry.start_term", obj=chamber, actor=actor, after=_redact(audit.snapshot(term)))
    return term


@transaction.atomic
def add_rating(chamber: Chamber, *, actor, scheme: str, year: int) -> ChamberRating:
    _require(actor, "registry.change_chamber")
    _in_scope(actor, chamber.org_path)
    rating, created = ChamberRating.objects.get_or_create(chamber=chamber, scheme=scheme, year=year)
    if not created:
        raise ValidationError({"scheme": "该年度已有此评定"})
    audit.record("registry.add_rating", obj=chamber, actor=actor, after={"scheme": scheme, "year": year})
    return rating


@transaction.atomic
def add_branch(
    chamber: Chamber, *, actor, name: str, region_code: str = "", contact_name: str = "", established_on=None
) -> ChamberBranch:
    _can_change_chamber(actor, chamber)
    branch = ChamberBranch.objects.create(
        chamber=chamber, name=name, region_code=region_code, contact_name=contact_name, established_on=established_on
    )
    audit.record("registry.add_branch", obj=chamber, actor=actor, after=_redact(audit.snapshot(branch)))
    return branch


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
    title = ("预检" if dry_run else "导入") + ("企业名录" if kind == "enterprises" else "会员名册") + f"：{filename}"
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
    job.message = "已拒绝整个文件，未写入任何数据"
    job.save(update_fields=["result", "message", "updated_at"])
    audit.record("registry.refuse_import", obj=job, actor=actor, message=job.params.get("filename", ""))
