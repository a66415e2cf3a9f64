"""Check-ups from the request to the lawyer's visit: request (enterprise or chamber), rounds planned by FIC staff,
assignment of a linked lawyer with the visit date, the enterprise's self-check and the lawyer's visit."""

from __future__ import annotations

import datetime as dt
import re
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from qinqing.core import audit
from qinqing.core.roles import Role

from ..choices import OPEN, Answer, Source, Status
from ..models import Checkup, CheckupAnswer, CheckupRound, FirmLink
from .common import (
    LegalError,
    checkup_url,
    enterprise_users,
    notify,
    parse_date,
    staff_of,
    text,
    today,
)
from .questionnaire import current_version

PHONE = re.compile(r"^[0-9+\-() ]{5,30}$")
ACTIVE = (Status.REQUESTED, Status.ASSIGNED, Status.VISITED)


def _chamber_parent_path(chamber) -> str:
    return chamber.path.rstrip("/").rsplit("/", 1)[0] + "/"


def member_chambers(enterprise, on: dt.date | None = None):
    """The chambers (organisations) the enterprise is an active member of."""
    from qinqing.orgs.models import Organization
    from qinqing.registry.membership import active_q
    from qinqing.registry.models import Member

    ids = Member.objects.filter(active_q(on or today()), enterprise=enterprise, organization__kind="chamber")
    return Organization.objects.filter(pk__in=ids.values("organization_id")).order_by("path")


def _new(enterprise, *, source, actor, on, chamber=None, round=None, note="", contact=("", "")) -> Checkup:
    checkup = Checkup.objects.create(
        number=f"tmp{uuid.uuid4().hex[:16]}",  # replaced below by the final number
        enterprise=enterprise, org_path=enterprise.org_path, source=source, chamber=chamber, round=round,
        requested_on=on, requested_by=actor, request_note=note, contact_name=contact[0], contact_phone=contact[1],
        version=current_version(),
    )  # fmt: skip
    checkup.number = f"FZ{on:%Y}{checkup.pk:06d}"
    checkup.save(update_fields=["number"])
    return checkup


def _open_exists(enterprise) -> bool:
    return Checkup.objects.filter(enterprise=enterprise, status__in=ACTIVE).exists()


@transaction.atomic
def request_checkup(*, actor, enterprise, data: dict) -> Checkup:
    """An enterprise requests a check-up for itself, or a chamber secretary for a member enterprise."""
    chamber = None
    if actor.role == Role.ENTERPRISE:
        if actor.enterprise_id != enterprise.pk:
            raise LegalError(_("只能为本企业申请法治体检"))
        chamber_id = data.get("chamber")
        chamber_id = getattr(chamber_id, "pk", chamber_id)
        if chamber_id not in (None, ""):
            chamber = member_chambers(enterprise).filter(pk=chamber_id).first()
            if chamber is None:
                raise ValidationError({"chamber": _("商会：只能选择本企业已加入的商会")})
        source = Source.ENTERPRISE if chamber is None else Source.CHAMBER
    elif actor.role == Role.CHAMBER_SECRETARY:
        if not member_chambers(enterprise).filter(pk=actor.org_id).exists():
            raise ValidationError({"enterprise": _("企业：只能为本商会的会员企业申请法治体检")})
        chamber, source = actor.org, Source.CHAMBER
    else:
        raise LegalError(_("您的角色不能申请法治体检"))
    note = text(data.get("request_note"), "request_note", _("体检需求说明"), limit=500, required=False)
    name = text(data.get("contact_name"), "contact_name", _("联系人"), limit=50, required=False)
    phone = text(data.get("contact_phone"), "contact_phone", _("联系电话"), limit=30, required=False)
    if phone and not PHONE.match(phone):
        raise ValidationError({"contact_phone": _("联系电话只能包含数字、空格和 +-()，5 至 30 位")})
    if _open_exists(enterprise):
        raise LegalError(_("该企业已有进行中的法治体检，请勿重复申请"))
    checkup = _new(enterprise, source=source, actor=actor, on=today(), chamber=chamber, note=note,
                   contact=(name, phone))  # fmt: skip
    audit.record("legal.request_checkup", obj=checkup, actor=actor,
                 after={"enterprise": enterprise.pk, "source": source, "chamber": chamber and chamber.pk})  # fmt: skip
    notify(staff_of(enterprise.org_path), _("%(name)s 申请法治体检（%(number)s），请安排律师")
           % {"name": enterprise.name, "number": checkup.number}, key=f"legal-request-{checkup.pk}",
           url=checkup_url(checkup))  # fmt: skip
    return checkup


@transaction.atomic
def plan_round(*, actor, title: str, enterprises, planned_on=None, note: str = "") -> CheckupRound:
    """FIC staff plan a round for a list of enterprises in their subtree; those with a check-up under way are
    left out (``round.skipped``)."""
    if actor.role != Role.FIC_STAFF:
        raise LegalError(_("只有工商联工作人员可以组织体检批次"))
    title = text(title, "title", _("批次名称"), limit=100)
    planned_on = parse_date(planned_on, "planned_on", _("计划走访日期"), required=False)
    enterprises = list(enterprises)
    if not enterprises:
        raise ValidationError({"enterprises": _("请至少选择一家企业")})
    outside = [e.name for e in enterprises if not e.org_path.startswith(actor.org.path)]
    if outside:
        raise ValidationError(
            {"enterprises": _("以下企业不在您的管辖范围内：%(names)s") % {"names": "、".join(outside)}}
        )
    rnd = CheckupRound.objects.create(title=title, fic=actor.org, org_path=actor.org.path, planned_on=planned_on,
                                      note=(note or "").strip()[:500], created_by=actor)  # fmt: skip
    busy = set(
        Checkup.objects.filter(enterprise__in=enterprises, status__in=ACTIVE).values_list("enterprise_id", flat=True)
    )
    made, skipped = [], []
    for enterprise in enterprises:
        if enterprise.pk in busy:
            skipped.append(enterprise.name)
            continue
        made.append(_new(enterprise, source=Source.ROUND, actor=actor, on=today(), round=rnd))
    audit.record("legal.plan_round", obj=rnd, actor=actor,
                 after={"checkups": [c.pk for c in made], "skipped": skipped})  # fmt: skip
    for checkup in made:
        title = _("工商联为贵企业安排了法治体检（%(number)s），请先完成自查问卷") % {"number": checkup.number}
        notify(
            enterprise_users(checkup.enterprise_id), title, key=f"legal-round-{checkup.pk}", url=checkup_url(checkup)
        )
    rnd.skipped = skipped
    return rnd


def link_for(checkup: Checkup, lawyer, on: dt.date) -> FirmLink | None:
    """The active link under which ``lawyer`` may take the check-up: the check-up's chamber if it has one, else a
    chamber of the enterprise's FIC, one of its ancestors, or below it."""
    links = FirmLink.objects.filter(law_firm_id=lawyer.org_id, starts_on__lte=on, ends_on__gte=on).select_related(
        "chamber"
    )
    if checkup.chamber_id:
        links = links.filter(chamber_id=checkup.chamber_id)
    for link in links.prefetch_related("lawyers"):
        named = [u.pk for u in link.lawyers.all()]
        if named and lawyer.pk not in named:
            continue
        if (
            checkup.chamber_id
            or checkup.org_path.startswith(_chamber_parent_path(link.chamber))
            or (link.org_path.startswith(checkup.org_path))
        ):
            return link
    return None


def _check_staff(checkup: Checkup, actor) -> None:
    if actor.role != Role.FIC_STAFF or not checkup.org_path.startswith(actor.org.path):
        raise LegalError(_("该体检不在您的管辖范围内"))


@transaction.atomic
def assign_checkup(checkup: Checkup, *, actor, lawyer, visit_on) -> Checkup:
    """FIC staff assign a lawyer linked to the chamber (万所联万会) and schedule the visit."""
    checkup = Checkup.objects.select_for_update().get(pk=checkup.pk)
    _check_staff(checkup, actor)
    if checkup.status not in OPEN:
        raise LegalError(_("体检已%(status)s，不能再安排律师") % {"status": Status(checkup.status).label})
    from qinqing.accounts.models import User

    lawyer_id = getattr(lawyer, "pk", lawyer)
    lawyer = User.objects.filter(pk=lawyer_id, role=Role.LAWYER, is_active=True).first() if lawyer_id else None
    if lawyer is None:
        raise ValidationError({"lawyer": _("体检律师：请选择一名律师")})
    visit_on = parse_date(visit_on, "visit_on", _("预约走访日期"))
    if visit_on < checkup.requested_on:
        raise ValidationError({"visit_on": _("预约走访日期不能早于申请日期 %(day)s") % {"day": checkup.requested_on}})
    if visit_on > today() + dt.timedelta(days=366):
        raise ValidationError({"visit_on": _("预约走访日期不能晚于一年以后")})
    link = link_for(checkup, lawyer, today())
    if link is None:
        raise ValidationError(
            {"lawyer": _("体检律师：该律师所在律所与本企业所在商会（或工商联）没有有效期内的联系（万所联万会）")}
        )
    before = {"lawyer": checkup.lawyer_id, "visit_on": checkup.visit_on, "status": checkup.status}
    checkup.lawyer, checkup.law_firm_id, checkup.link, checkup.visit_on = lawyer, lawyer.org_id, link, visit_on
    checkup.status = Status.ASSIGNED
    checkup.save(update_fields=["lawyer", "law_firm", "link", "visit_on", "status", "updated_at"])
    after = {"lawyer": lawyer.pk, "visit_on": visit_on, "status": checkup.status, "link": link.pk}
    audit.record("legal.assign_checkup", obj=checkup, actor=actor, before=before, after=after)
    title = _("法治体检 %(number)s：%(name)s，预约走访 %(day)s") % {
        "number": checkup.number, "name": checkup.enterprise.name, "day": visit_on}  # fmt: skip
    notify([lawyer], title, key=f"legal-assign-{checkup.pk}-{lawyer.pk}-{visit_on}", url=checkup_url(checkup))
    notify(enterprise_users(checkup.enterprise_id), title, key=f"legal-assign-{checkup.pk}-{visit_on}",
           url=checkup_url(checkup))  # fmt: skip
    return checkup


@transaction.atomic
def cancel_checkup(checkup: Checkup, *, actor, reason: str) -> Checkup:
    checkup = Checkup.objects.select_for_update().get(pk=checkup.pk)
    if actor.role == Role.ENTERPRISE:
        if checkup.enterprise_id != actor.enterprise_id:
            raise LegalError(_("只能取消本企业的体检"))
    else:
        _check_staff(checkup, actor)
    if checkup.status not in OPEN:
        raise LegalError(_("体检已%(status)s，不能取消") % {"status": Status(checkup.status).label})
    reason = text(reason, "reason", _("取消原因"), limit=500)
    before = checkup.status
    checkup.status = Status.CANCELLED
    checkup.visit_note = reason
    checkup.save(update_fields=["status", "visit_note", "updated_at"])
    audit.record("legal.cancel_checkup", obj=checkup, actor=actor, before={"status": before},
                 after={"status": checkup.status, "reason": reason})  # fmt: skip
    return checkup


def _answers(checkup: Checkup, answers: dict, *, side: str) -> dict[int, tuple[str, str]]:
    """Check one answer per question of the check-up's version: ``{question_id: (answer, note)}``."""
    from ..models import Question

    questions = list(Question.objects.filter(area__version_id=checkup.version_id).order_by("area__order", "order"))
    out = {}
    for number, q in enumerate(questions, start=1):
        answer, note = answers.get(q.pk) or answers.get(str(q.pk)) or ("", "")
        if answer not in Answer.values:
            label = _("第 %(n)s 题（%(text)s）：请选择是、否、部分或不清楚") % {"n": number, "text": q.text[:30]}
            raise ValidationError({f"q_{q.pk}": label})
        out[q.pk] = (answer, (note or "").strip()[:500])
    return out


def _write_answers(checkup: Checkup, clean: dict, side: str) -> None:
    existing = {a.question_id: a for a in CheckupAnswer.objects.filter(checkup=checkup)}
    new, changed = [], []
    for qid, (answer, note) in clean.items():
        row = existing.get(qid) or CheckupAnswer(checkup=checkup, question_id=qid)
        setattr(row, f"{side}_answer", answer)
        setattr(row, f"{side}_note", note)
        (changed if row.pk else new).append(row)
    CheckupAnswer.objects.bulk_create(new)
    CheckupAnswer.objects.bulk_update(changed, [f"{side}_answer", f"{side}_note"])


@transaction.atomic
def submit_selfcheck(checkup: Checkup, *, actor, answers: dict) -> Checkup:
    """The enterprise answers the questionnaire first (自查), before the lawyer's visit."""
    checkup = Checkup.objects.select_for_update().get(pk=checkup.pk)
    if actor.role != Role.ENTERPRISE or actor.enterprise_id != checkup.enterprise_id:
        raise LegalError(_("只有本企业可以填写自查问卷"))
    if checkup.status not in OPEN:
        raise LegalError(_("律师已走访，自查问卷不能再修改"))
    clean = _answers(checkup, answers, side="self")
    _write_answers(checkup, clean, "self")
    checkup.self_checked_on = today()
    checkup.save(update_fields=["self_checked_on", "updated_at"])
    audit.record("legal.submit_selfcheck", obj=checkup, actor=actor, after={"answers": len(clean)})
    if checkup.lawyer_id:
        notify([checkup.lawyer], _("%(name)s 已完成法治体检自查（%(number)s）")
               % {"name": checkup.enterprise.name, "number": checkup.number},
               key=f"legal-selfcheck-{checkup.pk}-{checkup.self_checked_on}", url=checkup_url(checkup))  # fmt: skip
    return checkup


def check_lawyer(checkup: Checkup, actor) -> None:
    if actor.role != Role.LAWYER or checkup.lawyer_id != actor.pk:
        raise LegalError(_("只有安排的体检律师可以办理"))


@transaction.atomic
def record_visit(checkup: Checkup, *, actor, visited_on, answers: dict, note: str = "") -> Checkup:
    """The lawyer completes the questionnaire in the visit (律师核查) and records the visit."""
    checkup = Checkup.objects.select_for_update().get(pk=checkup.pk)
    check_lawyer(checkup, actor)
    if checkup.status != Status.ASSIGNED:
        raise LegalError(_("体检当前为“%(status)s”，不能登记走访") % {"status": Status(checkup.status).label})
    visited_on = parse_date(visited_on, "visited_on", _("走访日期"))
    if visited_on < checkup.requested_on:
        raise ValidationError({"visited_on": _("走访日期不能早于申请日期 %(day)s") % {"day": checkup.requested_on}})
    if visited_on > today():
        raise ValidationError({"visited_on": _("走访日期不能晚于今天")})
    note = text(note, "visit_note", _("走访记录"), limit=5000, required=False)
    clean = _answers(checkup, answers, side="lawyer")
    _write_answers(checkup, clean, "lawyer")
    checkup.visited_on, checkup.visit_note, checkup.status = visited_on, note, Status.VISITED
    checkup.save(update_fields=["visited_on", "visit_note", "status", "updated_at"])
    audit.record("legal.record_visit", obj=checkup, actor=actor,
                 after={"visited_on": visited_on, "answers": len(clean), "status": checkup.status})  # fmt: skip
    return checkup
