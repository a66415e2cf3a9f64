"""The only code that writes survey data: build, open, close, answer, remind. Each verb is atomic, checks the
actor's right and writes its own audit row (an anonymous answer's row names the survey only)."""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qinqing.core import audit
from qinqing.core.errors import Refused
from qinqing.eligibility import rules
from qinqing.eligibility.attributes import read_frame
from qinqing.registry.membership import standing

from . import anonymity, structure
from .answers import clean, encode, values
from .choices import Audience, Source, Status
from .models import AnswerValue, Receipt, Response, Survey, SurveyTarget, SurveyVersion
from .permissions import MANAGE

SETTINGS = ("title", "description", "anonymous", "multiple", "audience", "rule", "closes_on")
CHUNK = 2000


def today() -> dt.date:
    return timezone.localdate()


def _require(actor, permission: str = MANAGE) -> None:
    if not actor.has_perm(permission):
        raise PermissionDenied(_("没有管理问卷的权限"))


def _settings(survey: Survey, data: dict) -> None:
    title = str(data.get("title", survey.title) or "").strip()
    if not title:
        raise ValidationError({"title": _("请填写问卷标题")})
    survey.title = title[:200]
    survey.description = str(data.get("description", survey.description) or "")
    if survey.status == Status.DRAFT:  # who is asked, and how, is fixed once the survey opens
        survey.anonymous = bool(data.get("anonymous", survey.anonymous))
        survey.multiple = bool(data.get("multiple", survey.multiple))
        audience = data.get("audience", survey.audience) or Audience.RULE
        if audience not in Audience.values:
            raise ValidationError({"audience": _("调查对象方式无效")})
        survey.audience = audience
        try:
            survey.rule = rules.normalize(data.get("rule", survey.rule) or {})
        except rules.RuleError as exc:
            raise ValidationError({"rule": str(exc)}) from None
    closes_on = data.get("closes_on", survey.closes_on)
    if isinstance(closes_on, str):
        try:
            closes_on = dt.date.fromisoformat(closes_on) if closes_on else None
        except ValueError:
            raise ValidationError({"closes_on": _("截止日期格式无效")}) from None
    if closes_on is not None and closes_on < today() and closes_on != survey.closes_on:
        raise ValidationError({"closes_on": _("截止日期不能早于今天")})
    survey.closes_on = closes_on


@transaction.atomic
def create_survey(*, actor, data: dict, template: str = "") -> Survey:
    """A draft survey owned by the actor's node, empty or from a built-in template."""
    _require(actor)
    from .template import templates

    survey = Survey(fic=actor.org, org_path=actor.org.path, created_by=actor)
    if template:
        if template not in templates():
            raise ValidationError({"template": _("没有这个模板")})
        title, build = templates()[template]
        survey.template = template
        survey.structure = structure.normalize(build())
        data = {"title": title, **{k: v for k, v in data.items() if v not in (None, "")}}
    else:
        survey.structure = {"sections": []}
    _settings(survey, data)
    survey.slots = structure.assign_slots({}, survey.structure)
    survey.save()
    audit.record("surveys.create_survey", obj=survey, actor=actor, after=audit.snapshot(survey, SETTINGS))
    return survey


def _locked(survey: Survey) -> Survey:
    return Survey.objects.select_for_update().get(pk=survey.pk)


@transaction.atomic
def update_survey(survey: Survey, *, actor, data: dict) -> Survey:
    _require(actor)
    survey = _locked(survey)
    if survey.status == Status.CLOSED:
        raise Refused(_("问卷已结束，不能修改"))
    before = audit.snapshot(survey, SETTINGS)
    _settings(survey, data)
    survey.save()
    audit.record(
        "surveys.update_survey", obj=survey, actor=actor, before=before, after=audit.snapshot(survey, SETTINGS)
    )
    return survey


@transaction.atomic
def save_structure(survey: Survey, *, actor, data) -> Survey:
    """Replace the structure. Once open: the current version is changed in place while it has no response;
    after responses exist the change becomes a new version (codes keep their kind across versions)."""
    _require(actor)
    survey = _locked(survey)
    if survey.status == Status.CLOSED:
        raise Refused(_("问卷已结束，不能修改"))
    new = structure.normalize(data)
    for version in survey.versions.all():
        structure.check_codes_kept(version.structure, new)
    before = {"version": survey.version, "items": len(structure.items(survey.structure))}
    survey.structure = new
    survey.slots = structure.assign_slots(survey.slots, new)
    if survey.status == Status.OPEN:
        if not structure.items(new):
            raise ValidationError({"structure": _("问卷至少需要一个题目")})
        if Response.objects.filter(survey=survey, version=survey.version).exists():
            survey.version += 1
            SurveyVersion.objects.create(survey=survey, number=survey.version, structure=new)
        else:
            SurveyVersion.objects.filter(survey=survey, number=survey.version).update(structure=new)
    survey.save(update_fields=["structure", "slots", "version", "updated_at"])
    audit.record("surveys.save_structure", obj=survey, actor=actor, before=before,
                 after={"version": survey.version, "items": len(structure.items(new))})  # fmt: skip
    return survey


def add_question(survey: Survey, *, actor, section: str, question: dict) -> Survey:
    """Append a question to a section (a new section when the title is new): the builder page's step."""
    current = structure.normalize(survey.structure)
    sections = current["sections"]
    title = (section or "").strip() or (sections[-1]["title"] if sections else _("第 1 部分"))
    target = next((s for s in sections if s["title"] == title), None)
    if target is None:
        target = {"title": title, "questions": []}
        sections.append(target)
    target["questions"].append(question)
    return save_structure(survey, actor=actor, data=current)


def remove_question(survey: Survey, *, actor, code: str) -> Survey:
    current = structure.normalize(survey.structure)
    for section in current["sections"]:
        section["questions"] = [q for q in section["questions"] if q["code"] != code]
    current["sections"] = [s for s in current["sections"] if s["questions"]]
    return save_structure(survey, actor=actor, data=current)


def _target_ids(survey: Survey) -> list[int]:
    frame = read_frame(survey.org_path)
    if frame.is_empty():
        return []
    return rules.evaluate_all({0: survey.rule or {"op": "all", "items": []}}, frame)[0].to_list()


@transaction.atomic
def open_survey(survey: Survey, *, actor) -> Survey:
    """Freeze version 1, choose the target set with the shared rule engine (or make the open link) and notify."""
    _require(actor)
    survey = _locked(survey)
    if survey.status != Status.DRAFT:
        raise Refused(_("只有草稿状态的问卷可以发布"))
    if not structure.items(survey.structure):
        raise ValidationError({"structure": _("问卷至少需要一个题目")})
    survey.status, survey.opened_on, survey.version = Status.OPEN, today(), 1
    SurveyVersion.objects.create(survey=survey, number=1, structure=survey.structure)
    targets = 0
    if survey.audience == Audience.LINK:
        survey.link_token = secrets.token_urlsafe(16)
    else:
        from qinqing.registry.models import Enterprise

        ids = _target_ids(survey)
        now = timezone.now()
        for start in range(0, len(ids), CHUNK):
            chunk = Enterprise.objects.filter(pk__in=ids[start : start + CHUNK]).values_list("pk", "region_code")
            SurveyTarget.objects.bulk_create(
                [SurveyTarget(survey=survey, enterprise_id=pk, org_path=survey.org_path, region_code=region,
                              notified_at=now) for pk, region in chunk],
                batch_size=1000,
            )  # fmt: skip
            _notify(survey, ids[start : start + CHUNK], reminder=False)
        targets = len(ids)
    survey.save()
    audit.record("surveys.open_survey", obj=survey, actor=actor, after={"targets": targets, "version": 1})
    return survey


@transaction.atomic
def close_survey(survey: Survey, *, actor) -> Survey:
    _require(actor)
    survey = _locked(survey)
    if survey.status != Status.OPEN:
        raise Refused(_("只有进行中的问卷可以结束"))
    survey.status, survey.closed_on = Status.CLOSED, today()
    survey.save(update_fields=["status", "closed_on", "updated_at"])
    audit.record("surveys.close_survey", obj=survey, actor=actor, after={"status": survey.status})
    return survey


def _notify(survey: Survey, enterprise_ids: list[int], *, reminder: bool) -> None:
    from qinqing.accounts.models import User
    from qinqing.notifications.actions import notify

    recipients = User.objects.filter(enterprise_id__in=enterprise_ids, is_active=True)
    title = _("请填写问卷：%(title)s") if not reminder else _("提醒：问卷“%(title)s”尚未填写")
    stamp = f"survey-{survey.pk}" if not reminder else f"survey-{survey.pk}-remind-{timezone.now():%Y%m%d%H%M}"
    notify(recipients, kind="surveys.invitation", title=title % {"title": survey.title},
           body=survey.description[:500], url=reverse("surveys:answer", args=[survey.pk]), key=stamp)  # fmt: skip


def respondent_ids(survey: Survey, enterprise_ids: list[int]) -> set[int]:
    """Which of the enterprises have answered (named responses, or receipts for an anonymous survey)."""
    if not survey.anonymous:
        return set(
            Response.objects.filter(survey=survey, enterprise_id__in=enterprise_ids).values_list(
                "enterprise_id", flat=True
            )
        )
    tokens = anonymity.receipt_candidates(survey.pk, enterprise_ids)
    stored = set(
        Receipt.objects.filter(survey=survey, token__in=[t for ts in tokens.values() for t in ts]).values_list(
            "token", flat=True
        )
    )
    return {e for e, ts in tokens.items() if ts & stored}


@transaction.atomic
def remind(survey: Survey, *, actor) -> int:
    """Notify the targets that have not answered yet; the number reminded."""
    _require(actor)
    survey = _locked(survey)
    if survey.status != Status.OPEN:
        raise Refused(_("只有进行中的问卷可以催填"))
    targets = list(SurveyTarget.objects.filter(survey=survey).values_list("enterprise_id", flat=True))
    answered = set()
    for start in range(0, len(targets), CHUNK):
        answered |= respondent_ids(survey, targets[start : start + CHUNK])
    pending = [e for e in targets if e not in answered]
    for start in range(0, len(pending), CHUNK):
        _notify(survey, pending[start : start + CHUNK], reminder=True)
    now = timezone.now()
    for start in range(0, len(pending), CHUNK):
        SurveyTarget.objects.filter(survey=survey, enterprise_id__in=pending[start : start + CHUNK]).update(
            reminded_at=now, reminders=F("reminders") + 1
        )
    audit.record("surveys.remind", obj=survey, actor=actor, after={"reminded": len(pending)})
    return len(pending)


def attributes(enterprise) -> dict:
    """The respondent attributes a response keeps for cross-tabs (copied at answer time)."""
    industry = rules.normalize_industry(enterprise.industry_code) or ""
    return {
        "region_code": enterprise.region_code or "",
        "industry": industry[:1],
        "size_class": enterprise.size_class or "",
        "is_member": standing(enterprise.pk).member,
    }


def own_response(survey: Survey, enterprise_id: int) -> Response | None:
    """The enterprise's editable response (anonymous surveys: found by the edit key only)."""
    qs = Response.objects.filter(survey=survey)
    if survey.anonymous:
        return qs.filter(edit_key__in=anonymity.edit_candidates(survey.pk, enterprise_id)).first()
    return qs.filter(enterprise_id=enterprise_id).order_by("-submitted_on").first()


def version_items(survey: Survey):
    return structure.items(survey.structure)


def answer_values(response: Response, kinds: dict[str, str]) -> list[AnswerValue]:
    """The response's answers kept column-wise (multiple choice, ranking, number, text), unsaved."""
    return [AnswerValue(survey_id=response.survey_id, response=response, item=item, position=position,
                        option=option, number=number, text=text)
            for item, position, option, number, text in values(kinds, response.answers)]  # fmt: skip


def _store_values(response: Response, items) -> None:
    """Replace the response's column-wise values (an edited answer drops its old ones)."""
    AnswerValue.objects.filter(response=response).delete()
    AnswerValue.objects.bulk_create(answer_values(response, {i.code: i.kind for i in items}), batch_size=500)


@transaction.atomic
def submit_response(survey: Survey, *, actor, enterprise, raw: dict, source: str = Source.ONLINE) -> Response:
    """Answer (or, until the survey closes, change the answer to) the current version of a survey."""
    survey = _locked(survey)
    if survey.status != Status.OPEN:
        raise Refused(_("问卷未在进行中，不能填写或修改"))
    if survey.closes_on and survey.closes_on < today():
        raise Refused(_("问卷已过截止日期"))
    item_list = version_items(survey)
    answers, errors = clean(item_list, raw)
    if errors:
        raise ValidationError(errors)
    response = None if survey.multiple else own_response(survey, enterprise.pk)
    created = response is None
    if created:
        response = Response(survey=survey, org_path=survey.org_path)
    response.version = survey.version
    response.answers = answers
    response.codes = encode(survey.slots, answers)
    response.source = source
    for name, value in attributes(enterprise).items():
        setattr(response, name, value)
    response.targeted = SurveyTarget.objects.filter(survey=survey, enterprise_id=enterprise.pk).exists()
    if survey.anonymous:
        if not survey.multiple:
            response.edit_key = anonymity.edit_key(survey.pk, enterprise.pk)
        response.save()
        _store_values(response, item_list)
        Receipt.objects.get_or_create(token=anonymity.receipt(survey.pk, enterprise.pk), defaults={"survey": survey})
        audit.record("surveys.answer", obj=survey, actor=actor, after={"anonymous": True, "source": source},
                     message=_("匿名问卷填写（不记录答卷）"))  # fmt: skip
        return response
    response.enterprise = enterprise
    response.submitted_by = actor if getattr(actor, "pk", None) else None
    response.submitted_on = today()
    response.save()
    _store_values(response, item_list)
    audit.record("surveys.answer", obj=response, actor=actor, object_repr=f"{survey.title} / {enterprise.name}"[:255],
                 after={"answers": answers, "created": created, "source": source})  # fmt: skip
    return response


def public_response(survey: Survey, browser: str) -> Response | None:
    """The response this browser gave through the public link (one per browser unless several are allowed)."""
    if not browser or survey.multiple:
        return None
    keys = anonymity.browser_candidates(survey.pk, browser)
    return Response.objects.filter(survey=survey, edit_key__in=keys).first()


@transaction.atomic
def submit_public_response(survey: Survey, *, browser: str, raw: dict) -> Response:
    """A signed-out answer through the public link of an anonymous open-link survey: no enterprise, no user, no
    date, no attributes; one per browser (the browser's random token, kept only as a keyed hash) and editable
    from that browser until the survey closes, unless the survey allows several answers."""
    survey = _locked(survey)
    if survey.audience != Audience.LINK or not survey.anonymous:
        raise Refused(_("该问卷需要企业用户登录后填写"))
    if survey.status != Status.OPEN:
        raise Refused(_("问卷未在进行中，不能填写或修改"))
    if survey.closes_on and survey.closes_on < today():
        raise Refused(_("问卷已过截止日期"))
    if not browser:
        raise Refused(_("请允许浏览器保存 Cookie 后再填写"))
    item_list = version_items(survey)
    answers, errors = clean(item_list, raw)
    if errors:
        raise ValidationError(errors)
    response = public_response(survey, browser)
    if response is None:
        response = Response(survey=survey, org_path=survey.org_path)
        if not survey.multiple:
            response.edit_key = anonymity.browser_key(survey.pk, browser)
    response.version, response.answers, response.source = survey.version, answers, Source.ONLINE
    response.codes = encode(survey.slots, answers)
    response.save()
    _store_values(response, item_list)
    audit.record("surveys.answer", obj=survey, actor=None, after={"anonymous": True, "public": True},
                 message=_("匿名问卷公开链接填写（不记录答卷）"))  # fmt: skip
    return response
