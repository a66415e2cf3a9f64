"""The lawyer's report (risk points and the 法律风险评估报告), the enterprise's 整改 feedback, the follow-up call
and its reminder, and a red risk turned into an appeal."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from qinqing.core import audit
from qinqing.core.roles import Role

from ..choices import FollowStatus, Level, Status
from ..models import Checkup, FollowUpCall, RiskPoint
from .checkups import _check_staff, check_lawyer
from .common import (
    LegalError,
    checkup_url,
    enterprise_users,
    followup_days,
    notify,
    parse_date,
    staff_of,
    text,
    today,
)

REPORTED = (Status.REPORTED, Status.FOLLOWED)
# The appeal domain a risk's area falls under (appeals.classification codes); others go to "other".
APPEAL_DOMAINS = {"labour": "labour", "ip": "ip", "tax": "tax"}
RISK_FIELDS = ["area_id", "level", "facts", "recommendation"]


def clean_risk(checkup: Checkup, data: dict) -> dict:
    area_id = data.get("area")
    area_id = getattr(area_id, "pk", area_id)
    area = checkup.version.areas.filter(pk=area_id).first() if area_id not in (None, "") else None
    if area is None:
        raise ValidationError({"area": _("领域：请选择本次问卷的一个领域")})
    level = data.get("level") or ""
    if level not in Level.values:
        raise ValidationError({"level": _("风险等级：请选择红（重大且紧急）、橙（较大）或黄（一般）")})
    return {
        "area": area,
        "level": level,
        "facts": text(data.get("facts"), "facts", _("风险事实"), limit=5000),
        "recommendation": text(data.get("recommendation"), "recommendation", _("整改建议"), limit=5000),
    }


def _check_drafting(checkup: Checkup, actor) -> None:
    check_lawyer(checkup, actor)
    if checkup.status != Status.VISITED:
        if checkup.status in REPORTED:
            raise LegalError(_("报告已出具，风险点不能再修改"))
        raise LegalError(_("请先登记走访，再填写风险点"))


@transaction.atomic
def add_risk(checkup: Checkup, *, actor, data: dict) -> RiskPoint:
    checkup = Checkup.objects.select_for_update().select_related("version").get(pk=checkup.pk)
    _check_drafting(checkup, actor)
    risk = RiskPoint.objects.create(checkup=checkup, **clean_risk(checkup, data))
    audit.record("legal.add_risk", obj=risk, actor=actor, after=audit.snapshot(risk, RISK_FIELDS))
    return risk


@transaction.atomic
def update_risk(risk: RiskPoint, *, actor, data: dict) -> RiskPoint:
    checkup = Checkup.objects.select_for_update().select_related("version").get(pk=risk.checkup_id)
    _check_drafting(checkup, actor)
    before = audit.snapshot(risk, RISK_FIELDS)
    for name, value in clean_risk(checkup, data).items():
        setattr(risk, name, value)
    risk.save()
    audit.record("legal.update_risk", obj=risk, actor=actor, before=before, after=audit.snapshot(risk, RISK_FIELDS))
    return risk


@transaction.atomic
def delete_risk(risk: RiskPoint, *, actor) -> None:
    checkup = Checkup.objects.select_for_update().get(pk=risk.checkup_id)
    _check_drafting(checkup, actor)
    audit.record("legal.delete_risk", obj=risk, actor=actor, before=audit.snapshot(risk, RISK_FIELDS))
    risk.delete()


@transaction.atomic
def issue_report(checkup: Checkup, *, actor, summary: str, on=None) -> Checkup:
    """The lawyer issues the 法律风险评估报告: risk points freeze, the follow-up call falls due N days later."""
    checkup = Checkup.objects.select_for_update().get(pk=checkup.pk)
    _check_drafting(checkup, actor)
    summary = text(summary, "report_summary", _("总体评价"), limit=5000)
    on = parse_date(on, "report_on", _("报告日期"), required=False) or today()
    if on < checkup.visited_on or on > today():
        raise ValidationError({"report_on": _("报告日期应在走访日期 %(day)s 至今天之间") % {"day": checkup.visited_on}})
    checkup.report_summary, checkup.report_on, checkup.status = summary, on, Status.REPORTED
    checkup.followup_due = on + dt.timedelta(days=followup_days())
    checkup.save(update_fields=["report_summary", "report_on", "status", "followup_due", "updated_at"])
    risks = checkup.risks.count()
    audit.record("legal.issue_report", obj=checkup, actor=actor,
                 after={"report_on": on, "risks": risks, "followup_due": checkup.followup_due})  # fmt: skip
    title = _("法治体检 %(number)s 的法律风险评估报告已出具（风险点 %(n)s 个），请反馈整改情况") % {
        "number": checkup.number, "n": risks}  # fmt: skip
    notify(enterprise_users(checkup.enterprise_id), title, key=f"legal-report-{checkup.pk}", url=checkup_url(checkup))
    if checkup.risks.filter(level=Level.RED).exists():
        notify(staff_of(checkup.org_path), _("法治体检 %(number)s（%(name)s）发现红色风险")
               % {"number": checkup.number, "name": checkup.enterprise.name}, key=f"legal-red-{checkup.pk}",
               url=checkup_url(checkup))  # fmt: skip
    return checkup


def clean_follow(risk: RiskPoint, status, reason) -> tuple[str, str]:
    field = f"risk_{risk.pk}"
    if status not in (FollowStatus.DONE, FollowStatus.DOING, FollowStatus.DECLINED):
        raise ValidationError({field: _("整改情况：请选择已整改、整改中或不整改")})
    reason = (reason or "").strip()
    if len(reason) > 500:
        raise ValidationError({field: _("整改说明不能超过 500 个字")})
    if status == FollowStatus.DECLINED and not reason:
        raise ValidationError({field: _("选择“不整改”时须填写理由")})
    return status, reason


@transaction.atomic
def follow_risks(checkup: Checkup, *, actor, items: dict) -> int:
    """The enterprise states the 整改 of recommendations: ``{risk_id: (status, reason)}``; all or nothing."""
    checkup = Checkup.objects.select_for_update().get(pk=checkup.pk)
    if actor.role != Role.ENTERPRISE or actor.enterprise_id != checkup.enterprise_id:
        raise LegalError(_("只有本企业可以反馈整改情况"))
    if checkup.status not in REPORTED:
        raise LegalError(_("报告出具后才能反馈整改情况"))
    risks = {r.pk: r for r in checkup.risks.all()}
    if not items:
        raise ValidationError({"items": _("请至少反馈一条整改建议")})
    clean = {}
    for key, (status, reason) in items.items():
        risk = risks.get(int(key)) if str(key).isdigit() else None
        if risk is None:
            raise ValidationError({"items": _("风险点 %(id)s 不属于本次体检") % {"id": str(key)[:20]}})
        clean[risk.pk] = clean_follow(risk, status, reason)
    changed = []
    for pk, (status, reason) in clean.items():
        risk = risks[pk]
        before = {"follow_status": risk.follow_status, "follow_reason": risk.follow_reason}
        risk.follow_status, risk.follow_reason, risk.follow_on = status, reason, today()
        changed.append(risk)
        audit.record("legal.follow_risk", obj=risk, actor=actor, before=before,
                     after={"follow_status": status, "follow_reason": reason})  # fmt: skip
    RiskPoint.objects.bulk_update(changed, ["follow_status", "follow_reason", "follow_on", "updated_at"])
    return len(changed)


@transaction.atomic
def record_call(checkup: Checkup, *, actor, called_on, summary: str) -> FollowUpCall:
    """The lawyer's follow-up call (回访) after the report."""
    checkup = Checkup.objects.select_for_update().get(pk=checkup.pk)
    check_lawyer(checkup, actor)
    if checkup.status not in REPORTED:
        raise LegalError(_("报告出具后才能登记回访"))
    called_on = parse_date(called_on, "called_on", _("回访日期"))
    if called_on < checkup.report_on or called_on > today():
        raise ValidationError({"called_on": _("回访日期应在报告日期 %(day)s 至今天之间") % {"day": checkup.report_on}})
    summary = text(summary, "summary", _("回访情况"), limit=5000)
    call = FollowUpCall.objects.create(checkup=checkup, lawyer=actor, called_on=called_on, summary=summary)
    before = checkup.status
    checkup.status = Status.FOLLOWED
    checkup.save(update_fields=["status", "updated_at"])
    audit.record("legal.record_call", obj=call, actor=actor,
                 after={"checkup": checkup.pk, "called_on": called_on, "status": [before, checkup.status]})  # fmt: skip
    return call


def remind_followups(on: dt.date | None = None) -> dict:
    """Reports whose follow-up call is due and not made: the lawyer is reminded once (idempotent sweep)."""
    on = on or today()
    due = Checkup.objects.filter(status=Status.REPORTED, followup_due__lte=on, followup_reminded_on__isnull=True,
                                 lawyer__isnull=False).select_related("lawyer", "enterprise")  # fmt: skip
    reminded = 0
    for checkup in due.iterator(chunk_size=500):
        with transaction.atomic():
            notify([checkup.lawyer], _("请回访 %(name)s：法治体检 %(number)s 的报告已于 %(day)s 出具，回访期限 %(due)s")
                   % {"name": checkup.enterprise.name, "number": checkup.number, "day": checkup.report_on,
                      "due": checkup.followup_due}, key=f"legal-followup-{checkup.pk}",
                   url=checkup_url(checkup))  # fmt: skip
            Checkup.objects.filter(pk=checkup.pk).update(followup_reminded_on=on)
            reminded += 1
    return {"reminded": reminded}


@transaction.atomic
def risk_to_appeal(risk: RiskPoint, *, actor, department):
    """A red risk that needs a government department's help becomes an appeal in one step (register, accept and
    assign to the department), like financing's fix tasks."""
    from qinqing.appeals import actions as appeal_actions
    from qinqing.appeals.models import AppealDomain, AppealType

    risk = (
        RiskPoint.objects.select_for_update().select_related("checkup", "checkup__enterprise", "area").get(pk=risk.pk)
    )
    checkup = risk.checkup
    _check_staff(checkup, actor)
    if risk.level != Level.RED:
        raise LegalError(_("只有红色（重大且紧急）风险可以转为诉求"))
    if checkup.status not in REPORTED:
        raise LegalError(_("报告出具后才能转为诉求"))
    if risk.appeal_id:
        raise LegalError(_("该风险点已转为诉求"))
    dept_id = getattr(department, "pk", department)
    from qinqing.orgs.models import Organization

    dept = Organization.objects.filter(pk=dept_id, kind="department").first() if dept_id else None
    if dept is None or not dept.path.startswith(actor.org.path):
        raise ValidationError({"department": _("承办单位：请选择您管辖范围内的政府部门")})
    appeal = appeal_actions.register_appeal(
        actor=actor,
        enterprise=checkup.enterprise,
        appeal_type=AppealType.objects.filter(code="coordination").first() or AppealType.objects.first(),
        domain=AppealDomain.objects.filter(code=APPEAL_DOMAINS.get(risk.area.code, "other")).first()
        or AppealDomain.objects.first(),
        title=(_("法治体检红色风险：%(area)s") % {"area": risk.area.name})[:100],
        description=_("法治体检 %(number)s 发现重大且紧急的法律风险。风险事实：%(facts)s。律师建议：%(rec)s")
        % {"number": checkup.number, "facts": risk.facts[:600], "rec": risk.recommendation[:600]},
        chamber=checkup.chamber,
    )
    appeal = appeal_actions.accept_appeal(appeal, actor=actor)
    appeal = appeal_actions.assign_appeal(appeal, actor=actor, lead_department=dept)
    risk.appeal = appeal
    risk.save(update_fields=["appeal", "updated_at"])
    audit.record("legal.risk_to_appeal", obj=risk, actor=actor, after={"appeal": appeal.pk, "department": dept.pk})
    return appeal
