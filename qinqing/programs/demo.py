"""Demo programs: a year of 万企兴万村 shaped like 岳阳's 2020 report ("全市组织1150家民营企业帮扶1093个贫困村。
帮扶项目2303个，帮扶资金3.8亿元") scaled to the profile (ctx.scale), with last year's funds too; donations whose
cash and in-kind totals look like its 捐款2850.64万元 / 物资2120.39万元 with a few of 100 万元 and more (some
reported); and a listing pipeline like a district's (20 上市后备 firms, 4 金种子 and 3 银种子 newly named, one listed).
The demo enterprise and the secretary's chamber each have a pairing. Bulk writes only; deterministic for ctx.rng."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from qinqing.orgs import regions
from qinqing.orgs.models import Organization
from qinqing.registry.models import Enterprise

from .choices import STAGE_ORDER, Board, Criterion, DonationForm, ListingStage, PartyKind, ProjectKind, ServiceKind
from .models import Donation, ListingCandidate, ListingService, Pairing, Project, ProjectYear, StageStep

TOWNS = ["荣家湾镇", "新墙镇", "筻口镇", "公田镇", "月田镇", "张谷英镇", "杨林街镇", "黄沙街镇", "长湖乡", "毛田镇",
         "步仙镇", "中洲乡"]  # fmt: skip
VILLAGES = ["杨林", "清水", "双港", "新华", "联合", "长湖", "荷塘", "龙湾", "枫树", "黄岸", "白石", "桃花", "竹山",
            "凤凰", "金星", "红旗", "团结", "和平", "大塘", "麻塘", "青山", "石桥", "沙港", "松柏"]  # fmt: skip
PROJECTS = {
    ProjectKind.INDUSTRY: ["油茶基地", "稻虾共养基地", "蔬菜大棚", "中药材种植", "农产品加工厂", "光伏电站"],
    ProjectKind.EMPLOYMENT: ["就业帮扶车间", "技能培训班", "劳务合作"],
    ProjectKind.CONSUMPTION: ["农产品直采", "电商助农", "消费帮扶专柜"],
    ProjectKind.CHARITY: ["村小助学", "道路硬化", "饮水安全", "敬老院改造"],
    ProjectKind.OTHER: ["村级集体经济入股", "人居环境整治"],
}
KINDS = [(ProjectKind.INDUSTRY, 0.45), (ProjectKind.EMPLOYMENT, 0.15), (ProjectKind.CONSUMPTION, 0.15),
         (ProjectKind.CHARITY, 0.2), (ProjectKind.OTHER, 0.05)]  # fmt: skip
DONATION_AMOUNTS = [(1, 0.22), (2, 0.2), (5, 0.2), (10, 0.15), (20, 0.1), (50, 0.08), (100, 0.03), (200, 0.015),
                    (500, 0.005)]  # fmt: skip
RECIPIENTS = [("县慈善总会", "助学助困"), ("县红十字会", "防汛救灾"), ("县教育基金会", "奖教奖学"),
              ("镇人民政府", "乡村道路建设"), ("县人民医院", "医疗设备"), ("光彩事业促进会", "光彩事业"),
              ("村民委员会", "村级公益事业")]  # fmt: skip
ITEMS = ["防疫物资（口罩、消毒液）", "大米、食用油", "校服及学习用品", "防汛沙袋及救生衣", "图书和电脑"]
SERVICES = {ServiceKind.POLICY: "讲解上市奖补政策", ServiceKind.FINANCING: "对接产业基金和银行",
            ServiceKind.INTERMEDIARY: "推荐券商和会计师事务所", ServiceKind.COORDINATION: "协调解决土地和环评手续",
            ServiceKind.TRAINING: "参加上市培训班", ServiceKind.OTHER: "组织参加资本大会"}  # fmt: skip


class Ent:
    """An enterprise as the seeder needs it (id and path), without loading the model."""

    __slots__ = ("org_path", "pk")

    def __init__(self, pk, org_path):
        self.pk, self.org_path = pk, org_path


def _pick(rng, weights):
    r, acc = rng.random(), 0.0
    for value, w in weights:
        acc += w
        if r < acc:
            return value
    return weights[-1][0]


def _money(value: float) -> Decimal:
    return Decimal(str(round(value, 2)))


def seed(ctx) -> None:
    # Plain rows, not model instances: the city profile holds 18,000 enterprises.
    enterprises = [Ent(pk, path) for pk, path in Enterprise.objects.order_by("pk").values_list("pk", "org_path")]
    if not enterprises or not ctx.counties:
        ctx.log("programs: no enterprises or counties, skipped")
        return
    with transaction.atomic():
        _pairings(ctx, enterprises)
        _donations(ctx, enterprises)
        _pipeline(ctx, enterprises)


def _county_codes(ctx) -> list[tuple[str, str]]:
    out = []
    for county in ctx.counties:
        region = regions.region_of(county.region_code or "")
        if region is not None and region.level == regions.COUNTY:
            out.append((region.code, regions.full_name(region.code)[:60]))
    return out or [("430621", regions.full_name("430621"))]


def _pairings(ctx, enterprises) -> None:
    rng, today = ctx.rng, timezone.localdate()
    counties = _county_codes(ctx)
    n = max(8, round(1150 * ctx.scale))
    chambers = list(Organization.objects.filter(kind="chamber").order_by("pk").only("pk", "path"))
    demo_ent = getattr(ctx.users.get("enterprise"), "enterprise_id", None)
    parties = []
    if demo_ent:
        parties.append(("e", next((e for e in enterprises if e.pk == demo_ent), enterprises[0])))
    if ctx.chamber is not None:
        parties.append(("c", ctx.chamber))
    picked = rng.sample(enterprises, min(len(enterprises), n))
    for i in range(n - len(parties)):
        if chambers and rng.random() < 0.08:
            parties.append(("c", rng.choice(chambers)))
        else:
            parties.append(("e", picked[i % len(picked)]))
    pairings, seen = [], set()
    for kind, party in parties:
        code, county_name = rng.choice(counties)
        village = f"{rng.choice(TOWNS)}{rng.choice(VILLAGES)}村"
        key = (kind, party.pk, code + village)
        if key in seen:
            continue
        seen.add(key)
        started = today - dt.timedelta(days=rng.randint(30, 5 * 365))
        pairings.append(Pairing(
            party_kind=PartyKind.ENTERPRISE if kind == "e" else PartyKind.CHAMBER,
            enterprise_id=party.pk if kind == "e" else None, chamber=party if kind == "c" else None,
            org_path=party.org_path if kind == "e" else party.path, county_code=code, county_name=county_name,
            village=village, village_key=code + village, started_on=started, contact="",
            note="万企兴万村结对帮扶",
        ))  # fmt: skip
    Pairing.objects.bulk_create(pairings, batch_size=1000)  # ids are set (RETURNING on PostgreSQL and SQLite)
    projects = []
    for p in pairings:
        for _i in range(1 + (rng.random() < 0.7) + (rng.random() < 0.3)):  # ~2 per pairing, like 2303 / 1150
            kind = _pick(rng, KINDS)
            started = p.started_on + dt.timedelta(days=rng.randint(0, max(0, (today - p.started_on).days)))
            projects.append(Project(pairing=p, org_path=p.org_path, kind=kind, started_on=started,
                                    name=f"{p.village}{rng.choice(PROJECTS[kind])}"))  # fmt: skip
    Project.objects.bulk_create(projects, batch_size=1000)
    years = []
    for project in projects:
        for year in (today.year - 1, today.year):
            if project.started_on.year > year:
                continue
            committed = rng.uniform(3, 30)  # mean ~16.5 万元: 3.8 亿元 over 2303 projects
            spent = committed * (rng.uniform(0.6, 1.0) if year < today.year else rng.uniform(0.2, 0.9))
            employed = rng.randint(3, 40) if project.kind in (ProjectKind.INDUSTRY, ProjectKind.EMPLOYMENT) else \
                rng.randint(0, 5)  # fmt: skip
            years.append(ProjectYear(project=project, org_path=project.org_path, year=year,
                                     year_start=dt.date(year, 1, 1), committed=_money(committed),
                                     spent=_money(spent), employed=employed))  # fmt: skip
    ProjectYear.objects.bulk_create(years, batch_size=2000)
    ctx.log(f"programs: {len(pairings)} pairings, {len(projects)} projects, {len(years)} project-years")


def _donations(ctx, enterprises) -> None:
    rng, today = ctx.rng, timezone.localdate()
    n = max(12, round(250 * ctx.scale))
    demo_ent = getattr(ctx.users.get("enterprise"), "enterprise_id", None)
    by_pk = {e.pk: e for e in enterprises}
    rows, serial = [], {}
    for i in range(n):
        enterprise = by_pk.get(demo_ent) if i < 2 and demo_ent in by_pk else rng.choice(enterprises)
        amount = _pick(rng, DONATION_AMOUNTS) * rng.uniform(0.8, 1.5)
        if i in (2, 3):  # always a few of 100 万元 and more
            amount = rng.uniform(100, 300)
        form = DonationForm.IN_KIND if rng.random() < 0.42 else DonationForm.CASH
        on = today - dt.timedelta(days=rng.randint(0, 364))
        serial[on.year] = serial.get(on.year, 0) + 1
        recipient, purpose = rng.choice(RECIPIENTS)
        value = _money(amount)
        major = value >= Decimal("100")
        rows.append(Donation(
            number=f"GC{on.year}{serial[on.year]:05d}", enterprise_id=enterprise.pk, org_path=enterprise.org_path,
            form=form, amount=value, items=rng.choice(ITEMS) if form == DonationForm.IN_KIND else "",
            recipient=recipient, purpose=purpose, donated_on=on, major=major,
            reported_on=on + dt.timedelta(days=rng.randint(1, 10)) if major and rng.random() < 0.5 and
            on + dt.timedelta(days=10) <= today else None,
        ))  # fmt: skip
    Donation.objects.bulk_create(rows, batch_size=1000)
    ctx.log(f"programs: {len(rows)} donations, {sum(r.major for r in rows)} of 100 万元 and more")


def _pipeline(ctx, enterprises) -> None:
    rng, today = ctx.rng, timezone.localdate()
    officer = ctx.users.get("county_staff") or ctx.users.get("city_staff")
    city_officer = ctx.users.get("city_staff") or officer
    n = min(len(enterprises), max(6, round(40 * ctx.scale)))
    chosen = rng.sample(enterprises, n)
    stage_weights = [(0, 0.35), (1, 0.25), (2, 0.2), (3, 0.12), (4, 0.08)]
    candidates, plans = [], []
    for i, enterprise in enumerate(chosen):
        reached = 4 if i == 0 else (3 if i == 1 else _pick(rng, stage_weights))
        entered = today - dt.timedelta(days=rng.randint(120 * (reached + 1), 120 * (reached + 1) + 300))
        days = sorted(rng.sample(range(1, (today - entered).days), reached)) if reached else []
        dates = [entered, *[entered + dt.timedelta(days=d) for d in days]]
        who = officer if officer is not None and enterprise.org_path.startswith(officer.org.path) else city_officer
        stage = STAGE_ORDER[reached]
        criteria = rng.sample(list(Criterion.values), rng.randint(2, 4))
        listed = stage == ListingStage.LISTED
        candidates.append(ListingCandidate(
            enterprise_id=enterprise.pk, org_path=enterprise.org_path, tier="gold" if rng.random() < 0.45 else "silver",
            criteria=criteria, criteria_note="近三年营业收入年均增长20%以上", entered_on=entered, stage=stage,
            stage_on=dates[-1], officer=who, exchange="szse" if listed else "",
            board=Board.CHINEXT if listed else "", listed_on=dates[-1] if listed else None,
            stock_code=f"30{rng.randint(1000, 9999)}" if listed else "",
        ))  # fmt: skip
        plans.append((dates, who))
    ListingCandidate.objects.bulk_create(candidates)
    steps, services = [], []
    for candidate, (dates, who) in zip(candidates, plans, strict=True):
        for stage, on in zip(STAGE_ORDER, dates, strict=False):
            steps.append(StageStep(candidate=candidate, stage=stage, on=on, officer=who, actor=who))
        for _i in range(rng.randint(1, 3)):
            index = rng.randrange(len(dates))
            kind = rng.choice(list(SERVICES))
            services.append(ListingService(candidate=candidate, kind=kind, on=dates[index], stage=STAGE_ORDER[index],
                                           description=SERVICES[kind], officer=who))  # fmt: skip
    StageStep.objects.bulk_create(steps)
    ListingService.objects.bulk_create(services)
    ctx.log(f"programs: {len(candidates)} listing candidates")
