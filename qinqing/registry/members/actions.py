"""Member actions: add and update memberships (企业、团体、个人会员)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from qinqing.core import audit
from qinqing.orgs.models import Organization

from .. import rules
from ..choices import MemberKind, MemberRole
from ..common import (
    _in_scope,
    _redact,
)
from ..enterprises.actions import rematch_after_commit
from ..models import Enterprise, Member

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
