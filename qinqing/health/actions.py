"""The only writers of health-check data. Each action is atomic and audited.

Bad input raises django ValidationError naming the field (400 in the API, the form field on pages); a step the
current state does not allow raises HealthError (qinqing.core.errors.Refused, 409). Nothing is changed then.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from qinqing.core import audit
from qinqing.core.errors import Refused

from . import permissions as perms
from .choices import Answer, VersionStatus, VisitReason, VisitStatus
from .indicators import DEFAULT_CONFIG, QUESTIONS_BY_CODE
from .models import FinancialSupplement, HealthRun, QuestionnaireAnswers, ScoringVersion, VisitTask
from .schemes import check_config

AMOUNT_MAX = Decimal("100000000")  # 1 万亿元 in 万元
SUPPLEMENT_LABELS = {
    "profit_wan": _("利润总额"),
    "cost_wan": _("营业成本"),
    "liabilities_wan": _("负债总额"),
    "receivables_wan": _("应收账款"),
    "inventory_wan": _("存货"),
}


class HealthError(Refused):
    """A health-check step the current state does not allow (Chinese message)."""


def today() -> dt.date:
    return timezone.localdate()


def _require(actor, perm: str) -> None:
    if not actor.is_authenticated or not actor.has_perm(perm):
        raise PermissionDenied


# --- scoring versions -----------------------------------------------------------------------------------


@transaction.atomic
def save_version(*, actor, config: dict, name: str, note: str = "", version: ScoringVersion | None = None):
    """Create a draft version (or change a draft); the scheme is checked in full before anything is saved."""
    _require(actor, perms.SCHEME)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写方案名称")})
    config = check_config(config)
    if version is not None:
        version = ScoringVersion.objects.select_for_update().get(pk=version.pk)
        if version.status != VersionStatus.DRAFT:
            raise HealthError(_("已启用或停用的方案不能修改，请另存为新版本"))
        before = {"name": version.name, "config": version.config}
        version.name, version.note, version.config = name[:100], (note or "")[:300], config
        version.save(update_fields=["name", "note", "config", "updated_at"])
        audit.record("health.change_version", obj=version, actor=actor, before=before, after={"name": version.name})
        return version
    number = (ScoringVersion.objects.aggregate(n=Max("number"))["n"] or 0) + 1
    version = ScoringVersion.objects.create(
        number=number, name=name[:100], note=(note or "")[:300], config=config, created_by=actor
    )
    audit.record("health.create_version", obj=version, actor=actor, after={"number": number, "name": version.name})
    return version


@transaction.atomic
def publish_version(version: ScoringVersion, *, actor) -> ScoringVersion:
    """启用: the version becomes the one new runs score with; the previously active one is retired."""
    _require(actor, perms.SCHEME)
    version = ScoringVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.DRAFT:
        raise HealthError(_("只有草稿方案可以启用"))
    check_config(version.config)
    retired = list(ScoringVersion.objects.filter(status=VersionStatus.ACTIVE).values_list("pk", flat=True))
    ScoringVersion.objects.filter(pk__in=retired).update(status=VersionStatus.RETIRED, updated_at=timezone.now())
    version.status, version.published_at = VersionStatus.ACTIVE, timezone.now()
    version.save(update_fields=["status", "published_at", "updated_at"])
    audit.record(
        "health.publish_version", obj=version, actor=actor, after={"number": version.number, "retired": retired}
    )
    return version


def active_version() -> ScoringVersion | None:
    return ScoringVersion.objects.filter(status=VersionStatus.ACTIVE).first()


def default_version(actor) -> ScoringVersion:
    """The built-in scheme as version 1, active (the demo and a fresh deployment start from it)."""
    found = active_version()
    if found is not None:
        return found
    version = save_version(actor=actor, config=DEFAULT_CONFIG, name=_("默认方案（参照温州 DB3303/T 031-2021）"))
    return publish_version(version, actor=actor)


# --- the enterprise's own data --------------------------------------------------------------------------


def _amount(value, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    label = SUPPLEMENT_LABELS[field]
    try:
        number = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("%(label)s应为数字（万元）") % {"label": label}}) from None
    if not number.is_finite() or abs(number) > AMOUNT_MAX:
        raise ValidationError({field: _("%(label)s超出合理范围") % {"label": label}})
    if field != "profit_wan" and number < 0:
        raise ValidationError({field: _("%(label)s不能为负数") % {"label": label}})
    return number


@transaction.atomic
def save_supplement(enterprise, *, actor, year, data: dict) -> FinancialSupplement:
    """The enterprise's (or staff's) profit, cost, liabilities, receivables and inventory for one year."""
    if not perms.can_state(actor, enterprise):
        raise PermissionDenied
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": _("年度应为整数")}) from None
    if not 2000 <= year <= today().year:
        raise ValidationError({"year": _("年度应在 2000 至 %(year)s 之间") % {"year": today().year}})
    values = {field: _amount(data.get(field), field) for field in SUPPLEMENT_LABELS}
    row, created = FinancialSupplement.objects.select_for_update().get_or_create(enterprise=enterprise, year=year)
    before = {f: None if getattr(row, f) is None else str(getattr(row, f)) for f in SUPPLEMENT_LABELS}
    for field, value in values.items():
        setattr(row, field, value)
    row.save()
    audit.record(
        "health.save_supplement", obj=row, actor=actor, before=None if created else before,
        after={"year": year, **{f: None if v is None else str(v) for f, v in values.items()}},
    )  # fmt: skip
    return row


@transaction.atomic
def answer_questionnaire(enterprise, *, actor, answers: dict) -> QuestionnaireAnswers:
    """Optional items: each answer yes / partly / no, or blank (not answered, shown as missing)."""
    if not perms.can_state(actor, enterprise):
        raise PermissionDenied
    clean = {}
    for code, value in (answers or {}).items():
        if code not in QUESTIONS_BY_CODE:
            raise ValidationError({"answers": _("未知的问卷项：%(code)s") % {"code": str(code)[:30]}})
        if value in (None, ""):
            continue
        if value not in Answer.values:
            raise ValidationError(
                {code: _("“%(label)s”的回答应为 是 / 部分做到 / 否") % {"label": QUESTIONS_BY_CODE[code].label}}
            )
        clean[code] = value
    row, _created = QuestionnaireAnswers.objects.select_for_update().get_or_create(enterprise=enterprise)
    before = dict(row.answers)
    row.answers, row.answered_by = clean, actor
    row.save()
    audit.record("health.answer_questionnaire", obj=row, actor=actor, before=before, after=clean)
    return row


# --- runs -------------------------------------------------------------------------------------------------


@transaction.atomic
def start_run(*, actor) -> HealthRun:
    """Score every enterprise with figures in the actor's subtree with the active version (background job)."""
    from qinqing.core.jobs import start_job

    from .tasks import score_enterprises

    _require(actor, perms.MANAGE)
    if actor.org is None:
        raise PermissionDenied
    version = active_version()
    if version is None:
        raise HealthError(_("尚未启用评分方案，请先启用一个版本"))
    run = HealthRun.objects.create(version=version, org_path=actor.org.path, started_by=actor)
    job = start_job(
        "health.score", _("企业健康体检评分（%(version)s）") % {"version": version}, user=actor,
        params={"run_id": run.pk}, task=score_enterprises,
    )  # fmt: skip
    run.job = job
    run.save(update_fields=["job", "updated_at"])
    audit.record("health.start_run", obj=run, actor=actor, after={"version": version.number, "job": job.pk})
    return run


# --- visits -----------------------------------------------------------------------------------------------


@transaction.atomic
def create_visits(*, actor, results, due_on, assignee=None) -> list[VisitTask]:
    """Visit tasks for the chosen results' enterprises (one per enterprise without an open task)."""
    _require(actor, perms.MANAGE)
    results = list(results)
    if not results:
        raise ValidationError({"results": _("请选择要走访的企业")})
    if not isinstance(due_on, dt.date):
        raise ValidationError({"due_on": _("请填写计划走访日期")})
    if due_on < today():
        raise ValidationError({"due_on": _("计划走访日期不能早于今天")})
    if assignee is not None and (assignee.org is None or not assignee.org.path.startswith(actor.org.path)):
        raise ValidationError({"assignee": _("走访人应为本级或下级工商联的工作人员")})
    open_for = set(
        VisitTask.objects.filter(
            enterprise_id__in=[r.enterprise_id for r in results], status=VisitStatus.PLANNED
        ).values_list("enterprise_id", flat=True)
    )
    tasks = [
        VisitTask(
            enterprise_id=r.enterprise_id, result=r, org_path=r.org_path, due_on=due_on, assignee=assignee,
            created_by=actor, reason=VisitReason.FELL if r.fell else VisitReason.LOW if r.is_low else VisitReason.OTHER,
        )
        for r in results
        if r.enterprise_id not in open_for
    ]  # fmt: skip
    if not tasks:
        raise HealthError(_("所选企业都已有待走访任务"))
    created = VisitTask.objects.bulk_create(tasks)
    request_id = f"health-visits-{timezone.now():%Y%m%d%H%M%S%f}"
    for task in created:
        audit.record("health.create_visit", obj=task, actor=actor, request_id=request_id,
                     after={"enterprise": task.enterprise_id, "due_on": due_on, "reason": task.reason})  # fmt: skip
    return created


@transaction.atomic
def record_visit(task: VisitTask, *, actor, visited_on, notes: str, problems: str = "") -> VisitTask:
    _require(actor, perms.MANAGE)
    task = VisitTask.objects.select_for_update().get(pk=task.pk)
    if task.status != VisitStatus.PLANNED:
        raise HealthError(_("该走访已记录"))
    if not isinstance(visited_on, dt.date):
        raise ValidationError({"visited_on": _("请填写走访日期")})
    if visited_on > today():
        raise ValidationError({"visited_on": _("走访日期不能晚于今天")})
    notes = (notes or "").strip()
    if not notes:
        raise ValidationError({"notes": _("请填写走访记录")})
    task.status, task.visited_on, task.notes, task.problems = (
        VisitStatus.DONE, visited_on, notes[:4000], (problems or "").strip()[:2000],
    )  # fmt: skip
    task.save(update_fields=["status", "visited_on", "notes", "problems", "updated_at"])
    audit.record("health.record_visit", obj=task, actor=actor,
                 after={"visited_on": visited_on, "problems": bool(task.problems)})  # fmt: skip
    return task


@transaction.atomic
def visit_to_appeal(task: VisitTask, *, actor, department, problem: str = ""):
    """Turn the problems found in a visit into an appeal to a department in one step (register, accept, assign)."""
    from qinqing.appeals import actions as appeal_actions
    from qinqing.appeals.models import AppealDomain, AppealType, Channel

    _require(actor, perms.MANAGE)
    task = VisitTask.objects.select_for_update().select_related("enterprise").get(pk=task.pk)
    if task.appeal_id:
        raise HealthError(_("该走访的问题已转为诉求"))
    if task.status != VisitStatus.DONE:
        raise HealthError(_("请先记录走访，再将问题转为诉求"))
    problem = (problem or task.problems or "").strip()
    if not problem:
        raise ValidationError({"problem": _("请填写需要协调解决的问题")})
    if department is None or department.kind != "department":
        raise ValidationError({"department": _("请选择责任部门")})
    appeal = appeal_actions.register_appeal(
        actor=actor,
        enterprise=task.enterprise,
        appeal_type=AppealType.objects.filter(code="coordination").first() or AppealType.objects.first(),
        domain=AppealDomain.objects.filter(code="other").first() or AppealDomain.objects.first(),
        title=(_("体检走访：%(problem)s") % {"problem": problem})[:100],
        description=_("企业健康体检走访（%(date)s）发现的问题：%(problem)s。走访记录：%(notes)s")
        % {"date": task.visited_on, "problem": problem, "notes": task.notes},
        channel=Channel.VISIT,
        # The enterprise's contact on record, for the department's 首次联系 and the public status lookup.
        contact_name=task.enterprise.contact_name or task.enterprise.legal_representative,
        contact_phone=task.enterprise.contact_mobile or "",
    )
    appeal = appeal_actions.accept_appeal(appeal, actor=actor)
    appeal = appeal_actions.assign_appeal(appeal, actor=actor, lead_department=department)
    task.appeal, task.department, task.status, task.appealed_on = appeal, department, VisitStatus.APPEALED, today()
    task.problems = problem[:2000]
    task.save(update_fields=["appeal", "department", "status", "appealed_on", "problems", "updated_at"])
    audit.record("health.visit_to_appeal", obj=task, actor=actor, after={"appeal": appeal.pk})
    return appeal
