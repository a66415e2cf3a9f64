"""The only writers of financing data: needs and whitelist screening.
Each action is atomic and audited.

Bad input raises django ValidationError naming the field (400 in the API, the form field on pages); a step the
current state does not allow raises FinancingError (qinqing.core.errors.Refused, 409). Nothing is changed then.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qinqing.core import audit
from qinqing.core.roles import Role

from ..choices import (
    Criterion,
    ListState,
    Source,
    Stage,
)
from ..models import (
    FinancingNeed,
)
from .common import (
    FinancingError,
    _banks,
    _notify_staff,
    clean_need_fields,
    today,
)

# --- needs ----------------------------------------------------------------------------------------


def _check_scope(actor, enterprise) -> str:
    """The source a need stated by this actor gets; refuses an enterprise outside the actor's reach."""
    if actor.role == Role.ENTERPRISE:
        if enterprise.pk != actor.enterprise_id:
            raise FinancingError(_("只能为本企业提出融资需求"))
        return Source.ENTERPRISE
    if actor.role == Role.FIC_STAFF:
        if not (actor.org and enterprise.org_path.startswith(actor.org.path)):
            raise FinancingError(_("企业不在您的管辖范围内"))
        return Source.VISIT
    raise FinancingError(_("您的角色不能登记融资需求"))


def _new_need(enterprise, fields: dict, *, actor, source, stated_on=None, chamber=None, **extra) -> FinancingNeed:
    banks = fields.pop("preferred_banks", None) or []
    need = FinancingNeed(
        number=f"tmp{timezone.now().timestamp():.6f}"[-20:],
        enterprise=enterprise,
        fic=enterprise.fic,
        org_path=enterprise.org_path,
        region_code=enterprise.region_code,
        industry_code=enterprise.industry_code,
        size_class=enterprise.size_class,
        source=source,
        stated_on=stated_on or today(),
        chamber=chamber,
        created_by=actor if getattr(actor, "pk", None) else None,
        **fields,
        **extra,
    )
    need.save()
    need.number = f"RZ{need.stated_on:%Y}{need.pk:08d}"
    need.save(update_fields=["number"])
    if banks:
        need.preferred_banks.set(banks)
    return need


@transaction.atomic
def state_need(*, actor, enterprise, data: dict, source: str | None = None, stated_on=None) -> FinancingNeed:
    """An enterprise states its need, or FIC staff record one from a visit (or an import row)."""
    default_source = _check_scope(actor, enterprise)
    fields = clean_need_fields(data)
    fields["preferred_banks"] = _banks(data.get("preferred_banks") or [])
    need = _new_need(enterprise, fields, actor=actor, source=source or default_source, stated_on=stated_on)
    audit.record("financing.state_need", obj=need, actor=actor, after={"amount": need.amount, "source": need.source})
    _notify_staff(need, _("新的融资需求 %(number)s") % {"number": need.number}, key=f"financing-need-{need.pk}")
    return need


@transaction.atomic
def update_need(need: FinancingNeed, *, actor, data: dict) -> FinancingNeed:
    if need.referrals.exists():
        raise FinancingError(_("需求已推送银行，不能再修改；如有变化请撤回后重新提出"))
    _check_scope(actor, need.enterprise)
    fields = clean_need_fields(data)
    banks = _banks(data.get("preferred_banks") or [])
    before = {"amount": need.amount, "term_months": need.term_months}
    for key, value in fields.items():
        setattr(need, key, value)
    need.save()
    need.preferred_banks.set(banks)
    audit.record("financing.update_need", obj=need, actor=actor, before=before, after={"amount": need.amount})
    return need


@transaction.atomic
def withdraw_need(need: FinancingNeed, *, actor) -> FinancingNeed:
    if need.referrals.exclude(stage=Stage.REFUSED).exists():
        raise FinancingError(_("需求已在银行办理中，不能撤回"))
    need.list_state = ListState.WITHDRAWN
    need.save(update_fields=["list_state", "updated_at"])
    audit.record("financing.withdraw_need", obj=need, actor=actor)
    return need


# --- whitelist screening --------------------------------------------------------------------------


def registry_criteria(enterprise, on: dt.date | None = None) -> dict[str, bool | None]:
    """What the registry can say about the criteria it holds data for (None: no data)."""
    on = on or today()
    operating = None
    if enterprise.founded_on:
        months = (on.year - enterprise.founded_on.year) * 12 + on.month - enterprise.founded_on.month
        operating = months - (1 if on.day < enterprise.founded_on.day else 0) >= 12
    premises = True if (enterprise.address or "").strip() else None
    return {Criterion.OPERATING: operating, Criterion.PREMISES: premises}


@transaction.atomic
def screen_need(need: FinancingNeed, *, actor, attested: dict, note: str = "") -> FinancingNeed:
    """Screen against the five 金发〔2024〕32号 criteria: from registry data where it exists, attested otherwise.

    All met → 申报清单; any not met → 未通过筛查 (with the note)."""
    if need.list_state not in (ListState.STATED, ListState.SCREENED_OUT, ListState.DECLARED):
        raise FinancingError(_("需求已进入推荐清单或已撤回，不能重新筛查"))
    known = registry_criteria(need.enterprise)
    result = {}
    for criterion in Criterion:
        registry_value = known.get(criterion)
        if registry_value is not None:
            result[criterion.value] = {"met": registry_value, "basis": "registry"}
            continue
        value = attested.get(criterion.value)
        if value is None:
            raise ValidationError(
                {criterion.value: _("请确认“%(criterion)s”（系统中无此项数据）") % {"criterion": criterion.label}}
            )
        result[criterion.value] = {"met": bool(value), "basis": "attested"}
    passed = all(item["met"] for item in result.values())
    if not passed and not (note or "").strip():
        raise ValidationError({"screening_note": _("未通过筛查时请填写筛查意见")})
    need.screening = result
    need.screening_note = (note or "").strip()
    need.screened_at = timezone.now()
    need.list_state = ListState.DECLARED if passed else ListState.SCREENED_OUT
    need.save(update_fields=["screening", "screening_note", "screened_at", "list_state", "updated_at"])
    audit.record("financing.screen_need", obj=need, actor=actor, after={"list_state": need.list_state, **result})
    return need


@transaction.atomic
def recommend_needs(needs: Iterable[FinancingNeed], *, actor) -> int:
    """申报清单 → 推荐清单 after review."""
    count = 0
    for need in needs:
        if need.list_state != ListState.DECLARED:
            raise FinancingError(_("需求 %(number)s 不在申报清单中，不能列入推荐清单") % {"number": need.number})
        need.list_state = ListState.RECOMMENDED
        need.save(update_fields=["list_state", "updated_at"])
        audit.record("financing.recommend_need", obj=need, actor=actor)
        count += 1
    return count
