"""Which demo chambers exist: how many of each type, under which FIC, with a name that fits the type.

Pure (no ORM), so the counts and names are tested directly. The shares are the 岳阳 report's
("全市商会组织162个,其中行业商会78个,市场商会5个,异地商会21个,乡镇、街道商会48个,其他商会组织11个"). Its
parts add up to 163, not 162; the city profile has 163 chambers so that every per-type figure is reproduced
exactly, and smaller profiles keep the proportions.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from qinqing.core.demo_tree import allocate

from .choices import ChamberType

SEED_COUNTS = {
    ChamberType.INDUSTRY: 78,
    ChamberType.MARKET: 5,
    ChamberType.NONLOCAL: 21,
    ChamberType.TOWNSHIP: 48,
    ChamberType.OTHER: 11,
}

TRADES = [
    "餐饮", "建材", "物流", "电子商务", "茶叶", "水产", "家居", "汽车销售", "建筑", "医药", "服装", "粮油",
    "食品", "石油化工", "电子信息", "装配式建筑", "文化旅游", "纺织", "再生资源", "广告", "眼镜", "珠宝",
    "酒店", "美容美发", "家政服务", "装饰", "房地产", "机械制造", "新能源", "印刷", "钢材", "竹木",
    "花卉苗木", "生猪", "烟花爆竹", "书画", "体育用品", "教育培训", "养老服务", "物业管理", "汽车配件", "农机",
]  # fmt: skip
ORIGINS = [
    "浙江", "福建", "温州", "江西", "广东", "湖北", "四川", "河南", "安徽", "江苏", "重庆", "莆田",
    "邵阳", "衡阳", "益阳", "常德", "株洲", "湘潭", "怀化", "郴州", "永州", "娄底", "长沙", "岳阳",
]  # fmt: skip
MARKETS = ["东茅岭市场", "农产品批发市场", "建材大市场", "汽配城", "小商品市场", "家具城", "服装城"]
OTHERS = ["青年企业家", "女企业家", "新生代企业家", "科技企业家", "返乡创业企业家", "退役军人企业家"]
# Towns and sub-districts (乡镇、街道) of the demo counties; a county not listed uses the generic ones.
TOWNS = {
    "430621": ["荣家湾镇", "黄沙街镇", "新墙镇", "柏祥镇", "筻口镇", "公田镇", "毛田镇", "月田镇", "张谷英镇",
               "新开镇", "步仙镇", "杨林乡", "长湖乡", "中洲乡"],
    "430623": ["章华镇", "治河渡镇", "北景港镇", "鲇鱼须镇", "万庾镇", "插旗镇", "注滋口镇", "操军镇", "东山镇",
               "三封寺镇", "禹山镇", "梅田湖镇", "胜峰乡", "团洲乡"],
    "430624": ["文星镇", "南湖洲镇", "东塘镇", "城西镇", "袁家铺镇", "金龙镇", "新泉镇", "岭北镇", "鹤龙湖镇",
               "樟树镇", "三塘镇", "杨林寨乡", "六塘乡"],
    "430626": ["汉昌镇", "安定镇", "三市镇", "加义镇", "长寿镇", "龙门镇", "虹桥镇", "南江镇", "梅仙镇",
               "浯口镇", "瓮江镇", "伍市镇", "向家镇", "童市镇", "岑川镇", "余坪镇"],
    "430681": ["汨罗镇", "新市镇", "古培镇", "白水镇", "川山坪镇", "弼时镇", "长乐镇", "大荆镇", "桃林寺镇",
               "三江镇", "屈子祠镇", "罗江镇", "神鼎山镇"],
}  # fmt: skip
GENERIC_TOWNS = ["城东街道", "城西街道", "城南街道", "城北街道", "城关镇", "新华街道", "东湖街道", "白沙镇", "长岭镇"]


def type_for_name(name: str) -> ChamberType:
    """The type a chamber's name says it is (an 浙江商会 is an 异地商会, an 餐饮行业商会 a 行业商会, …)."""
    if "市场" in name or "城商会" in name:
        return ChamberType.MARKET
    if "企业家" in name:  # before the towns: a 返乡创业企业家商会 is not a 乡 chamber
        return ChamberType.OTHER
    if any(word in name for word in ("镇", "乡", "街道")):
        return ChamberType.TOWNSHIP
    if "行业" in name or "协会" in name or any(trade in name for trade in TRADES):
        return ChamberType.INDUSTRY
    stem = name.removesuffix("商会")
    if any(stem.endswith(origin) for origin in ORIGINS):
        return ChamberType.NONLOCAL
    return ChamberType.OTHER


@dataclass(frozen=True)
class Fic:
    key: int  # position in the caller's list
    place: str  # 岳阳市, 华容县 …
    region_code: str
    is_county: bool


@dataclass(frozen=True)
class PlannedChamber:
    fic: int
    chamber_type: ChamberType
    name: str


def _weights(fics: list[Fic], ctype: ChamberType) -> list[float]:
    if ctype == ChamberType.TOWNSHIP and any(f.is_county for f in fics):
        return [1.0 if f.is_county else 0.0 for f in fics]  # towns belong to counties
    city_weight = {ChamberType.INDUSTRY: 3.0, ChamberType.NONLOCAL: 3.0}.get(ctype, 2.0)
    return [1.0 if f.is_county else city_weight for f in fics]


def _names(fic: Fic, ctype: ChamberType) -> list[str]:
    short = fic.place[:-1] if len(fic.place) > 2 and fic.place[-1] in "市县区" else fic.place
    if ctype == ChamberType.INDUSTRY:
        return [f"{fic.place}{trade}行业商会" for trade in TRADES]
    if ctype == ChamberType.TOWNSHIP:
        return [f"{fic.place}{town}商会" for town in TOWNS.get(fic.region_code, GENERIC_TOWNS)]
    if ctype == ChamberType.NONLOCAL:
        return [f"{fic.place}{origin}商会" for origin in ORIGINS if origin not in (short, fic.place)]
    if ctype == ChamberType.MARKET:
        return [f"{fic.place}{market}商会" for market in MARKETS]
    return [f"{fic.place}{other}商会" for other in OTHERS]


def plan_chambers(
    total: int, fics: list[Fic], existing: list[tuple[int, str]], rng: random.Random
) -> tuple[list[ChamberType], list[PlannedChamber]]:
    """Types of the ``existing`` chambers (fic key, name), and the new chambers that complete ``total``.

    Types follow the seed's counts; existing chambers keep the type their name says and count towards it.
    A FIC that has used up its plausible names passes the rest to the next FIC.
    """
    existing_types = [type_for_name(name) for _fic, name in existing]
    wanted = dict(zip(SEED_COUNTS, allocate(total, list(SEED_COUNTS.values())), strict=True))
    for ctype in existing_types:
        wanted[ctype] = max(0, wanted[ctype] - 1)
    used = {name for _fic, name in existing}
    planned: list[PlannedChamber] = []
    for ctype, count in wanted.items():
        per_fic = allocate(count, _weights(fics, ctype))
        carry = 0
        # A second round hands what the last FICs could not take back to the first ones.
        for fic, n in [*zip(fics, per_fic, strict=True), *((fic, 0) for fic in fics)]:
            free = [name for name in _names(fic, ctype) if name not in used]
            take = min(n + carry, len(free))
            carry = n + carry - take
            for name in rng.sample(free, take):
                used.add(name)
                planned.append(PlannedChamber(fic.key, ctype, name))
    return existing_types, planned


# Cities a branch (联络站) of a chamber may sit in, with their GB/T 2260 codes (current ones only).
BRANCH_CITIES = {
    "长沙": "430100", "株洲": "430200", "常德": "430700", "益阳": "430900", "郴州": "431000", "永州": "431100",
    "怀化": "431200", "娄底": "431300", "广州": "440100", "深圳": "440300", "武汉": "420100", "杭州": "330100",
    "温州": "330300", "福州": "350100", "莆田": "350300", "南昌": "360100", "成都": "510100", "郑州": "410100",
    "合肥": "340100", "南京": "320100", "重庆": "500000", "上海": "310000", "北京": "110000",
}  # fmt: skip
# An 异地商会's home town, by the origin in its name, for its 联络站 there.
ORIGIN_CITIES = {"浙江": "杭州", "福建": "福州", "温州": "温州", "江西": "南昌", "广东": "广州", "湖北": "武汉",
                 "四川": "成都", "河南": "郑州", "安徽": "合肥", "江苏": "南京", "重庆": "重庆", "莆田": "莆田",
                 "益阳": "益阳", "常德": "常德", "株洲": "株洲", "怀化": "怀化", "郴州": "郴州", "永州": "永州",
                 "娄底": "娄底", "长沙": "长沙"}  # fmt: skip
BRANCH_SHARE = {ChamberType.NONLOCAL: 0.7, ChamberType.INDUSTRY: 0.25, ChamberType.MARKET: 0.2, ChamberType.OTHER: 0.15}


def plan_branches(name: str, chamber_type: ChamberType, rng: random.Random) -> list[tuple[str, str]]:
    """The 联络站 (name, region code) of one demo chamber: an 异地商会 mostly has one in its home town,
    some chambers of other types one or two in cities they trade with; 乡镇街道商会 none."""
    if rng.random() >= BRANCH_SHARE.get(chamber_type, 0.0):
        return []
    stem = name.removesuffix("商会")
    home = next((city for origin, city in ORIGIN_CITIES.items() if stem.endswith(origin)), None)
    cities = [home] if chamber_type == ChamberType.NONLOCAL and home else []
    others = [city for city in BRANCH_CITIES if city != home]
    cities += rng.sample(others, 1 if cities or rng.random() < 0.7 else 2)
    return [(f"{name}{city}联络站", BRANCH_CITIES[city]) for city in cities]
