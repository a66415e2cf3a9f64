"""The only writers of financing data. Each action is atomic and audited.

Bad input raises django ValidationError naming the field (400 in the API, the form field on pages); a step the
current state does not allow raises FinancingError (qinqing.core.errors.Refused, 409). Nothing is changed then.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qinqing.core import audit
from qinqing.core.errors import Refused
from qinqing.core.roles import Role
from qinqing.eligibility import rules

from .choices import (
    STAGE_ORDER,
    BatchKind,
    Criterion,
    FixStatus,
    Guarantee,
    ListState,
    Purpose,
    Source,
    Stage,
)
from .models import (
    BankProduct,
    FinancingNeed,
    FixTask,
    MatchEvent,
    NeedReferral,
    PushBatch,
    RefusalReason,
    StageEvent,
)

AMOUNT_MAX = Decimal("1000000")  # 100 亿元 in 万元: no single SME need is larger
TERM_MAX = 360
RATE_MAX = Decimal("36")
FINAL = (Stage.LENT, Stage.REFUSED)
# A need's overall stage: the best reached at any bank (refused only when every bank refused).
RANK = {Stage.REFUSED: 0, Stage.PUSHED: 1, Stage.CONTACTED: 2, Stage.INTENDED: 3, Stage.CREDITED: 4, Stage.LENT: 5}


class FinancingError(Refused):
    """A financing step the current state does not allow (Chinese message)."""


def today() -> dt.date:
    return timezone.localdate()


def answer_days() -> int:
    return int(getattr(settings, "FINANCING_ANSWER_DAYS", 30))


# --- validation -----------------------------------------------------------------------------------


def _decimal(value, field: str, label: str, *, low: Decimal, high: Decimal, required: bool = True) -> Decimal | None:
    if value in (None, ""):
        if required:
            raise ValidationError({field: _("请填写%(label)s") % {"label": label}})
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("%(label)s应为数字") % {"label": label}}) from None
    if not number.is_finite() or number < low or number > high:
        raise ValidationError(
            {field: _("%(label)s应在 %(low)s 至 %(high)s 之间") % {"label": label, "low": low, "high": high}}
        )
    return number


def _int(value, field: str, label: str, *, low: int, high: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError({field: _("%(label)s应为整数") % {"label": label}}) from None
    if number < low or number > high:
        raise ValidationError(
            {field: _("%(label)s应在 %(low)s 至 %(high)s 之间") % {"label": label, "low": low, "high": high}}
        )
    return number


def clean_need_fields(data: dict) -> dict:
    """Validate the need's own fields (amount, term, purpose, guarantee, rate ceiling, date)."""
    out = {
        "amount": _decimal(data.get("amount"), "amount", _("融资金额（万元）"), low=Decimal("1"), high=AMOUNT_MAX),
        "term_months": _int(data.get("term_months"), "term_months", _("期限（月）"), low=1, high=TERM_MAX),
        "rate_ceiling": _decimal(
            data.get("rate_ceiling"),
            "rate_ceiling",
            _("可接受最高年利率（%）"),
            low=Decimal("0.01"),
            high=RATE_MAX,
            required=False,
        ),
    }
    purpose = data.get("purpose")
    if purpose not in Purpose.values:
        raise ValidationError({"purpose": _("请选择融资用途")})
    guarantee = data.get("guarantee")
    if guarantee not in Guarantee.values:
        raise ValidationError({"guarantee": _("请选择担保方式")})
    needed_by = data.get("needed_by") or None
    if isinstance(needed_by, str):
        try:
            needed_by = dt.date.fromisoformat(needed_by)
        except ValueError:
            raise ValidationError({"needed_by": _("用款时间格式应为 YYYY-MM-DD")}) from None
    out.update(
        purpose=purpose,
        purpose_text=(data.get("purpose_text") or "").strip()[:200],
        guarantee=guarantee,
        is_first_loan=bool(data.get("is_first_loan")),
        needed_by=needed_by,
        credit_check_authorised=bool(data.get("credit_check_authorised")),
        authorisation_note=(data.get("authorisation_note") or "").strip()[:500],
        contact_name=(data.get("contact_name") or "").strip()[:50],
        contact_phone=(data.get("contact_phone") or "").strip()[:30],
    )
    return out


def _banks(ids_or_orgs: Iterable) -> list:
    from qinqing.orgs.models import Organization

    items = list(ids_or_orgs or [])
    ids = [getattr(b, "pk", b) for b in items]
    banks = list(Organization.objects.filter(pk__in=ids, kind="bank", is_active=True))
    if len(banks) != len(set(ids)):
        raise ValidationError({"preferred_banks": _("意向银行中有不存在的金融机构")})
    return banks


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


# --- pushes to banks ------------------------------------------------------------------------------


def _referral(need, bank, batch, *, actor, on, previous=None, product=None) -> NeedReferral:
    if NeedReferral.objects.filter(need=need, bank=bank).exclude(stage=Stage.REFUSED).exists():
        raise FinancingError(
            _("需求 %(number)s 已推送给 %(bank)s 且正在办理") % {"number": need.number, "bank": bank.name}
        )
    referral = NeedReferral.objects.create(
        need=need,
        bank=bank,
        bank_path=bank.path,
        org_path=need.org_path,
        batch=batch,
        product=product,
        previous=previous,
        pushed_on=on,
        application_complete_on=on,
        answer_due=on + dt.timedelta(days=answer_days()),
        is_credit_loan=need.guarantee == Guarantee.CREDIT,
    )
    StageEvent.objects.create(referral=referral, stage=Stage.PUSHED, on=on, actor=actor)
    _refresh_need_stage(need)
    return referral


@transaction.atomic
def push_batch(*, actor, bank, needs: list[FinancingNeed], note: str = "", on=None) -> PushBatch:
    """Push recommended needs to one bank in a batch; the bank's officers are told."""
    if bank.kind != "bank":
        raise ValidationError({"bank": _("请选择金融机构")})
    if not needs:
        raise ValidationError({"needs": _("请选择要推送的需求")})
    for need in needs:
        if need.list_state != ListState.RECOMMENDED:
            raise FinancingError(_("需求 %(number)s 不在推荐清单中，不能推送") % {"number": need.number})
        if not need.org_path.startswith(actor.org.path):
            raise FinancingError(_("需求 %(number)s 不在您的管辖范围内") % {"number": need.number})
    on = on or today()
    batch = PushBatch.objects.create(
        bank=bank, fic=actor.org, org_path=actor.org.path, note=note, pushed_on=on, pushed_by=actor
    )
    for need in needs:
        _referral(need, bank, batch, actor=actor, on=on)
    audit.record(
        "financing.push_batch", obj=batch, actor=actor, after={"bank": bank.pk, "needs": [n.pk for n in needs]}
    )
    _notify_bank(bank, _("工商联推送了 %(n)s 笔融资需求") % {"n": len(needs)}, key=f"financing-batch-{batch.pk}")
    return batch


@transaction.atomic
def chamber_recommend(*, actor, bank, entries: list[dict], note: str = "", credit_line=None, on=None) -> PushBatch:
    """整会授信: a chamber secretary recommends member enterprises in one batch, with its screening notes.

    Each entry: enterprise, need fields (amount, term_months, purpose, guarantee…), chamber_note."""
    from qinqing.registry.models import Member

    if bank.kind != "bank":
        raise ValidationError({"bank": _("请选择金融机构")})
    if not entries:
        raise ValidationError({"entries": _("请至少推荐一家会员企业")})
    credit_line = _decimal(credit_line, "credit_line", _("整会授信额度（万元）"), low=Decimal("1"), high=AMOUNT_MAX,
                           required=False)  # fmt: skip
    chamber = actor.org
    members = set(
        Member.objects.filter(organization=chamber, enterprise__isnull=False, left_on__isnull=True).values_list(
            "enterprise_id", flat=True
        )
    )
    on = on or today()
    batch = PushBatch.objects.create(
        bank=bank,
        fic=chamber.fic(),
        org_path=chamber.path,
        kind=BatchKind.CHAMBER,
        chamber=chamber,
        credit_line=credit_line,
        note=note,
        pushed_on=on,
        pushed_by=actor,
    )
    for row, entry in enumerate(entries, start=1):
        enterprise = entry["enterprise"]
        if enterprise.pk not in members:
            raise FinancingError(
                _("第 %(row)s 家企业“%(name)s”不是本商会的会员企业") % {"row": row, "name": enterprise.name}
            )
        try:
            fields = clean_need_fields(entry)
        except ValidationError as exc:
            raise ValidationError(
                {
                    key: [_("第 %(row)s 家企业：%(msg)s") % {"row": row, "msg": m} for m in msgs]
                    for key, msgs in exc.message_dict.items()
                }
            ) from None
        need = _new_need(
            enterprise,
            fields,
            actor=actor,
            source=Source.CHAMBER,
            stated_on=on,
            chamber=chamber,
            chamber_note=(entry.get("chamber_note") or "").strip(),
            list_state=ListState.RECOMMENDED,
        )
        _referral(need, bank, batch, actor=actor, on=on)
    audit.record("financing.chamber_recommend", obj=batch, actor=actor, after={"count": len(entries)})
    _notify_bank(bank, _("商会推荐了 %(n)s 家会员企业（整会授信）") % {"n": len(entries)},
                 key=f"financing-batch-{batch.pk}")  # fmt: skip
    return batch


# --- the bank's outcomes --------------------------------------------------------------------------


def _refresh_need_stage(need: FinancingNeed) -> None:
    stages = list(NeedReferral.objects.filter(need=need).values_list("stage", flat=True))
    need.stage = max(stages, key=lambda s: RANK[s]) if stages else ""
    need.save(update_fields=["stage", "updated_at"])


def _check_bank_actor(referral: NeedReferral, actor) -> None:
    if actor.role == Role.BANK_OFFICER:
        if referral.bank_id != actor.org_id:
            raise FinancingError(_("只能登记推送给本机构的需求"))
    elif actor.role == Role.FIC_STAFF:
        if not referral.org_path.startswith(actor.org.path):
            raise FinancingError(_("需求不在您的管辖范围内"))
    else:
        raise FinancingError(_("您的角色不能登记银行办理进展"))


def check_stage(referral: NeedReferral, data: dict) -> dict:
    """Validate one outcome against the referral's current state; returns the cleaned values (raises otherwise)."""
    stage = data.get("stage")
    if stage not in Stage.values or stage == Stage.PUSHED:
        raise ValidationError({"stage": _("请选择办理进展（对接、意向、授信、放款或未获贷）")})
    if referral.stage in FINAL:
        raise FinancingError(_("该推荐已%(stage)s，不能再登记进展") % {"stage": Stage(referral.stage).label})
    on = data.get("on") or today()
    if isinstance(on, str):
        try:
            on = dt.date.fromisoformat(on)
        except ValueError:
            raise ValidationError({"on": _("日期格式应为 YYYY-MM-DD")}) from None
    if on < referral.pushed_on:
        raise ValidationError({"on": _("日期不能早于推送日期 %(day)s") % {"day": referral.pushed_on}})
    if on > today():
        raise ValidationError({"on": _("日期不能晚于今天")})
    note = (data.get("note") or "").strip()[:500]
    out = {"stage": stage, "on": on, "note": note, "amount": None, "reason": None, "reason_text": "", "rate": None}
    if stage == Stage.REFUSED:
        reason = data.get("reason")
        if isinstance(reason, str) and not reason.isdigit():
            reason = RefusalReason.objects.filter(code=reason, is_active=True).first()
        elif reason not in (None, "") and not isinstance(reason, RefusalReason):
            reason = RefusalReason.objects.filter(pk=reason, is_active=True).first()
        if not reason:
            raise ValidationError({"reason": _("未获贷须选择原因")})
        text = (data.get("reason_text") or "").strip()[:500]
        if reason.needs_text and not text:
            raise ValidationError({"reason_text": _("原因为“%(name)s”时须填写说明") % {"name": reason.name}})
        out.update(reason=reason, reason_text=text)
        return out
    current = STAGE_ORDER.index(referral.stage)
    wanted = STAGE_ORDER.index(stage)
    if wanted <= current:
        raise FinancingError(
            _("进展不能从“%(current)s”回到“%(stage)s”")
            % {"current": Stage(referral.stage).label, "stage": Stage(stage).label}
        )
    if stage == Stage.LENT and referral.stage != Stage.CREDITED:
        raise FinancingError(_("须先登记授信，才能登记放款"))
    if stage in (Stage.INTENDED, Stage.CREDITED, Stage.LENT):
        labels = {
            Stage.INTENDED: _("意向金额（万元）"),
            Stage.CREDITED: _("授信金额（万元）"),
            Stage.LENT: _("放款金额（万元）"),
        }
        out["amount"] = _decimal(data.get("amount"), "amount", labels[stage], low=Decimal("0.01"), high=AMOUNT_MAX)
    if stage == Stage.LENT:
        if out["amount"] > referral.credit_amount and not note:
            raise ValidationError(
                {
                    "note": _("放款金额 %(loan)s 万元高于授信金额 %(credit)s 万元，须在备注中说明")
                    % {"loan": out["amount"], "credit": referral.credit_amount}
                }
            )
        if referral.credit_on and on < referral.credit_on:
            raise ValidationError({"on": _("放款日期不能早于授信日期 %(day)s") % {"day": referral.credit_on}})
        out["rate"] = _decimal(data.get("rate"), "rate", _("执行年利率（%）"), low=Decimal("0.01"), high=RATE_MAX,
                               required=False)  # fmt: skip
    return out


@transaction.atomic
def record_stage(referral: NeedReferral, *, actor, data: dict, event: MatchEvent | None = None) -> StageEvent:
    """A bank records an outcome: 对接 → 意向 → 授信 → 放款, or 未获贷 with a catalogued reason."""
    referral = NeedReferral.objects.select_for_update().get(pk=referral.pk)
    _check_bank_actor(referral, actor)
    clean = check_stage(referral, data)
    stage, on, amount = clean["stage"], clean["on"], clean["amount"]
    before = {"stage": referral.stage}
    referral.stage = stage
    if stage == Stage.INTENDED:
        referral.intention_amount = amount
    elif stage == Stage.CREDITED:
        referral.credit_amount, referral.credit_on = amount, on
    elif stage == Stage.LENT:
        referral.loan_amount, referral.loan_on = amount, on
        if clean["rate"] is not None:
            referral.loan_rate = clean["rate"]
    elif stage == Stage.REFUSED:
        referral.refusal_reason, referral.refusal_text, referral.refused_on = clean["reason"], clean["reason_text"], on
    if stage in (Stage.CREDITED, Stage.REFUSED, Stage.LENT) and referral.answered_on is None:
        referral.answered_on = on
    referral.save()
    step = StageEvent.objects.create(
        referral=referral, stage=stage, on=on, amount=amount, note=clean["note"], event=event, actor=actor
    )
    _refresh_need_stage(referral.need)
    if stage == Stage.REFUSED and clean["reason"].fixable:
        reason = clean["reason"]
        FixTask.objects.create(
            referral=referral,
            need=referral.need,
            org_path=referral.org_path,
            problem=f"{reason.name}：{clean['reason_text']}" if clean["reason_text"] else reason.name,
            department=_department_for(referral.need, reason),
        )
    audit.record(
        "financing.record_stage",
        obj=referral,
        actor=actor,
        before=before,
        after={"stage": stage, "amount": amount, "on": on, "reason": clean["reason"] and clean["reason"].code},
    )
    _notify_enterprise(
        referral.need,
        _("%(bank)s：您的融资需求 %(number)s %(stage)s")
        % {"bank": referral.bank.name, "number": referral.need.number, "stage": Stage(stage).label},
        key=f"financing-stage-{step.pk}",
    )
    return step


@transaction.atomic
def mark_complete(referral: NeedReferral, *, actor, on=None) -> NeedReferral:
    """The bank confirms the application is complete: the 30-day answer period starts that day."""
    _check_bank_actor(referral, actor)
    on = on or today()
    referral.application_complete_on = on
    referral.answer_due = on + dt.timedelta(days=answer_days())
    referral.save(update_fields=["application_complete_on", "answer_due", "updated_at"])
    audit.record("financing.mark_complete", obj=referral, actor=actor, after={"on": on})
    return referral


def _department_for(need, reason):
    """The department under the need's FIC whose name contains the reason's usual department, if any."""
    if not reason.department_hint:
        return None
    from qinqing.orgs.models import Organization

    core = reason.department_hint.replace("局", "")
    return (
        Organization.objects.filter(kind="department", path__startswith=need.fic.path, name__contains=core)
        .order_by("path")
        .first()
    )


# --- fix tasks ------------------------------------------------------------------------------------


@transaction.atomic
def update_fix_task(task: FixTask, *, actor, problem: str, department, measure: str) -> FixTask:
    if task.status == FixStatus.FIXED:
        raise FinancingError(_("整改任务已完成，不能修改"))
    problem = (problem or "").strip()
    if not problem:
        raise ValidationError({"problem": _("请填写问题")})
    if department is not None and department.kind != "department":
        raise ValidationError({"department": _("责任部门应为承办单位")})
    task.problem, task.department, task.measure = problem[:500], department, (measure or "").strip()[:500]
    task.save()
    audit.record("financing.update_fix_task", obj=task, actor=actor)
    return task


@transaction.atomic
def fix_task_to_appeal(task: FixTask, *, actor):
    """Turn a fix task into an appeal to its department (the appeals intake: register, accept, assign)."""
    from qinqing.appeals import actions as appeal_actions
    from qinqing.appeals.models import AppealDomain, AppealType

    if task.appeal_id:
        raise FinancingError(_("该整改任务已转为诉求"))
    if task.department is None:
        raise ValidationError({"department": _("请先指定责任部门")})
    need = task.need
    appeal = appeal_actions.register_appeal(
        actor=actor,
        enterprise=need.enterprise,
        appeal_type=AppealType.objects.filter(code="coordination").first() or AppealType.objects.first(),
        domain=AppealDomain.objects.filter(code="finance").first() or AppealDomain.objects.first(),
        title=(_("融资整改：%(problem)s") % {"problem": task.problem})[:100],
        description=_("融资需求 %(number)s 未获贷，原因：%(problem)s。整改措施：%(measure)s")
        % {"number": need.number, "problem": task.problem, "measure": task.measure or _("（待定）")},
    )
    appeal = appeal_actions.accept_appeal(appeal, actor=actor)
    appeal = appeal_actions.assign_appeal(appeal, actor=actor, lead_department=task.department)
    task.appeal, task.status = appeal, FixStatus.APPEALED
    task.save(update_fields=["appeal", "status", "updated_at"])
    audit.record("financing.fix_to_appeal", obj=task, actor=actor, after={"appeal": appeal.pk})
    return appeal


@transaction.atomic
def complete_fix_task(task: FixTask, *, actor, result: str, on=None) -> FixTask:
    if task.status == FixStatus.FIXED:
        raise FinancingError(_("整改任务已完成"))
    result = (result or "").strip()
    if not result:
        raise ValidationError({"result": _("请填写整改结果")})
    task.status, task.result, task.fixed_on = FixStatus.FIXED, result[:500], on or today()
    task.save()
    audit.record("financing.complete_fix_task", obj=task, actor=actor, after={"result": task.result})
    return task


@transaction.atomic
def rerecommend(referral: NeedReferral, *, actor, bank, note: str = "", on=None) -> NeedReferral:
    """After a refusal (and its fix, when fixable): recommend the need again, to the same or another bank."""
    referral = NeedReferral.objects.select_for_update().select_related("need").get(pk=referral.pk)
    if referral.stage != Stage.REFUSED:
        raise FinancingError(_("只有未获贷的推荐才能再次推荐"))
    task = FixTask.objects.filter(referral=referral).first()
    if task is not None and task.status != FixStatus.FIXED:
        raise FinancingError(_("整改完成后才能再次推荐"))
    if bank.kind != "bank":
        raise ValidationError({"bank": _("请选择金融机构")})
    on = on or today()
    need = referral.need
    batch = PushBatch.objects.create(
        bank=bank, fic=actor.org, org_path=actor.org.path, note=note or _("整改后再次推荐"), pushed_on=on,
        pushed_by=actor,
    )  # fmt: skip
    fresh = _referral(need, bank, batch, actor=actor, on=on, previous=referral)
    audit.record("financing.rerecommend", obj=fresh, actor=actor, after={"previous": referral.pk, "bank": bank.pk})
    _notify_bank(bank, _("工商联再次推荐融资需求 %(number)s") % {"number": need.number},
                 key=f"financing-batch-{batch.pk}")  # fmt: skip
    return fresh


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


# --- notifications --------------------------------------------------------------------------------


def _send(users, title: str, key: str, url: str = "") -> None:
    from qinqing.notifications.actions import notify

    notify(users, kind="financing", title=title, url=url, key=key)


def _notify_bank(bank, title: str, key: str) -> None:
    from qinqing.accounts.models import User

    _send(User.objects.filter(org=bank, role=Role.BANK_OFFICER, is_active=True), title, key, "/financing/bank/")


def _notify_staff(need, title: str, key: str) -> None:
    from qinqing.accounts.models import User

    users = User.objects.filter(org_id=need.fic_id, role=Role.FIC_STAFF, is_active=True)
    _send(users, title, key, f"/financing/needs/{need.pk}/")


def _notify_enterprise(need, title: str, key: str) -> None:
    from qinqing.accounts.models import User

    users = User.objects.filter(enterprise_id=need.enterprise_id, role=Role.ENTERPRISE, is_active=True)
    _send(users, title, key, f"/financing/needs/{need.pk}/")


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
