"""The only writers of financing data: the bank's outcomes and fix tasks.
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
from qinqing.core.roles import Role

from ..choices import (
    STAGE_ORDER,
    FixStatus,
    Stage,
)
from ..models import (
    FixTask,
    MatchEvent,
    NeedReferral,
    PushBatch,
    RefusalReason,
    StageEvent,
)
from .common import (
    AMOUNT_MAX,
    FINAL,
    RATE_MAX,
    FinancingError,
    _decimal,
    _notify_bank,
    _notify_enterprise,
    answer_days,
    today,
)
from .pushes import (
    _referral,
    _refresh_need_stage,
)

# --- the bank's outcomes --------------------------------------------------------------------------


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
