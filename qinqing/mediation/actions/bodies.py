"""Mediation bodies and their rosters. Atomic and audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from qinqing.core import audit
from qinqing.core.roles import Role

from ..choices import BodyKind, CaseType
from ..models import MediationBody, RosterEntry
from .common import MediationError, parse_date, text

BODY_FIELDS = ("name", "kind", "phone", "address", "established_on", "is_active")


def _check_node(organization, actor) -> None:
    if organization is None:
        raise ValidationError({"organization": _("请选择所属商会或工商联")})
    if organization.kind not in ("chamber", "fic"):
        raise ValidationError({"organization": _("调解组织只能设在商会或工商联")})
    org = getattr(actor, "org", None)
    if org is None or not organization.path.startswith(org.path):
        raise ValidationError({"organization": _("所属组织不在您的管辖范围内")})


def _clean_body(data: dict, organization) -> dict:
    name = text(data, "name", 100)
    if not name:
        raise ValidationError({"name": _("请填写调解组织名称")})
    kind = data.get("kind") or (BodyKind.COMMITTEE if organization.kind == "chamber" else BodyKind.CENTRE)
    if kind not in BodyKind.values:
        raise ValidationError({"kind": _("请选择调解组织类型")})
    if kind == BodyKind.COMMITTEE and organization.kind != "chamber":
        raise ValidationError({"kind": _("商会调解委员会须设在商会")})
    if kind == BodyKind.CENTRE and organization.kind != "fic":
        raise ValidationError({"kind": _("工商联调解中心须设在工商联")})
    return {
        "name": name,
        "kind": kind,
        "phone": text(data, "phone", 30),
        "address": text(data, "address", 200),
        "established_on": parse_date(data.get("established_on"), "established_on", _("成立日期"), required=False),
        "is_active": bool(data.get("is_active", True)),
    }


@transaction.atomic
def save_body(*, actor, organization, data: dict, body: MediationBody | None = None) -> MediationBody:
    """Create a body on a chamber or FIC node within the actor's subtree, or edit one."""
    if body is not None:
        organization = body.organization
    _check_node(organization, actor)
    values = _clean_body(data, organization)
    if body is None:
        body = MediationBody.objects.create(organization=organization, org_path=organization.path, **values)
        audit.record("mediation.create_body", obj=body, actor=actor, after=audit.snapshot(body, BODY_FIELDS))
        return body
    before = audit.snapshot(body, BODY_FIELDS)
    for key, value in values.items():
        setattr(body, key, value)
    body.save(update_fields=[*values, "updated_at"])
    old, new = audit.diff(before, audit.snapshot(body, BODY_FIELDS))
    audit.record("mediation.update_body", obj=body, actor=actor, before=old, after=new)
    return body


def _same_area(org, node) -> bool:
    """A mediator belongs to the body's node, a node above it, or a node under the same parent FIC (a
    county centre may list mediators of that county's chambers)."""
    if org is None:
        return False
    area = node.parent.path if node.kind == "chamber" and node.parent_id else node.path
    return org.path.startswith(area) or node.path.startswith(org.path)


def _specialities(values) -> list[str]:
    items = [str(v) for v in (values or [])]
    bad = [v for v in items if v not in CaseType.values]
    if bad:
        raise ValidationError({"specialities": _("擅长纠纷类型中有无效的选项：%(v)s") % {"v": "、".join(bad)}})
    return sorted(set(items), key=CaseType.values.index)


@transaction.atomic
def add_to_roster(body: MediationBody, *, actor, user, specialities=(), title: str = "") -> RosterEntry:
    """Put a mediator on the roster (again, if they had left it), with their specialities."""
    if user is None or user.role != Role.MEDIATOR or not user.is_active:
        raise ValidationError({"user": _("只能把调解员角色的在用账号列入名册")})
    if not _same_area(user.org, body.organization):
        raise ValidationError({"user": _("该调解员不属于本地区的商会或工商联")})
    values = {"specialities": _specialities(specialities), "title": str(title or "").strip()[:100], "is_active": True}
    entry, created = RosterEntry.objects.get_or_create(body=body, user=user, defaults=values)
    before = None if created else audit.snapshot(entry, values)
    if not created:
        for key, value in values.items():
            setattr(entry, key, value)
        entry.save(update_fields=[*values, "updated_at"])
    audit.record("mediation.roster_add", obj=body, actor=actor, before=before,
                 after={"user": user.pk, **values})  # fmt: skip
    return entry


@transaction.atomic
def remove_from_roster(entry: RosterEntry, *, actor) -> RosterEntry:
    if not entry.is_active:
        raise MediationError(_("该调解员已不在名册中"))
    entry.is_active = False
    entry.save(update_fields=["is_active", "updated_at"])
    audit.record("mediation.roster_remove", obj=entry.body, actor=actor, after={"user": entry.user_id})
    return entry
