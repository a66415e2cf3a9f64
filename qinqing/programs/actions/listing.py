"""上市后备: candidates on the 金种子/银种子 lists with the criteria they met, moved one stage at a time
(储备 → 培育 → 辅导 → 申报 → 上市), each stage with its date and responsible officer, and the services delivered
along the way. Atomic and audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from qinqing.core import audit
from qinqing.core.roles import Role

from ..choices import BOARDS_OF, STAGE_ORDER, Board, Criterion, Exchange, ListingStage, ServiceKind, Tier
from ..models import ListingCandidate, ListingService, StageStep
from .common import choice, day, in_scope, text


def _officer(data: dict, org_path: str):
    """The responsible officer: an active FIC staff member or leader of the candidate's FIC, above or below it."""
    officer = data.get("officer")
    if officer is None or officer == "":
        raise ValidationError({"officer": _("请选择责任人")})
    ok = (
        getattr(officer, "is_active", False)
        and officer.role in (Role.FIC_STAFF, Role.FIC_LEADER)
        and officer.org_id
        and (org_path.startswith(officer.org.path) or officer.org.path.startswith(org_path))
    )
    if not ok:
        raise ValidationError({"officer": _("责任人应为本级或上下级工商联的在岗工作人员")})
    return officer


def _criteria(data: dict) -> list[str]:
    values = data.get("criteria") or []
    if isinstance(values, str):
        values = [values]
    values = list(dict.fromkeys(values))
    if not values:
        raise ValidationError({"criteria": _("请至少选择一项入库条件")})
    unknown = [v for v in values if v not in Criterion.values]
    if unknown:
        raise ValidationError({"criteria": _("入库条件“%(value)s”不存在") % {"value": str(unknown[0])[:30]}})
    return values


@transaction.atomic
def add_candidate(*, actor, enterprise, data: dict) -> ListingCandidate:
    """An enterprise enters the pipeline at 储备 on a tier, with the criteria it met."""
    if enterprise is None:
        raise ValidationError({"enterprise": _("请选择企业")})
    if not actor.org_id or not enterprise.org_path.startswith(actor.org.path):
        raise ValidationError({"enterprise": _("企业“%(name)s”不在您的管辖范围内") % {"name": enterprise.name}})
    if ListingCandidate.objects.filter(enterprise=enterprise).exists():
        raise ValidationError({"enterprise": _("企业“%(name)s”已在上市后备库中") % {"name": enterprise.name}})
    tier = choice(data, "tier", _("梯队"), Tier)
    criteria = _criteria(data)
    entered = day(data, "entered_on", _("入库日期"))
    officer = _officer(data, enterprise.org_path)
    candidate = ListingCandidate.objects.create(
        enterprise=enterprise, org_path=enterprise.org_path, tier=tier, criteria=criteria, entered_on=entered,
        criteria_note=text(data, "criteria_note", _("条件说明"), max_length=2000, required=False),
        stage=ListingStage.RESERVE, stage_on=entered, officer=officer,
    )  # fmt: skip
    StageStep.objects.create(candidate=candidate, stage=ListingStage.RESERVE, on=entered, officer=officer, actor=actor)
    audit.record("programs.add_candidate", obj=candidate, actor=actor,
                 after={"tier": tier, "criteria": criteria, "entered_on": entered, "officer": officer.pk})  # fmt: skip
    return candidate


@transaction.atomic
def reclassify(candidate: ListingCandidate, *, actor, data: dict) -> ListingCandidate:
    """Move a candidate between 金种子 and 银种子, or correct the criteria recorded."""
    in_scope(actor, candidate.org_path, _("该企业"))
    before = {"tier": candidate.tier, "criteria": candidate.criteria, "criteria_note": candidate.criteria_note}
    candidate.tier = choice(data, "tier", _("梯队"), Tier)
    candidate.criteria = _criteria(data)
    candidate.criteria_note = text(data, "criteria_note", _("条件说明"), max_length=2000, required=False)
    candidate.save(update_fields=["tier", "criteria", "criteria_note", "updated_at"])
    after = {"tier": candidate.tier, "criteria": candidate.criteria, "criteria_note": candidate.criteria_note}
    audit.record("programs.reclassify", obj=candidate, actor=actor, before=before, after=after)
    return candidate


def next_stage(stage: str) -> str | None:
    index = STAGE_ORDER.index(stage)
    return STAGE_ORDER[index + 1] if index + 1 < len(STAGE_ORDER) else None


@transaction.atomic
def advance_stage(candidate: ListingCandidate, *, actor, data: dict) -> ListingCandidate:
    """The next stage, never another: its date (not before the current stage's, not in the future) and officer;
    上市 also names the exchange, the board and the listing date."""
    in_scope(actor, candidate.org_path, _("该企业"))
    candidate = ListingCandidate.objects.select_for_update().get(pk=candidate.pk)
    expected = next_stage(candidate.stage)
    stage = data.get("stage")
    if stage not in ListingStage.values:
        raise ValidationError({"stage": _("请选择阶段")})
    if expected is None:
        raise ValidationError({"stage": _("该企业已上市，没有后续阶段")})
    if stage != expected:
        message = _(
            "阶段须按 储备→培育→辅导→申报→上市 依次推进："
            "当前为“%(current)s”，下一阶段应为“%(next)s”，不能登记“%(stage)s”"
        )
        labels = {"current": ListingStage(candidate.stage).label, "next": ListingStage(expected).label,
                  "stage": ListingStage(stage).label}  # fmt: skip
        raise ValidationError({"stage": message % labels})
    on = day(data, "on", _("日期"), not_before=candidate.stage_on)
    officer = _officer(data, candidate.org_path)
    fields = ["stage", "stage_on", "officer", "updated_at"]
    if stage == ListingStage.LISTED:
        exchange = choice(data, "exchange", _("上市交易所"), Exchange)
        board = choice(data, "board", _("上市板块"), Board)
        if board not in BOARDS_OF[exchange]:
            raise ValidationError({"board": _("%(exchange)s没有“%(board)s”板块") % {
                "exchange": Exchange(exchange).label, "board": Board(board).label}})  # fmt: skip
        candidate.exchange, candidate.board, candidate.listed_on = exchange, board, on
        candidate.stock_code = text(data, "stock_code", _("证券代码"), max_length=12, required=False)
        fields += ["exchange", "board", "listed_on", "stock_code"]
    before = {"stage": candidate.stage, "stage_on": candidate.stage_on}
    candidate.stage, candidate.stage_on, candidate.officer = stage, on, officer
    candidate.save(update_fields=fields)
    StageStep.objects.create(candidate=candidate, stage=stage, on=on, officer=officer, actor=actor,
                             note=text(data, "note", _("备注"), max_length=300, required=False))  # fmt: skip
    audit.record("programs.advance_stage", obj=candidate, actor=actor, before=before,
                 after={"stage": stage, "stage_on": on, "officer": officer.pk, "exchange": candidate.exchange,
                        "board": candidate.board})  # fmt: skip
    return candidate


@transaction.atomic
def add_service(candidate: ListingCandidate, *, actor, data: dict) -> ListingService:
    """A service delivered to a candidate, at the stage it is in."""
    in_scope(actor, candidate.org_path, _("该企业"))
    kind = choice(data, "kind", _("服务类型"), ServiceKind)
    on = day(data, "on", _("服务日期"), not_before=candidate.entered_on)
    description = text(data, "description", _("服务内容"), max_length=500)
    officer = _officer(data, candidate.org_path) if data.get("officer") else None
    service = ListingService.objects.create(candidate=candidate, kind=kind, on=on, stage=candidate.stage,
                                            description=description, officer=officer)  # fmt: skip
    audit.record("programs.add_service", obj=service, actor=actor,
                 after={"candidate": candidate.pk, "kind": kind, "on": on, "stage": candidate.stage})  # fmt: skip
    return service
