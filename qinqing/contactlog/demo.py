"""Demo 亲清日志: a year of officials' contacts with entrepreneurs in each county (about 200 a county at the
county profile's size: visits, forums, research, signings and events), mostly clean; some with meals at the
reception standard and gifts returned; a few that touch the negative list (a banquet paid by the firm, a gift
kept, a private club, an enterprise's car), most of them reviewed by the city's 纪检监督 and the latest waiting
for the demo ``reviewer``. Matters raised are linked to appeals the appeals demo registered for the same firm.
Bulk writes only; deterministic for ctx.rng."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from qinqing.registry.models import Enterprise

from . import rules
from .actions import active_rules, facts_of
from .choices import Conclusion, Organiser, Payer, Purpose, ReviewStatus, Vehicle, Venue
from .models import ContactEntry, Gift, Matter

PURPOSES = [(Purpose.SERVICE, 0.34), (Purpose.RESEARCH, 0.24), (Purpose.FORUM, 0.2), (Purpose.EVENT, 0.1),
            (Purpose.SIGNING, 0.06), (Purpose.OTHER, 0.06)]  # fmt: skip
PURPOSE_TEXT = {
    Purpose.SERVICE: [
        "上门了解企业用工需求",
        "协调企业用电增容",
        "宣讲惠企政策",
        "帮助企业申报专精特新",
        "了解企业融资需求",
    ],
    Purpose.RESEARCH: ["民营经济发展情况调研", "营商环境专题调研", "外贸企业订单情况调研", "重点产业链调研"],
    Purpose.FORUM: ["民营企业家座谈会", "政企恳谈会", "商会会长座谈会", "青年企业家座谈"],
    Purpose.EVENT: ["企业新厂区投产仪式", "商会年会", "民营企业招聘会"],
    Purpose.SIGNING: ["招商引资项目签约", "万企兴万村项目签约", "银企合作签约"],
    Purpose.OTHER: ["陪同上级调研", "企业来访接待"],
}
MATTERS = ["用电增容审批时间长", "招工难，缺少熟练技工", "厂区道路破损影响运输", "希望简化环评手续", "融资担保费用偏高",
           "用地指标紧张", "出口退税到账慢", "希望增加职业技能培训", "账款被拖欠", "物流成本高"]  # fmt: skip
ENTREPRENEURS = ["王建国（董事长）", "李秀英（总经理）", "张伟（董事长）", "刘洋（副总经理）", "陈静（财务总监）",
                 "杨帆（总经理）", "赵磊（董事长）", "黄敏（办公室主任）"]  # fmt: skip
OFFICIALS = ["党组书记", "副主席", "经济服务部部长", "会员部工作人员", "办公室主任"]
# A flagged contact's story: the facts that made it so, and the conclusion the reviewer reached.
FLAGGED = [
    ({"had_meal": True, "meal_standard": Decimal("380"), "meal_paid_by": Payer.ENTERPRISE, "venue": Venue.RESTAURANT},
     [], Conclusion.CRITICISM, "接受企业安排的宴请，已责令本人退赔餐费并作检讨"),
    ({}, [("购物卡", Decimal("1000"), False)], Conclusion.REMINDER, "收受购物卡未及时退还，已提醒谈话，购物卡已退回"),
    ({"venue": Venue.PRIVATE_CLUB}, [], Conclusion.REFERRED, "在私人会所与企业负责人接触，移交派驻纪检监察组处理"),
    ({"vehicle": Vehicle.ENTERPRISE}, [], Conclusion.NO_ISSUE, "暴雨天气企业派车接送，事后已按规定支付费用，无问题"),
    ({"costs_paid_by": Payer.ENTERPRISE}, [], Conclusion.REMINDER, "考察差旅费由企业承担，已提醒谈话并由单位报销退还"),
    ({"had_meal": True, "meal_standard": Decimal("160"), "meal_paid_by": Payer.OWN_UNIT}, [], Conclusion.NO_ISSUE,
     "工作餐略超标准，经核实为外地客商接待，按规定审批，无问题"),
]  # fmt: skip


def _pick(rng, weights):
    r, acc = rng.random(), 0.0
    for value, w in weights:
        acc += w
        if r < acc:
            return value
    return weights[-1][0]


def seed(ctx) -> None:
    officials = [u for name in ("county_staff", "city_staff", "leader", "liaison") if (u := ctx.users.get(name))]
    reviewer = ctx.users.get("reviewer")
    if not officials or not ctx.counties:
        ctx.log("contactlog: no officials or counties, skipped")
        return
    with transaction.atomic():
        _seed(ctx, officials, reviewer)


def _seed(ctx, officials, reviewer) -> None:
    from qinqing.appeals.models import Appeal

    rng = ctx.rng
    today = timezone.localdate()
    items = active_rules()
    n_total = max(12, round(1000 * ctx.scale))  # about 200 a county
    enterprises = list(Enterprise.objects.order_by("pk").values_list("pk", "name", "org_path")[:5000])
    if not enterprises:
        ctx.log("contactlog: no enterprises, skipped")
        return
    appeals = list(Appeal.objects.filter(channel__in=["visit", "meeting"]).order_by("pk")
                   .values_list("pk", "enterprise_id", "title")[:400])  # fmt: skip
    candidates_of = {u.pk: [e for e in enterprises if e[2].startswith(_home(u))] or enterprises for u in officials}
    entries, plans = [], []
    n_flagged = max(4, round(n_total * 0.04))
    flagged_at = set(rng.sample(range(n_total), min(n_flagged, n_total)))
    for i in range(n_total):
        official = officials[0] if rng.random() < 0.55 else rng.choice(officials)
        day = today - dt.timedelta(days=int((n_total - i) * 364 / n_total) + rng.randint(0, 2))
        purpose = _pick(rng, PURPOSES)
        candidates = candidates_of[official.pk]
        participants = rng.sample(candidates, min(len(candidates), rng.choice([1, 1, 1, 2, 3])))
        facts = {"had_meal": False, "meal_standard": None, "meal_paid_by": "", "vehicle": Vehicle.OFFICIAL,
                 "venue": Venue.ENTERPRISE if purpose in (Purpose.SERVICE, Purpose.RESEARCH) else Venue.OFFICE,
                 "costs_paid_by": Payer.NONE, "enterprise_celebration": False, "involves_bidding": False}  # fmt: skip
        gifts = []
        story = None
        if i in flagged_at:
            story = FLAGGED[len([j for j in flagged_at if j < i]) % len(FLAGGED)]
            facts.update(story[0])
            gifts = [{"description": d, "value": v, "returned": r} for d, v, r in story[1]]
        elif rng.random() < 0.12:
            facts.update(
                had_meal=True, meal_standard=Decimal(rng.choice([30, 40, 60, 80])), meal_paid_by=Payer.OWN_UNIT
            )
        elif rng.random() < 0.05:
            gifts = [{"description": rng.choice(["企业产品样品", "茶叶", "纪念品"]), "returned": True,
                      "value": Decimal(rng.choice([50, 120, 300]))}]  # fmt: skip
        found = rules.flags(facts_of(facts, gifts), items)
        entries.append(ContactEntry(
            logged_by=official, org=official.org, org_path=official.org.path, date=day, place=_place(rng, facts,
            participants), purpose=purpose, purpose_text=rng.choice(PURPOSE_TEXT[purpose]),
            organiser=Organiser.OWN_UNIT if rng.random() < 0.7 else Organiser.CHAMBER,
            organiser_name="" if rng.random() < 0.7 else "县工商联所属商会", officials=rng.choice(OFFICIALS),
            entrepreneurs="、".join(rng.sample(ENTREPRENEURS, len(participants))), **facts,
            flags=[f.as_dict() for f in found], is_flagged=bool(found),
            review_status=ReviewStatus.PENDING if found else ReviewStatus.NONE,
        ))  # fmt: skip
        plans.append((participants, gifts, story))
    # The latest flagged contacts wait for the reviewer; the earlier ones are concluded.
    flagged_rows = [i for i, e in enumerate(entries) if e.is_flagged]
    waiting = set(flagged_rows[-3:])
    for i in flagged_rows:
        story = plans[i][2]
        if i in waiting or reviewer is None or story is None:
            continue
        entry = entries[i]
        entry.review_status, entry.conclusion, entry.conclusion_text = ReviewStatus.CONCLUDED, story[2], story[3]
        entry.reviewed_by, entry.reviewed_on = reviewer, min(today, entry.date + dt.timedelta(days=rng.randint(3, 15)))
    ContactEntry.objects.bulk_create(entries, batch_size=1000)
    through = ContactEntry.enterprises.through
    through.objects.bulk_create([through(contactentry_id=e.pk, enterprise_id=p[0]) for e, (ps, _g, _s) in
                                 zip(entries, plans, strict=True) for p in ps], batch_size=2000)  # fmt: skip
    Gift.objects.bulk_create([Gift(entry=e, **g) for e, (_p, gs, _s) in zip(entries, plans, strict=True) for g in gs])
    matters = []
    appeal_by_enterprise = {}
    for pk, enterprise_id, title in appeals:
        appeal_by_enterprise.setdefault(enterprise_id, (pk, title))
    for entry, (participants, _gifts, _story) in zip(entries, plans, strict=True):
        if rng.random() > 0.3:
            continue
        enterprise_id = participants[0][0]
        linked = appeal_by_enterprise.pop(enterprise_id, None) if rng.random() < 0.6 else None
        matters.append(Matter(
            entry=entry, enterprise_id=enterprise_id, text=linked[1][:500] if linked else rng.choice(MATTERS),
            appeal_id=linked[0] if linked else None, appealed_on=entry.date if linked else None,
        ))  # fmt: skip
    Matter.objects.bulk_create(matters, batch_size=1000)
    ctx.log(
        f"contactlog: {len(entries)} entries, {len(flagged_rows)} flagged ({len(waiting)} waiting), "
        f"{len(matters)} matters"
    )


def _home(user) -> str:
    from .actions import home_fic_path

    return home_fic_path(user.org)


def _place(rng, facts, participants) -> str:
    if facts["venue"] == Venue.PRIVATE_CLUB:
        return "某私人会所"
    if facts["venue"] == Venue.RESTAURANT:
        return "县城某酒店"
    if facts["venue"] == Venue.ENTERPRISE:
        return f"{participants[0][1]}厂区"
    return rng.choice(["县工商联会议室", "县政务服务中心", "市工商联会议室"])
