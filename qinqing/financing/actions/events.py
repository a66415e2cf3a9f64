"""The only writers of financing data: 对接会, bank products, deadlines and the refusal catalogue.
Each action is atomic and audited.

Bad input raises django ValidationError naming the field (400 in the API, the form field on pages); a step the
current state does not allow raises FinancingError (qinqing.core.errors.Refused, 409). Nothing is changed then.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from qinqing.core import audit
from qinqing.eligibility import rules

from ..choices import (
    Guarantee,
    ListState,
    Stage,
)
from ..models import (
    BankProduct,
    FinancingNeed,
    MatchEvent,
    NeedReferral,
    RefusalReason,
    StageEvent,
)
from .common import (
    AMOUNT_MAX,
    RATE_MAX,
    TERM_MAX,
    FinancingError,
    _banks,
    _decimal,
    _int,
    _notify_bank,
    _notify_staff,
    today,
)
from .outcomes import (
    record_stage,
)
from .pushes import (
    _referral,
)

# --- 对接会 ---------------------------------------------------------------------------------------


@transaction.atomic
def save_event(*, actor, data: dict, event: MatchEvent | None = None) -> MatchEvent:
    title = (data.get("title") or "").strip()
    if not title:
        raise ValidationError({"title": _("请填写对接会名称")})
    day = data.get("date")
    if isinstance(day, str):
        try:
            day = dt.date.fromisoformat(day)
        except ValueError:
            raise ValidationError({"date": _("日期格式应为 YYYY-MM-DD")}) from None
    if not day:
        raise ValidationError({"date": _("请填写日期")})
    banks = _banks(data.get("banks") or [])
    if event is None:
        event = MatchEvent(fic=actor.org, org_path=actor.org.path, created_by=actor)
    event.title, event.date, event.place = title[:200], day, (data.get("place") or "").strip()[:200]
    event.save()
    event.banks.set(banks)
    for key in ("invited", "attending"):
        if key in data:
            enterprises = list(data[key])
            outside = [e for e in enterprises if not e.org_path.startswith(actor.org.path)]
            if outside:
                raise ValidationError({key: _("企业“%(name)s”不在您的管辖范围内") % {"name": outside[0].name}})
            getattr(event, key).set(enterprises)
    if "needs" in data:
        needs = list(data["needs"])
        outside = [n for n in needs if not n.org_path.startswith(actor.org.path)]
        if outside:
            raise ValidationError({"needs": _("需求 %(number)s 不在您的管辖范围内") % {"number": outside[0].number}})
        event.needs.set(needs)
    audit.record("financing.save_event", obj=event, actor=actor, after={"banks": [b.pk for b in banks]})
    return event


@transaction.atomic
def sign_intention(event: MatchEvent, *, actor, need: FinancingNeed, bank, amount, note: str = "") -> StageEvent:
    """An intention signed at the 对接会: pushes the need to the bank if not yet, and records 意向 with the amount."""
    if not event.banks.filter(pk=bank.pk).exists():
        raise ValidationError({"bank": _("该银行未参加本次对接会")})
    if not need.org_path.startswith(actor.org.path):
        raise FinancingError(_("需求不在您的管辖范围内"))
    referral = NeedReferral.objects.filter(need=need, bank=bank).exclude(stage=Stage.REFUSED).first()
    if referral is None:
        if need.list_state != ListState.RECOMMENDED:
            need.list_state = ListState.RECOMMENDED
            need.save(update_fields=["list_state", "updated_at"])
        referral = _referral(need, bank, None, actor=actor, on=event.date)
    event.needs.add(need)
    event.attending.add(need.enterprise)
    return record_stage(
        referral, actor=actor, data={"stage": Stage.INTENDED, "amount": amount, "on": event.date, "note": note},
        event=event,
    )  # fmt: skip


# --- products -------------------------------------------------------------------------------------


@transaction.atomic
def save_product(*, actor, data: dict, product: BankProduct | None = None) -> BankProduct:
    """A bank maintains its own products; the eligibility rule is built with the shared rule engine."""
    if product is not None and product.bank_id != actor.org_id:
        raise FinancingError(_("只能维护本机构的信贷产品"))
    name = (data.get("name") or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写产品名称")})
    amin = _decimal(data.get("amount_min"), "amount_min", _("最低额度（万元）"), low=Decimal("0.01"), high=AMOUNT_MAX)
    amax = _decimal(data.get("amount_max"), "amount_max", _("最高额度（万元）"), low=Decimal("0.01"), high=AMOUNT_MAX)
    if amin > amax:
        raise ValidationError({"amount_max": _("最高额度不能低于最低额度")})
    tmin = _int(data.get("term_min"), "term_min", _("最短期限（月）"), low=1, high=TERM_MAX)
    tmax = _int(data.get("term_max"), "term_max", _("最长期限（月）"), low=1, high=TERM_MAX)
    if tmin > tmax:
        raise ValidationError({"term_max": _("最长期限不能短于最短期限")})
    rmin = _decimal(data.get("rate_min"), "rate_min", _("最低年利率（%）"), low=Decimal("0.01"), high=RATE_MAX)
    rmax = _decimal(data.get("rate_max"), "rate_max", _("最高年利率（%）"), low=Decimal("0.01"), high=RATE_MAX)
    if rmin > rmax:
        raise ValidationError({"rate_max": _("最高利率不能低于最低利率")})
    guarantees = list(data.get("guarantees") or [])
    if not guarantees or any(g not in Guarantee.values for g in guarantees):
        raise ValidationError({"guarantees": _("请选择担保方式")})
    try:
        rule = rules.normalize(data.get("rule") or {})
    except rules.RuleError as exc:
        raise ValidationError({"rule": str(exc)}) from None
    approval = _int(data.get("approval_days") or 15, "approval_days", _("审批时限（天）"), low=1, high=365)
    if product is None:
        product = BankProduct(bank=actor.org, org_path=actor.org.path)
    product.name, product.amount_min, product.amount_max = name[:100], amin, amax
    product.term_min, product.term_max, product.rate_min, product.rate_max = tmin, tmax, rmin, rmax
    product.guarantees, product.rule, product.approval_days = guarantees, rule, approval
    product.repayment = (data.get("repayment") or "").strip()[:100]
    product.materials = (data.get("materials") or "").strip()
    product.is_active = bool(data.get("is_active", True))
    product.save()
    audit.record("financing.save_product", obj=product, actor=actor, after={"name": product.name})
    return product


# --- deadlines ------------------------------------------------------------------------------------


def chase_overdue(on: dt.date | None = None) -> dict:
    """Referrals not answered within the period: the bank is chased (催办) on the day after the deadline, and
    the FIC staff are told a week later (督办). Idempotent: each level is sent once per referral."""
    on = on or today()
    counts = {"chased": 0, "supervised": 0}
    overdue = NeedReferral.objects.filter(
        answered_on__isnull=True, answer_due__lt=on, stage__in=[Stage.PUSHED, Stage.CONTACTED, Stage.INTENDED]
    ).select_related("need", "bank")
    for referral in overdue.iterator(chunk_size=500):
        late = (on - referral.answer_due).days
        level = 2 if late > 7 else 1
        if referral.chased_level >= level:
            continue
        with transaction.atomic():
            text = _("融资需求 %(number)s 已超过答复期限（%(due)s），请尽快答复") % {
                "number": referral.need.number,
                "due": referral.answer_due,
            }
            _notify_bank(referral.bank, text, key=f"financing-chase-{referral.pk}-1")
            counts["chased"] += 1
            if level == 2:
                _notify_staff(referral.need, text, key=f"financing-chase-{referral.pk}-2")
                counts["supervised"] += 1
            NeedReferral.objects.filter(pk=referral.pk).update(chased_level=level)
    return counts


@transaction.atomic
def save_reason(*, actor, data: dict, reason: RefusalReason | None = None) -> RefusalReason:
    """The system administrator maintains the refusal-reason catalogue (codes stay: records refer to them)."""
    name = (data.get("name") or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写原因名称")})
    if reason is None:
        code = (data.get("code") or "").strip()
        if not code or not code.replace("_", "").isalnum() or not code.isascii():
            raise ValidationError({"code": _("编码只能由英文字母、数字和下划线组成")})
        if RefusalReason.objects.filter(code=code).exists():
            raise ValidationError({"code": _("编码“%(code)s”已存在") % {"code": code}})
        reason = RefusalReason(code=code, order=RefusalReason.objects.count())
    before = {"name": reason.name, "is_active": reason.is_active} if reason.pk else None
    reason.name = name[:30]
    reason.fixable = bool(data.get("fixable"))
    reason.department_hint = (data.get("department_hint") or "").strip()[:50]
    reason.needs_text = bool(data.get("needs_text"))
    reason.is_active = bool(data.get("is_active", True))
    reason.save()
    audit.record("financing.save_reason", obj=reason, actor=actor, before=before, after={"name": reason.name,
                 "fixable": reason.fixable, "is_active": reason.is_active})  # fmt: skip
    return reason
