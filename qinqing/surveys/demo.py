"""Demo surveys: the city's 万家民营企业评营商环境 (anonymous, by open link, closed; a quarter of the city's firms
answered, each county with its own level so the regions rank differently) and the demo enterprise's county's member
satisfaction survey (named, open, the demo enterprise has not answered yet). Bulk writes only; deterministic
for ctx.rng."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from qinqing.core.crypto import INDEX_HEX, provider
from qinqing.registry.membership import active_q
from qinqing.registry.models import Enterprise, Member

from . import structure, template
from .actions import answer_values
from .answers import encode
from .choices import Audience, Source, Status
from .models import AnswerValue, Receipt, Response, Survey, SurveyTarget, SurveyVersion


def seed(ctx) -> None:
    firms = list(
        Enterprise.objects.order_by("pk").values_list("pk", "org_path", "region_code", "industry_code", "size_class")
    )
    if not firms or ctx.city is None:
        ctx.log("surveys: no enterprises, skipped")
        return
    today = timezone.localdate()
    members = set(
        Member.objects.filter(active_q(today), organization__kind="fic", enterprise__isnull=False).values_list(
            "enterprise_id", flat=True
        )
    )
    with transaction.atomic():
        _wanjia(ctx, firms, members, today)
        _satisfaction(ctx, firms, members, today)


def _survey(ctx, owner, title, build, *, template_key, anonymous, status, opened, closes, closed=None, link=False):
    body = structure.normalize(build())
    staff = ctx.users.get("city_staff") or ctx.users.get("county_staff")
    survey = Survey.objects.create(
        fic=owner, org_path=owner.path, title=title, template=template_key, structure=body,
        slots=structure.assign_slots({}, body), version=1, status=status, anonymous=anonymous,
        audience=Audience.LINK if link else Audience.RULE, rule={"op": "all", "items": []}, opened_on=opened,
        closes_on=closes, closed_on=closed, created_by=staff,
        link_token=f"{ctx.rng.getrandbits(96):024x}" if link else "",
    )  # fmt: skip
    SurveyVersion.objects.create(survey=survey, number=1, structure=body)
    return survey


def _industry(code: str) -> str:
    from qinqing.eligibility.rules import normalize_industry

    return (normalize_industry(code) or "")[:1]


def _answer(rng, items, level: float) -> dict:
    out = {}
    for item in items:
        if item.kind == "scale":
            if rng.random() < 0.05:
                out[item.code] = 9  # 不了解
            else:
                out[item.code] = max(1, min(5, round(rng.gauss(level, 0.9))))
    return out


def _targets_and_responses(ctx, survey, firms, members, share, level_of, extra=None, skip=()):
    rng = ctx.rng
    items = structure.items(survey.structure)
    now = timezone.now()
    targets, responses, respondents = [], [], []
    link = survey.audience == Audience.LINK
    for pk, org_path, region, industry, size in firms:
        if not org_path.startswith(survey.org_path):
            continue
        if not link:  # an open link has no target set: whoever holds the link answers
            targets.append(SurveyTarget(survey=survey, enterprise_id=pk, org_path=survey.org_path,
                                        region_code=region, notified_at=now))  # fmt: skip
        if pk in skip or rng.random() >= share:
            continue
        answers = _answer(rng, items, level_of(region))
        if extra:
            answers.update(extra(rng))
        response = Response(
            survey=survey, version=1, org_path=survey.org_path, region_code=region, industry=_industry(industry),
            size_class=size, is_member=pk in members, targeted=not link, answers=answers,
            codes=encode(survey.slots, answers),
            source=Source.IMPORT if rng.random() < 0.15 else Source.ONLINE,
        )  # fmt: skip
        if not survey.anonymous:
            response.enterprise_id = pk
            response.submitted_on = survey.opened_on + dt.timedelta(days=rng.randint(0, 20))
        responses.append(response)
        respondents.append(pk)
    SurveyTarget.objects.bulk_create(targets, batch_size=2000)
    if survey.anonymous:
        edit = _hashes("edit", survey.pk, respondents)
        for response, key in zip(responses, edit, strict=True):
            response.edit_key = key
        rng.shuffle(responses)  # no order to line up with the receipts
        receipts = [Receipt(token=t, survey=survey) for t in _hashes("receipt", survey.pk, respondents)]
        Receipt.objects.bulk_create(sorted(receipts, key=lambda r: r.token), batch_size=2000)
    Response.objects.bulk_create(responses, batch_size=1000)
    kinds = {i.code: i.kind for i in items}
    AnswerValue.objects.bulk_create([v for r in responses for v in answer_values(r, kinds)], batch_size=2000)
    return len(targets) or len(firms), len(responses)


def _hashes(prefix: str, survey_id: int, enterprise_ids: list[int]) -> list[str]:
    if not enterprise_ids:
        return []
    (digests,) = provider().blind_indexes_many([f"survey-{prefix}:{survey_id}:{e}".encode() for e in enterprise_ids])
    return [d.hex()[:INDEX_HEX] for d in digests]


def _wanjia(ctx, firms, members, today) -> None:
    opened = today - dt.timedelta(days=75)
    survey = _survey(ctx, ctx.city, f"{today.year} 年万家民营企业评营商环境（本市）", template.structure,
                     template_key=template.KEY, anonymous=True, status=Status.CLOSED, opened=opened,
                     closes=opened + dt.timedelta(days=30), closed=opened + dt.timedelta(days=31),
                     link=True)  # fmt: skip
    regions = sorted({r for _pk, _path, r, _i, _s in firms if r})
    levels = {r: 3.2 + ctx.rng.random() * 1.1 for r in regions}
    best = ["浙江省", "江苏省", "广东省", "上海市", "本市"]

    def extra(rng):
        out = {"P1": rng.sample([1, 2, 3, 4, 5], 3)}
        if rng.random() < 0.2:
            out["P2"] = rng.choice(best) + "：审批快、服务好"
        return out

    targets, answered = _targets_and_responses(ctx, survey, firms, members, 0.25, lambda r: levels.get(r, 3.6), extra)
    ctx.log(f"surveys: 万家营商环境 {answered}/{targets}")


def _satisfaction(ctx, firms, members, today) -> None:
    user = ctx.users.get("enterprise")
    owner = user.enterprise.fic if user is not None and user.enterprise_id else ctx.counties[0]
    opened = today - dt.timedelta(days=10)
    survey = _survey(ctx, owner, f"{today.year} 年会员满意度调查", template.satisfaction_structure,
                     template_key="satisfaction", anonymous=False, status=Status.OPEN, opened=opened,
                     closes=today + dt.timedelta(days=20))  # fmt: skip

    def extra(rng):
        out = {"S1": rng.choice([1, 2, 2, 3, 3, 4])}
        if out["S1"] == 4:
            out["S4"] = rng.choice(["时间冲突", "不了解活动安排", "距离较远"])
        if rng.random() < 0.5:
            out["S3"] = sorted(rng.sample([1, 2, 3, 4, 5], rng.randint(1, 3)))
        out["S6"] = rng.randint(0, 12)
        return out

    skip = {user.enterprise_id} if user is not None else set()
    targets, answered = _targets_and_responses(ctx, survey, firms, members, 0.4, lambda r: 3.9, extra, skip)
    ctx.log(f"surveys: 会员满意度 {answered}/{targets}")
