"""The only code that writes organisations and the region table."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from qinqing.core import audit

from . import regions
from .choices import FicLevel, OrgKind
from .models import Organization, Region


def _check_region(region_code: str) -> None:
    """The code must be in the loaded region table and still in force (skipped before the table is loaded)."""
    if not Region.objects.exists():
        return
    spans = list(Region.objects.filter(code=region_code).values_list("valid_to", flat=True))
    if not spans:
        raise ValidationError({"region_code": _("行政区划代码“%(code)s”不存在") % {"code": region_code}})
    if None not in spans:
        raise ValidationError(
            {"region_code": _("行政区划代码“%(code)s”已撤销，请使用现行代码") % {"code": region_code}}
        )


def _check_actor_may_create_under(actor, parent: Organization | None) -> None:
    """A signed-in actor needs orgs.change_organization and may only add below their own node."""
    if actor is None:  # seeding and management commands
        return
    if not actor.has_perm("orgs.change_organization"):
        raise PermissionDenied(_("您的账号没有维护组织机构的权限"))
    own = getattr(actor, "org", None)
    if parent is None or own is None or not parent.path.startswith(own.path):
        raise ValidationError({"parent": _("只能在本级及下级工商联之下新增组织")})


@transaction.atomic
def create_organization(
    *,
    kind: str,
    name: str,
    region_code: str,
    parent: Organization | None,
    actor=None,
    code: str = "",
    fic_level: int | None = None,
    short_name: str = "",
    contact_phone: str = "",
    address: str = "",
) -> Organization:
    """Add a node under ``parent``. FIC nodes are coded by region; others get a kind-prefixed code."""
    _check_actor_may_create_under(actor, parent)
    if not name.strip():
        raise ValidationError({"name": _("名称不能为空")})
    if parent is not None and parent.kind != OrgKind.FIC:
        raise ValidationError({"parent": _("上级必须是工商联")})
    _check_region(region_code)
    if kind == OrgKind.FIC and parent is not None and not _region_below(region_code, parent.region_code):
        raise ValidationError(
            {
                "region_code": _("工商联的行政区划“%(code)s”不在上级“%(parent)s”的辖区内")
                % {"code": region_code, "parent": parent.name}
            }
        )
    if kind == OrgKind.FIC:
        code = code or region_code
        if fic_level is None:
            fic_level = FicLevel.NATIONAL if parent is None and region_code == "100000" else _level_of(region_code)
    else:
        if parent is None:
            raise ValidationError({"parent": _("商会、承办单位、金融机构、律师事务所必须隶属于一个工商联")})
        if not code:
            prefix = {"chamber": "C", "department": "D", "bank": "B", "lawfirm": "L"}[kind]
            last = Organization.objects.filter(kind=kind).order_by("-id").values_list("id", flat=True).first() or 0
            code = f"{prefix}{region_code}{last + 1:06d}"
    if Organization.objects.filter(code=code).exists():
        raise ValidationError({"code": _("编码“%(code)s”已被使用") % {"code": code}})
    path = f"{parent.path if parent else '/'}{code}/"
    org = Organization.objects.create(
        kind=kind,
        name=name.strip(),
        short_name=short_name,
        code=code,
        fic_level=fic_level if kind == OrgKind.FIC else None,
        region_code=region_code,
        parent=parent,
        path=path,
        contact_phone=contact_phone,
        address=address,
    )
    audit.record("orgs.create_organization", obj=org, actor=actor, after=audit.snapshot(org))
    return org


def _region_below(code: str, parent_code: str) -> bool:
    """430621 lies below 430600 and 430000; anything lies below the national root 100000."""
    if parent_code == "100000":
        return True
    prefix = parent_code
    while prefix.endswith("00"):
        prefix = prefix[:-2]
    return code != parent_code and code.startswith(prefix)


def _level_of(region_code: str) -> int:
    if region_code.endswith("0000"):
        return FicLevel.PROVINCE
    if region_code.endswith("00"):
        return FicLevel.CITY
    return FicLevel.COUNTY


@transaction.atomic
def update_organization(org: Organization, *, actor, **changes) -> Organization:
    if actor is not None and not actor.has_perm("orgs.change_organization"):
        raise PermissionDenied(_("您的账号没有维护组织机构的权限"))
    if actor is not None and (actor.org is None or not org.path.startswith(actor.org.path)):
        raise PermissionDenied(_("只能修改本级及下级组织"))
    editable = {"name", "short_name", "contact_phone", "address", "is_active"}
    unknown = set(changes) - editable
    if unknown:
        raise ValidationError({field: _("该字段不能修改") for field in unknown})
    before = audit.snapshot(org, editable)
    for field, value in changes.items():
        setattr(org, field, value)
    org.full_clean()
    org.save(update_fields=[*changes, "updated_at"])
    old, new = audit.diff(before, audit.snapshot(org, editable))
    audit.record("orgs.update_organization", obj=org, actor=actor, before=old, after=new)
    return org


@transaction.atomic
def sync_regions(rows: Iterable[regions.Region], *, actor=None, batch_size: int = 2000) -> dict[str, int]:
    """Upsert the region table from ``rows`` (keyed by code and first year); delete rows no longer listed.

    Idempotent: a second run with the same rows changes nothing. Uses bulk writes only.
    """
    wanted: dict[tuple[str, int | None], regions.Region] = {}
    for row in rows:
        key = (row.code, row.valid_from)
        if key in wanted:
            since = row.valid_from or _("最早")
            raise ValidationError(
                {"code": _("区划代码“%(code)s”自%(since)s年起有重复记录") % {"code": row.code, "since": since}}
            )
        wanted[key] = row
    fields = ["name", "level", "parent_code", "valid_to"]
    existing = {(r.code, r.valid_from): r for r in Region.objects.all()}
    to_create, to_update = [], []
    for key, row in wanted.items():
        current = existing.get(key)
        if current is None:
            to_create.append(Region(code=row.code, valid_from=row.valid_from, **{f: getattr(row, f) for f in fields}))
        elif any(getattr(current, f) != getattr(row, f) for f in fields):
            for f in fields:
                setattr(current, f, getattr(row, f))
            to_update.append(current)
    stale = [r.pk for key, r in existing.items() if key not in wanted]
    Region.objects.bulk_create(to_create, batch_size=batch_size)
    Region.objects.bulk_update(to_update, fields, batch_size=batch_size)
    for start in range(0, len(stale), batch_size):
        Region.objects.filter(pk__in=stale[start : start + batch_size]).delete()
    counts = {
        "created": len(to_create),
        "updated": len(to_update),
        "deleted": len(stale),
        "unchanged": len(wanted) - len(to_create) - len(to_update),
    }
    if counts["created"] or counts["updated"] or counts["deleted"]:
        audit.record("orgs.sync_regions", actor=actor, object_type="orgs.region", after=counts)
    return counts
