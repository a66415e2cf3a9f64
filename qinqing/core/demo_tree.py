"""The demo organisation tree: FIC nodes, departments (承办单位), banks, law firms, one chamber, the demo users.

The name data and the allocation/credit-code helpers at the top are pure; ``build_tree`` and
``create_demo_users`` write with bulk_create (one audit row summarises the seed, see seed_demo).
Everything is deterministic for the context's rng.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

# --- Pure data --------------------------------------------------------------------------------

PROVINCE = ("430000", "湖南省")

# (city code, city name, [(county code, county name), …]) — GB/T 2260 codes, Hunan.
CITIES = [
    (
        "430600",
        "岳阳市",
        [("430621", "岳阳县"), ("430623", "华容县"), ("430624", "湘阴县"), ("430626", "平江县"), ("430681", "汨罗市")],
    ),
    ("430100", "长沙市", [("430121", "长沙县"), ("430181", "浏阳市"), ("430182", "宁乡市"), ("430112", "望城区")]),
    (
        "430700",
        "常德市",
        [("430723", "澧县"), ("430725", "桃源县"), ("430722", "汉寿县"), ("430721", "安乡县"), ("430781", "津市市")],
    ),
]

# Departments that receive appeals, most frequently involved first (a smaller node takes a prefix).
DEPARTMENTS = [
    "市场监督管理局",
    "人力资源和社会保障局",
    "自然资源和规划局",
    "税务局",
    "住房和城乡建设局",
    "发展和改革委员会",
    "工业和信息化局",
    "行政审批服务局",
    "商务局",
    "生态环境局",
    "公安局",
    "交通运输局",
    "农业农村局",
    "应急管理局",
    "城市管理和综合执法局",
    "地方金融监督管理局",
    "财政局",
    "科学技术局",
    "司法局",
    "水利局",
    "卫生健康委员会",
    "文化旅游广电局",
    "医疗保障局",
    "林业局",
    "统计局",
    "教育局",
    "退役军人事务局",
    "政务服务和数据管理局",
    "供电公司",
    "自来水公司",
]

CITY_BANKS = [
    "中国工商银行{city_short}分行",
    "中国农业银行{city_short}分行",
    "中国建设银行{city_short}分行",
    "中国银行{city_short}分行",
    "中国邮政储蓄银行{city}分行",
    "湖南{city_short}农村商业银行",
    "交通银行{city_short}分行",
]
COUNTY_BANKS = ["湖南{county_short}农村商业银行", "中国农业银行{county}支行", "中国邮政储蓄银行{county}支行"]
LAWFIRM_WORDS = ["巴陵", "洞庭", "岳州", "明德", "正衡", "公信", "弘法", "天元", "湘楚", "君和"]

SURNAMES = (
    "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
    "余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段漕钱汤尹黎易常武乔贺赖龚文"
)
GIVEN = "建国华明伟芳娟敏静丽强磊军洋勇艳杰娜涛斌超秀兰霞平刚桂英红玉梅波辉鹏亮晨宇浩然志峰海燕文博雪琳思远嘉欣子涵"

# GB 32100-2015: 统一社会信用代码 character set and weights.
CREDIT_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

DEMO_PASSWORD = "Qinqing@2026"  # noqa: S105 — printed by demo_logins on purpose


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    label: str  # the role as PRODUCT.md names it
    where: str  # root | city | county | chamber | department | bank | lawfirm | enterprise


# One account per role of PRODUCT.md (order = the table printed by demo_logins).
DEMO_ACCOUNTS = [
    DemoAccount("city_staff", "fic_staff", "市工商联工作人员", "city"),
    DemoAccount("county_staff", "fic_staff", "县工商联工作人员", "county"),
    DemoAccount("leader", "fic_leader", "工商联领导", "city"),
    DemoAccount("secretary", "chamber_secretary", "商会秘书处", "chamber"),
    DemoAccount("enterprise", "enterprise", "企业用户", "enterprise"),
    DemoAccount("liaison", "dept_liaison", "承办单位联络员", "department"),
    DemoAccount("banker", "bank_officer", "金融机构", "bank"),
    DemoAccount("lawyer", "lawyer", "联点律师", "lawfirm"),
    DemoAccount("mediator", "mediator", "商会调解员", "chamber"),
    DemoAccount("reviewer", "discipline_reviewer", "纪检监督", "city"),
    DemoAccount("sysadmin", "sys_admin", "系统管理员", "city"),
    DemoAccount("secadmin", "sec_admin", "安全管理员", "city"),
    DemoAccount("auditor", "audit_admin", "审计管理员", "city"),
]


def credit_check_char(first17: str) -> str:
    """The 18th character of a 统一社会信用代码 for its first 17 characters."""
    total = sum(CREDIT_CHARSET.index(ch) * w for ch, w in zip(first17, CREDIT_WEIGHTS, strict=True))
    return CREDIT_CHARSET[(31 - total % 31) % 31]


def credit_code(region_code: str, serial: str) -> str:
    """A valid code for an enterprise (登记管理部门 9, 类别 1) in a region; ``serial`` is 9 chars."""
    first17 = f"91{region_code}{serial}"
    return first17 + credit_check_char(first17)


def allocate(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder)."""
    if not weights or sum(weights) <= 0:
        return [0] * len(weights)
    raw = [total * w / sum(weights) for w in weights]
    parts = [int(x) for x in raw]
    order = sorted(range(len(raw)), key=lambda i: (raw[i] - parts[i], -i), reverse=True)
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def short_region(name: str) -> str:
    """岳阳市 → 岳阳, 华容县 → 华容, 澧县 → 澧县 (one-character names keep their suffix)."""
    return name[:-1] if len(name) > 2 and name[-1] in "市县区" else name


def department_name(region_name: str, dept: str) -> str:
    if dept == "税务局":
        return f"国家税务总局{region_name}税务局"
    if dept == "供电公司":
        return f"国网{short_region(region_name)}供电公司"
    if dept == "自来水公司":
        return f"{short_region(region_name)}自来水有限公司"
    return f"{region_name}{dept}"


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def plan_regions(profile: str, counties: int) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """Cities and counties a profile deploys: county → one county of 岳阳; city → 岳阳's five; province → more."""
    if profile == "province":
        plan, left = [], counties
        for code, name, children in CITIES:
            take = min(len(children), left)
            if take <= 0:
                break
            plan.append((code, name, children[:take]))
            left -= take
        return plan
    code, name, children = CITIES[0]
    return [(code, name, children[: max(1, min(counties, len(children)))])]


# --- ORM builders ----------------------------------------------------------------------------


class _Coder:
    """Codes for non-FIC nodes in the style of orgs.actions.create_organization (prefix + region + serial).

    Serials start after the highest id of the kind, so a later create_organization (which uses the
    last id + 1) never collides with them.
    """

    PREFIX = {"chamber": "C", "department": "D", "bank": "B", "lawfirm": "L"}

    def __init__(self):
        from qinqing.orgs.models import Organization

        self.next = {
            kind: (Organization.objects.filter(kind=kind).order_by("-id").values_list("id", flat=True).first() or 0) + 1
            for kind in self.PREFIX
        }

    def __call__(self, kind: str, region_code: str) -> str:
        serial = self.next[kind]
        self.next[kind] += 1
        return f"{self.PREFIX[kind]}{region_code}{serial:06d}"


def _node(kind, name, region_code, parent, code, **extra):
    from qinqing.orgs.models import Organization

    path = f"{parent.path if parent else '/'}{code}/"
    return Organization(kind=kind, name=name, code=code, region_code=region_code, parent=parent, path=path, **extra)


def _phone(rng: random.Random) -> str:
    return f"0730-{rng.randint(8000000, 8899999)}"


def build_tree(ctx) -> dict:
    """Create the FIC tree and the departments, banks and law firms under it; fill ctx. Returns counts."""
    from qinqing.orgs.choices import FicLevel, OrgKind
    from qinqing.orgs.models import Organization

    rng = ctx.rng
    plan = plan_regions(ctx.profile, ctx.sizes["counties"])

    # FIC nodes, level by level (bulk_create per level so parents have ids).
    province = _node(OrgKind.FIC, f"{PROVINCE[1]}工商联", PROVINCE[0], None, PROVINCE[0], fic_level=FicLevel.PROVINCE)
    province.short_name = "省工商联"
    province.save()
    cities = Organization.objects.bulk_create(
        [
            _node(
                OrgKind.FIC,
                f"{name}工商联",
                code,
                province,
                code,
                fic_level=FicLevel.CITY,
                short_name=f"{short_region(name)}市工商联",
                contact_phone=_phone(rng),
            )
            for code, name, _children in plan
        ]
    )
    county_rows = []
    for city, (_code, _name, children) in zip(cities, plan, strict=True):
        for ccode, cname in children:
            county_rows.append(
                _node(
                    OrgKind.FIC,
                    f"{cname}工商联",
                    ccode,
                    city,
                    ccode,
                    fic_level=FicLevel.COUNTY,
                    short_name=cname,
                    contact_phone=_phone(rng),
                )
            )
    counties = Organization.objects.bulk_create(county_rows)
    region_names = {PROVINCE[0]: PROVINCE[1]}
    for code, name, children in plan:
        region_names[code] = name
        region_names.update(dict(children))

    ctx.root, ctx.city, ctx.counties = province, cities[0], counties
    ctx.fics = [province, *cities, *counties]

    # Departments: shared between nodes (a city node weighs more, except in the county profile).
    coder = _Coder()
    dept_nodes = [*cities, *counties]
    if ctx.profile == "county":
        weights = [1.0] * len(cities) + [2.0] * len(counties)
    else:
        weights = [4.0] * len(cities) + [1.0] * len(counties)
    counts = allocate(ctx.sizes["departments"], weights)
    rows = []
    for node, count in zip(dept_nodes, counts, strict=True):
        region_name = region_names[node.region_code]
        for dept in DEPARTMENTS[: max(2, min(count, len(DEPARTMENTS)))]:
            rows.append(
                _node(
                    OrgKind.DEPARTMENT,
                    department_name(region_name, dept),
                    node.region_code,
                    node,
                    coder(OrgKind.DEPARTMENT, node.region_code),
                    contact_phone=_phone(rng),
                )
            )
    ctx.departments = Organization.objects.bulk_create(rows)

    # Banks: the big branches at city level, the rural commercial bank and two sub-branches per county.
    rows = []
    for node in dept_nodes:
        region_name = region_names[node.region_code]
        if node.fic_level == FicLevel.CITY:
            names = [t.format(city=region_name, city_short=short_region(region_name)) for t in CITY_BANKS]
        else:
            names = [t.format(county=region_name, county_short=short_region(region_name)) for t in COUNTY_BANKS]
        for name in names:
            rows.append(_node(OrgKind.BANK, name, node.region_code, node, coder(OrgKind.BANK, node.region_code)))
    ctx.banks = Organization.objects.bulk_create(rows)

    # Law firms (联点律师事务所): three at a city, one per county.
    rows = []
    for node in dept_nodes:
        short = short_region(region_names[node.region_code])
        words = rng.sample(LAWFIRM_WORDS, 3 if node.fic_level == FicLevel.CITY else 1)
        for word in words:
            rows.append(
                _node(
                    OrgKind.LAWFIRM,
                    f"湖南{short}{word}律师事务所",
                    node.region_code,
                    node,
                    coder(OrgKind.LAWFIRM, node.region_code),
                    contact_phone=_phone(rng),
                )
            )
    ctx.lawfirms = Organization.objects.bulk_create(rows)

    # One chamber for the 商会秘书处 account, only if the registry has not made chambers already.
    chamber = Organization.objects.filter(kind=OrgKind.CHAMBER).order_by("path").first()
    if chamber is None:
        chamber = _node(
            OrgKind.CHAMBER,
            f"{region_names[ctx.city.region_code]}浙江商会",
            ctx.city.region_code,
            ctx.city,
            coder(OrgKind.CHAMBER, ctx.city.region_code),
            short_name="浙江商会",
            contact_phone=_phone(rng),
        )
        chamber.save()
    ctx.chamber = chamber
    return {
        "fics": len(ctx.fics),
        "departments": len(ctx.departments),
        "banks": len(ctx.banks),
        "lawfirms": len(ctx.lawfirms),
    }


def demo_enterprise(ctx):
    """The enterprise the 企业用户 account belongs to: the first in the first county, else a new one."""
    from qinqing.registry.models import Enterprise

    county = ctx.counties[0]
    existing = Enterprise.objects.filter(fic=county).order_by("id").first()
    if existing is not None:
        return existing
    return Enterprise.objects.create(
        credit_code=credit_code(county.region_code, "MA4L2X3X0"),
        name=f"{county.name.removesuffix('工商联')}洞庭湖食品有限公司",
        fic=county,
        org_path=county.path,
        region_code=county.region_code,
        industry_code="1371",
        legal_representative=person_name(ctx.rng),
    )


def create_demo_users(ctx) -> dict:
    """The demo accounts of DEMO_ACCOUNTS, one hash for all (same password), into ctx.users."""
    from django.contrib.auth.hashers import make_password

    from qinqing.accounts.models import User

    enterprise = demo_enterprise(ctx)
    org_for = {
        "root": ctx.root,
        "city": ctx.city,
        "county": ctx.counties[0],
        "chamber": ctx.chamber,
        "enterprise": enterprise.fic,
        "department": ctx.departments[0],
        "bank": next((b for b in ctx.banks if b.parent_id == ctx.city.pk), ctx.banks[0]),
        "lawfirm": next((f for f in ctx.lawfirms if f.parent_id == ctx.city.pk), ctx.lawfirms[0]),
    }
    city_depts = [d for d in ctx.departments if d.parent_id == ctx.city.pk]
    if city_depts:
        org_for["department"] = city_depts[0]
    password = make_password(DEMO_PASSWORD)
    rows = []
    for account in DEMO_ACCOUNTS:
        if User.objects.filter(username=account.username).exists():
            continue
        rows.append(
            User(
                username=account.username,
                name=person_name(ctx.rng),
                role=account.role,
                org=org_for[account.where],
                enterprise=enterprise if account.where == "enterprise" else None,
                title=account.label,
                password=password,
                must_change_password=False,
            )
        )
    User.objects.bulk_create(rows)
    users = User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS]).select_related("org")
    ctx.users.update({u.username: u for u in users})
    return ctx.users
