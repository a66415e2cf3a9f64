"""Demo registry data: enterprises with valid credit codes and three years of figures, members, and
chambers of every type counted like the 岳阳 report (see demo_chambers: 162 in the city profile, of which
行业 78, 市场 5, 异地 21, 乡镇街道 48, 其他 11), each named as its type, with terms, party organisations and
ratings, 联络站 for about a quarter of them, and contact persons for about 40% of the enterprises (valid
mobile and ID numbers). Bulk writes only."""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from qinqing.core.demo_tree import credit_code
from qinqing.orgs.choices import FicLevel
from qinqing.orgs.models import Organization

from . import rollups
from .choices import MemberKind, MemberRole, RatingScheme
from .demo_chambers import Fic, plan_branches, plan_chambers
from .enterprises.importing import compute_size
from .models import (
    Chamber,
    ChamberBranch,
    ChamberRating,
    ChamberTerm,
    Enterprise,
    EnterpriseContact,
    EnterpriseYearFigures,
    Member,
)
from .standards import idcard

INDUSTRIES = ["1391", "1761", "3911", "3989", "4710", "5121", "5211", "5432", "6210", "6511", "7010", "0111", "7291"]
WORDS = ["洞庭", "湘北", "巴陵", "君山", "南湖", "岳州", "华容", "汨罗", "临湘", "平江", "云溪", "金鹗", "楼台", "湘阴"]
BRANDS = ["恒信", "宏达", "瑞丰", "金盛", "华腾", "鑫源", "博远", "天润", "中联", "兴业", "同创", "嘉禾", "联泰",
          "盛世", "永安", "汇通", "德盛", "长远", "佳园", "正和", "信达"]  # fmt: skip
TRADES = ["食品", "科技", "建材", "物流", "商贸", "电子", "纺织", "医药", "农业", "机械", "建设", "文化"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "军", "敏", "强", "磊", "洋", "勇", "静", "杰", "涛", "明", "超", "华", "平"]


def _person(rng) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")


def _mobile(rng) -> str:
    return f"1{rng.choice('3589')}{rng.randint(0, 999_999_999):09d}"


def _id_number(rng, region_code: str) -> str:
    """A citizen ID number with a valid GB 11643 check character, born 1960–2000 in ``region_code``."""
    born = datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randint(0, 14975))
    body = f"{region_code}{born:%Y%m%d}{rng.randint(1, 999):03d}"
    return body + idcard.check_char(body)


def _fics(ctx) -> list:
    return [node for node in [ctx.city, *ctx.counties] if node is not None] or [ctx.root]


def _years_before(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` earlier (later when negative); 29 February becomes the 28th."""
    if day.month == 2 and day.day == 29:
        day = day.replace(day=28)
    return day.replace(year=day.year - years)


def seed(ctx) -> None:
    rng = ctx.rng
    today = timezone.localdate()
    fics = _fics(ctx)
    chambers = _seed_chambers(ctx, rng, fics, today)
    enterprises = _seed_enterprises(ctx, rng, fics, today)
    members = _seed_members(ctx, rng, fics, chambers, enterprises, today)
    # Their own streams, so adding them left every other demo row as it was for the same seed.
    branches = _seed_branches(random.Random(f"{ctx.seed}:registry:branches"), chambers, today)
    contacts = _seed_contacts(random.Random(f"{ctx.seed}:registry:contacts"), enterprises)
    # Written in bulk (no save()): count them into the registry figures' rollups.
    for rollup in rollups.ALL:
        rollup.rebuild()
    ctx.log(
        f"会员与商会：企业 {len(enterprises)} 家（联系人 {contacts} 名），会员 {members} 个，"
        f"商会 {len(chambers)} 个（联络站 {branches} 个）"
    )


def _seed_chambers(ctx, rng, fics, today) -> list[Chamber]:
    existing = list(
        Organization.objects.filter(kind="chamber", path__startswith=ctx.root.path, chamber__isnull=True).order_by(
            "path"
        )
    )
    plan_fics = [
        Fic(
            key=i,
            place=fic.name.removesuffix("工商联"),
            region_code=fic.region_code,
            is_county=fic.fic_level == FicLevel.COUNTY,
        )
        for i, fic in enumerate(fics)
    ]
    fic_index = {fic.pk: i for i, fic in enumerate(fics)}
    existing_types, planned = plan_chambers(
        ctx.sizes["chambers"], plan_fics, [(fic_index.get(org.parent_id, 0), org.name) for org in existing], rng
    )
    serial = (Organization.objects.filter(kind="chamber").order_by("-id").values_list("id", flat=True).first() or 0) + 1
    new_orgs = []
    for item in planned:
        fic = fics[item.fic]
        code = f"C{fic.region_code}{serial:06d}"
        serial += 1
        new_orgs.append(
            Organization(
                kind="chamber",
                name=item.name,
                code=code,
                region_code=fic.region_code,
                parent=fic,
                path=f"{fic.path}{code}/",
            )
        )
    Organization.objects.bulk_create(new_orgs, batch_size=500)
    by_code = {o.code: o for o in Organization.objects.filter(code__in=[o.code for o in new_orgs])}
    orgs = existing + [by_code[o.code] for o in new_orgs]
    types = existing_types + [item.chamber_type for item in planned]
    lawfirms = list(ctx.lawfirms)
    chambers = []
    new_year = datetime.date(today.year, 1, 1)
    for org, ctype in zip(orgs, types, strict=False):
        party = rng.random() < 0.62
        # ~8% registered this year, as in the report ("162个,比2019年增加13个"), so the change is not zero.
        if rng.random() < 0.08:
            registered = new_year + datetime.timedelta(days=rng.randint(0, (today - new_year).days))
        else:
            registered = today - datetime.timedelta(days=rng.randint(400, 7000))
        chambers.append(
            Chamber(
                organization=org,
                org_path=org.path,
                chamber_type=ctype,
                registered_on=registered,
                party_org_established=party,
                party_members=rng.randint(3, 40) if party else rng.randint(0, 2),
                has_mediation_committee=rng.random() < 0.35,
                law_firm=rng.choice(lawfirms) if lawfirms and rng.random() < 0.5 else None,
            )
        )
    Chamber.objects.bulk_create(chambers, batch_size=500)
    chambers = list(Chamber.objects.filter(organization__in=orgs).select_related("organization"))
    terms, ratings = [], []
    for index, chamber in enumerate(chambers):
        # ~10% within the 90-day 换届 window, a few overdue
        if index % 10 == 0:
            ends = today + datetime.timedelta(days=rng.randint(-20, 85))
        else:
            ends = today + datetime.timedelta(days=rng.randint(100, 1700))
        starts = _years_before(ends, 5)
        registered = chamber.registered_on
        if registered is not None and registered > starts:
            # A young chamber is in its first 届, which began when it was registered.
            starts, ends = registered, _years_before(registered, -5)
            terms.append(
                ChamberTerm(
                    chamber=chamber,
                    number=1,
                    starts_on=starts,
                    ends_on=ends,
                    president=_person(rng),
                    secretary_general=_person(rng),
                )
            )
        else:
            previous_start = _years_before(starts, 5)
            if registered is not None and registered > previous_start:
                previous_start = registered
            terms.append(
                ChamberTerm(chamber=chamber, number=1, starts_on=previous_start, ends_on=starts, president=_person(rng))
            )
            terms.append(
                ChamberTerm(
                    chamber=chamber,
                    number=2,
                    starts_on=starts,
                    ends_on=ends,
                    president=_person(rng),
                    secretary_general=_person(rng),
                )
            )
        chamber.term_ends_on = ends
        for scheme, share in (
            (RatingScheme.FIVE_GOOD, 0.25),
            (RatingScheme.FOUR_GOOD_CITY, 0.15),
            (RatingScheme.FOUR_GOOD_PROVINCE, 0.06),
            (RatingScheme.FOUR_GOOD_NATIONAL, 0.02),
        ):
            if rng.random() < share:
                ratings.append(ChamberRating(chamber=chamber, scheme=scheme, year=today.year - rng.randint(1, 3)))
    ChamberTerm.objects.bulk_create(terms, batch_size=1000)
    ChamberRating.objects.bulk_create(ratings, batch_size=1000)
    Chamber.objects.bulk_update(chambers, ["term_ends_on"], batch_size=500)
    return chambers


def _seed_branches(rng, chambers, today) -> int:
    """联络站 of about a quarter of the chambers (most 异地商会 in their home town), set up after registration."""
    rows = []
    for chamber in chambers:
        for name, region in plan_branches(chamber.organization.name, chamber.chamber_type, rng):
            start = chamber.registered_on or today - datetime.timedelta(days=3000)
            established = start + datetime.timedelta(days=rng.randint(0, max(0, (today - start).days)))
            rows.append(
                ChamberBranch(
                    chamber=chamber,
                    name=name,
                    region_code=region,
                    contact_name=_person(rng),
                    established_on=established,
                )
            )
    ChamberBranch.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


CONTACT_POSITIONS = ["办公室主任", "财务负责人", "行政经理", "总经理助理", "人事主管", "董事会秘书"]


def _seed_contacts(rng, enterprise_ids) -> int:
    """Contact persons for about 40% of the enterprises (one, sometimes two): valid mobile numbers, and an
    ID number for about half of them, so masking and reveal have something real to show."""
    regions = dict(Enterprise.objects.filter(id__in=enterprise_ids).values_list("id", "region_code"))
    rows = []
    for pk in sorted(enterprise_ids):
        if rng.random() >= 0.4:
            continue
        for position in rng.sample(CONTACT_POSITIONS, 2 if rng.random() < 0.25 else 1):
            rows.append(
                EnterpriseContact(
                    enterprise_id=pk,
                    name=_person(rng),
                    position=position,
                    mobile=_mobile(rng),
                    id_number=_id_number(rng, regions.get(pk) or "430600") if rng.random() < 0.5 else "",
                )
            )
    EnterpriseContact.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _seed_enterprises(ctx, rng, fics, today) -> list[int]:
    total = ctx.sizes["enterprises"]
    existing = Enterprise.objects.filter(org_path__startswith=ctx.root.path).count()
    rows = []
    names: set[str] = set()
    for n in range(max(0, total - existing)):
        fic = fics[n % len(fics)]
        region = fic.region_code
        prefix = fic.name.removesuffix("工商联")[:3]
        name = f"{prefix}{rng.choice(WORDS)}{rng.choice(TRADES)}"
        if name in names:  # a trade name (字号) before the place word, as registered names do; a number last
            name = f"{prefix}{rng.choice(BRANDS)}{rng.choice(WORDS)}{rng.choice(TRADES)}"
        if name in names:
            name = f"{name}{n}"
        names.add(name)
        name = f"{name}有限公司"
        industry = rng.choice(INDUSTRIES)
        employees = int(rng.lognormvariate(3.2, 1.1)) + 1
        revenue = Decimal(int(rng.lognormvariate(7.0, 1.5))).quantize(Decimal("0.01"))
        assets = (revenue * Decimal(str(round(rng.uniform(0.6, 2.5), 2)))).quantize(Decimal("0.01"))
        quals = []
        if rng.random() < 0.08:
            quals.append("high_tech")
        if rng.random() < 0.05:
            quals.append("srdi")
        if "srdi" in quals and rng.random() < 0.2:
            quals.append("little_giant")
        if rng.random() < 0.005:
            quals.append("listed")
        rows.append(
            Enterprise(
                credit_code=credit_code(region, f"MA4{n:06d}"),
                name=name,
                fic=fic,
                org_path=fic.path,
                region_code=region,
                industry_code=industry,
                legal_representative=_person(rng),
                founded_on=today - datetime.timedelta(days=rng.randint(200, 9000)),
                employees=employees,
                revenue_wan=revenue,
                total_assets_wan=assets,
                size_class=compute_size(industry, employees, revenue, assets),
                qualifications=",".join(quals),
                contact_name=_person(rng),
                contact_mobile=_mobile(rng),
            )
        )
    Enterprise.objects.bulk_create(rows, batch_size=2000)
    ids = list(
        Enterprise.objects.filter(org_path__startswith=ctx.root.path).values_list(
            "id", "revenue_wan", "employees", "total_assets_wan"
        )
    )
    figures = []
    for pk, revenue, employees, assets in ids:
        revenue = revenue or Decimal(500)
        for back in (3, 2, 1):
            factor = Decimal(str(round(1 - 0.08 * (back - 1) + rng.uniform(-0.05, 0.05), 3)))
            year_revenue = (revenue * factor).quantize(Decimal("0.01"))
            figures.append(
                EnterpriseYearFigures(
                    enterprise_id=pk,
                    year=today.year - back,
                    revenue_wan=year_revenue,
                    tax_wan=(year_revenue * Decimal(str(round(rng.uniform(0.01, 0.06), 3)))).quantize(Decimal("0.01")),
                    rd_spend_wan=(year_revenue * Decimal(str(round(rng.uniform(0, 0.05), 3)))).quantize(
                        Decimal("0.01")
                    ),
                    employees=employees,
                    total_assets_wan=assets,
                )
            )
    EnterpriseYearFigures.objects.bulk_create(figures, batch_size=3000, ignore_conflicts=True)
    return [pk for pk, *_ in ids]


def _seed_members(ctx, rng, fics, chambers, enterprise_ids, today) -> int:
    total = ctx.sizes["members"]
    by_path = dict(Enterprise.objects.filter(id__in=enterprise_ids).values_list("id", "org_path"))
    fic_by_path = {f.path: f for f in fics}
    members = []
    roles = (
        [MemberRole.MEMBER] * 90
        + [MemberRole.DIRECTOR] * 4
        + [MemberRole.EXECUTIVE] * 3
        + [MemberRole.STANDING] * 2
        + [MemberRole.VICE_CHAIR]
    )

    def dates():
        joined = today - datetime.timedelta(days=rng.randint(30, 6000))
        left = joined + datetime.timedelta(days=rng.randint(100, 3000)) if rng.random() < 0.06 else None
        return joined, left if left is None or left < today else None

    # group members: every chamber joins its FIC as a 团体会员
    for chamber in chambers:
        parent = fic_by_path.get(chamber.org_path.rsplit("/", 2)[0] + "/") or fics[0]
        joined, _left = dates()
        members.append(
            Member(
                organization=parent,
                org_path=parent.path,
                kind=MemberKind.GROUP,
                group=chamber.organization,
                joined_on=joined,
            )
        )
    individuals = int(total * 0.07)
    pool = list(enterprise_ids)
    rng.shuffle(pool)
    seen: set[tuple[int, int]] = set()
    # Every chamber has enterprise members: a few of the enterprises of the FIC it belongs to.
    by_fic_path: dict[str, list[int]] = {}
    for pk in pool:
        by_fic_path.setdefault(by_path[pk], []).append(pk)
    for chamber in chambers:
        fic_path = chamber.org_path.rsplit("/", 2)[0] + "/"
        local = [pk for path, pks in by_fic_path.items() if path.startswith(fic_path) for pk in pks]
        for pk in rng.sample(local, k=min(len(local), rng.randint(3, 12))):
            seen.add((chamber.organization.pk, pk))
            joined, left = dates()
            members.append(
                Member(
                    organization=chamber.organization,
                    org_path=chamber.organization.path,
                    kind=MemberKind.ENTERPRISE,
                    enterprise_id=pk,
                    role=rng.choice(roles),
                    joined_on=joined,
                    left_on=left,
                )
            )
    enterprise_slots = max(0, total - len(members) - individuals)
    chamber_orgs = [c.organization for c in chambers]
    for i in range(enterprise_slots):
        pk = pool[i % len(pool)] if pool else None
        if pk is None:
            break
        if i < len(pool):
            org = fic_by_path.get(by_path[pk]) or fics[0]
        else:
            org = rng.choice(chamber_orgs) if chamber_orgs else fics[0]
        if (org.pk, pk) in seen:
            continue
        seen.add((org.pk, pk))
        joined, left = dates()
        members.append(
            Member(
                organization=org,
                org_path=org.path,
                kind=MemberKind.ENTERPRISE,
                enterprise_id=pk,
                role=rng.choice(roles),
                joined_on=joined,
                left_on=left,
            )
        )
    for _ in range(individuals):
        org = rng.choice(fics)
        joined, left = dates()
        members.append(
            Member(
                organization=org,
                org_path=org.path,
                kind=MemberKind.INDIVIDUAL,
                person_name=_person(rng),
                mobile=_mobile(rng),
                joined_on=joined,
                left_on=left,
            )
        )
    # the demo secretary's chamber and the demo enterprise user's enterprise are members of each other
    secretary_chamber = ctx.chamber
    demo_user = ctx.users.get("enterprise")
    if (
        secretary_chamber is not None
        and demo_user is not None
        and demo_user.enterprise_id
        and (secretary_chamber.pk, demo_user.enterprise_id) not in seen
    ):
        members.append(
            Member(
                organization=secretary_chamber,
                org_path=secretary_chamber.path,
                kind=MemberKind.ENTERPRISE,
                enterprise_id=demo_user.enterprise_id,
                role=MemberRole.VICE_PRESIDENT,
                joined_on=today - datetime.timedelta(days=900),
            )
        )
    Member.objects.bulk_create(members, batch_size=2000, ignore_conflicts=True)
    return len(members)
