"""临时登记: enterprises registered from an appeal intake before they were in the registry.

FIC staff taking an appeal by phone or at a visit may not find the enterprise (a new firm, a name the
import has not brought in yet). Rather than turn the enterprise away, intake creates a provisional
Enterprise under the staff's FIC, with the name given and a placeholder credit code ``LS`` + 16 digits
(``S`` is outside the alphabet of GB 32100 codes, so a placeholder can never equal a real code).

Later the registry either completes it (the real credit code and fields; the flag goes) or, when the real
enterprise turns out to be registered already, merges it into that record: every appeal, meeting
invitation, member row… that pointed at the provisional record is moved to the real one and the
provisional record is deleted. All three steps are audited.
"""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from qinqing.core import audit, home_versions
from qinqing.core.rollups import RolledUpModel

from . import rules
from .common import _in_scope, _require
from .enterprises.actions import update_enterprise
from .models import Enterprise

PREFIX = "LS"


def placeholder_code() -> str:
    while True:
        code = PREFIX + "".join(secrets.choice("0123456789") for _i in range(16))
        if not Enterprise.objects.filter(credit_code=code).exists():
            return code


@transaction.atomic
def create_provisional_enterprise(*, actor, name: str) -> Enterprise:
    """A provisional enterprise under the actor's FIC node (FIC staff at appeal intake)."""
    _require(actor, "registry.change_enterprise")
    fic = actor.org
    _in_scope(actor, fic.path)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("企业名称：请填写")})
    if len(name) > 200:
        raise ValidationError({"name": _("企业名称：最多200字")})
    enterprise = Enterprise.objects.create(
        credit_code=placeholder_code(),
        name=name,
        fic=fic,
        org_path=fic.path,
        region_code=fic.region_code or "",
        is_provisional=True,
    )
    audit.record(
        "registry.create_provisional_enterprise",
        obj=enterprise,
        actor=actor,
        after={"name": name, "credit_code": enterprise.credit_code, "is_provisional": True},
        message=_("诉求登记时临时登记企业：%(name)s") % {"name": name},
    )
    return enterprise


@transaction.atomic
def complete_provisional(enterprise: Enterprise, *, actor, credit_code: str, **fields) -> Enterprise:
    """补全: give the provisional record its real credit code (and any other fields); it stops being
    provisional. A code that is already registered is refused: merge into that record instead."""
    _require(actor, "registry.change_enterprise")
    _in_scope(actor, enterprise.org_path)
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if not enterprise.is_provisional:
        raise ValidationError({"credit_code": _("该企业不是临时登记的企业")})
    code = rules.check_enterprise({"credit_code": credit_code})["credit_code"]
    existing = Enterprise.objects.filter(credit_code=code).exclude(pk=enterprise.pk).first()
    if existing is not None:
        raise ValidationError(
            {
                "credit_code": _("统一社会信用代码：该代码已登记为“%(name)s”，请将临时企业合并到该企业")
                % {"name": existing.name}
            }
        )
    before = {"credit_code": enterprise.credit_code, "is_provisional": True}
    enterprise.credit_code, enterprise.is_provisional = code, False
    enterprise.save(update_fields=["credit_code", "is_provisional", "updated_at"])
    audit.record(
        "registry.complete_provisional",
        obj=enterprise,
        actor=actor,
        before=before,
        after={"credit_code": code, "is_provisional": False},
    )
    if fields:
        enterprise = update_enterprise(enterprise, actor=actor, **fields)
    return enterprise


@transaction.atomic
def merge_provisional(provisional: Enterprise, *, into: Enterprise, actor) -> dict[str, int]:
    """合并: move everything that points at the provisional record to the real one, then delete it.

    Returns the number of rows moved per model label. A link that would be duplicated (the real enterprise
    was already invited to the same meeting) is dropped rather than doubled."""
    _require(actor, "registry.change_enterprise")
    _in_scope(actor, provisional.org_path)
    _in_scope(actor, into.org_path)
    rows = {
        e.pk: e for e in Enterprise.objects.select_for_update().filter(pk__in=[provisional.pk, into.pk]).order_by("pk")
    }
    provisional, into = rows[provisional.pk], rows.get(into.pk)
    if into is None or into.pk == provisional.pk:
        raise ValidationError({"into": _("请选择另一家企业作为合并目标")})
    if not provisional.is_provisional:
        raise ValidationError({"into": _("只有临时登记的企业可以合并到其他企业")})
    if into.is_provisional:
        raise ValidationError({"into": _("合并目标也是临时登记的企业，请先补全其信用代码")})
    from qinqing.financing.rollups import REACH as financing_reach
    from qinqing.policies import rollups as push_rollups

    pushes = push_rollups.enterprise_change([provisional.pk, into.pk])  # pushes are moved below by update()
    # Financing's reach counts distinct enterprises: two that both stated needs become one (update() sends no signal).
    with financing_reach.tracking([provisional.pk, into.pk]):
        moved = _move_links(provisional, into)
    pushes.done()
    audit.record(
        "registry.merge_provisional",
        obj=into,
        actor=actor,
        before={"provisional": provisional.pk, "name": provisional.name, "credit_code": provisional.credit_code},
        after={"moved": moved},
        message=_("临时企业“%(name)s”已合并到“%(into)s”") % {"name": provisional.name, "into": into.name},
    )
    provisional.delete()
    return moved


def _move_links(provisional: Enterprise, into: Enterprise) -> dict[str, int]:
    """Every row pointing at the provisional enterprise now points at ``into`` (rows moved per model label)."""
    moved: dict[str, int] = {}
    for rel in Enterprise._meta.get_fields(include_hidden=True):
        if not (rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)):
            continue
        model, name = rel.related_model, rel.field.name
        qs = model._base_manager.filter(**{name: provisional})
        count = 0
        try:
            with transaction.atomic():
                count = qs.update(**{name: into})
        except IntegrityError:  # a unique link the real enterprise already has: keep one
            for row in list(qs):
                try:
                    with transaction.atomic():
                        model._base_manager.filter(pk=row.pk).update(**{name: into})
                        count += 1
                except IntegrityError:
                    if isinstance(row, RolledUpModel):  # its delete() keeps the rollups (a duplicate membership)
                        row.delete()
                    else:
                        model._base_manager.filter(pk=row.pk).delete()
        if count:
            moved[model._meta.label] = moved.get(model._meta.label, 0) + count
            home_versions.changed(model._meta.label)  # update() sends no signal: cards counting it recount
    return moved
