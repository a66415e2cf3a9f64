"""统计上大中小微型企业划分办法（2017）(国统字〔2017〕213号).

Transcribed from the 办法's table 《统计上大中小微型企业划分标准》 and its 说明:

1. 大型、中型和小型企业须同时满足所列指标的下限，否则下划一档；微型企业只须满足所列指标中的一项即可。
2. 各行业的范围以《国民经济行业分类》（GB/T 4754-2017）为准。带 * 的项为行业组合类别：
   工业 = 采矿业 B、制造业 C、电力、热力、燃气及水生产和供应业 D；
   交通运输业 = 道路运输业 54、水上运输业 55、航空运输业 56、管道运输业 57、
   多式联运和运输代理业 58、装卸搬运 591，不包括铁路运输业 53；
   仓储业 = 通用仓储 592 … 其他仓储业 599；
   信息传输业 = 电信、广播电视和卫星传输服务 63、互联网和相关服务 64；
   其他未列明行业 = 科学研究和技术服务业 M、水利、环境和公共设施管理业 N、
   居民服务、修理和其他服务业 O、社会工作 85、文化、体育和娱乐业 R、
   房地产中介服务 703、其他房地产业 709 等，不包括自有房地产经营活动。

Amounts are in 万元 and compared as ``Decimal``. Industries the 办法 does not cover (铁路运输业,
金融业 J, 房地产租赁经营 704, 教育 P, 卫生 84, 公共管理 S, 国际组织 T) give ``size=None``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

__all__ = ["GROUPS", "SIZES", "Group", "SizeResult", "classify", "group_for"]

SIZES = ("大型", "中型", "小型", "微型")

EMPLOYEES = "employees"
REVENUE = "revenue"
ASSETS = "assets"
_INDICATOR_LABEL = {EMPLOYEES: "从业人员", REVENUE: "营业收入", ASSETS: "资产总额"}
_INDICATOR_UNIT = {EMPLOYEES: "人", REVENUE: "万元", ASSETS: "万元"}


@dataclass(frozen=True)
class Group:
    """A row group of the 办法's table: indicator -> lower bounds for 大型, 中型, 小型."""

    name: str
    bounds: tuple[tuple[str, tuple[Decimal, Decimal, Decimal]], ...]


@dataclass(frozen=True)
class SizeResult:
    """Outcome of ``classify``: size is None when it cannot be determined (see reason)."""

    size: str | None
    group: str | None
    reason: str


def _group(name: str, **bounds: tuple[int, int, int]) -> Group:
    return Group(name, tuple((k, tuple(Decimal(v) for v in b)) for k, b in bounds.items()))


# Lower bounds (大型, 中型, 小型); anything below the 小型 bound on one indicator is 微型.
GROUPS: dict[str, Group] = {
    g.name: g
    for g in (
        _group("农、林、牧、渔业", revenue=(20000, 500, 50)),
        _group("工业", employees=(1000, 300, 20), revenue=(40000, 2000, 300)),
        _group("建筑业", revenue=(80000, 6000, 300), assets=(80000, 5000, 300)),
        _group("批发业", employees=(200, 20, 5), revenue=(40000, 5000, 1000)),
        _group("零售业", employees=(300, 50, 10), revenue=(20000, 500, 100)),
        _group("交通运输业", employees=(1000, 300, 20), revenue=(30000, 3000, 200)),
        _group("仓储业", employees=(200, 100, 20), revenue=(30000, 1000, 100)),
        _group("邮政业", employees=(1000, 300, 20), revenue=(30000, 2000, 100)),
        _group("住宿业", employees=(300, 100, 10), revenue=(10000, 2000, 100)),
        _group("餐饮业", employees=(300, 100, 10), revenue=(10000, 2000, 100)),
        _group("信息传输业", employees=(2000, 100, 10), revenue=(100000, 1000, 100)),
        _group("软件和信息技术服务业", employees=(300, 100, 10), revenue=(10000, 1000, 50)),
        _group("房地产开发经营", revenue=(200000, 1000, 100), assets=(10000, 5000, 2000)),
        _group("物业管理", employees=(1000, 300, 100), revenue=(5000, 1000, 500)),
        _group("租赁和商务服务业", employees=(300, 100, 10), assets=(120000, 8000, 100)),
        _group("其他未列明行业", employees=(300, 100, 10)),
    )
}

_NOT_COVERED = "《统计上大中小微型企业划分办法（2017）》不对{what}划分企业规模"

# 大类 (2 digits) -> group name, or None for "not covered"; 中类-dependent 大类 are handled below.
_DIVISION_GROUP: dict[int, str | None] = {}
for _lo, _hi, _name in (
    (1, 5, "农、林、牧、渔业"),
    (6, 46, "工业"),
    (47, 50, "建筑业"),
    (51, 51, "批发业"),
    (52, 52, "零售业"),
    (54, 58, "交通运输业"),
    (60, 60, "邮政业"),
    (61, 61, "住宿业"),
    (62, 62, "餐饮业"),
    (63, 64, "信息传输业"),
    (65, 65, "软件和信息技术服务业"),
    (71, 72, "租赁和商务服务业"),
    (73, 82, "其他未列明行业"),  # M 73–75, N 76–79, O 80–82
    (85, 85, "其他未列明行业"),  # 社会工作
    (86, 90, "其他未列明行业"),  # R
):
    for _d in range(_lo, _hi + 1):
        _DIVISION_GROUP[_d] = _name

_EXCLUDED_DIVISIONS = {
    53: "铁路运输业",
    66: "金融业",
    67: "金融业",
    68: "金融业",
    69: "金融业",
    83: "教育",
    84: "卫生",
    **{d: "公共管理、社会保障和社会组织" for d in range(91, 97)},
    97: "国际组织",
}

# 门类 letter -> range of 大类 (GB/T 4754-2017).
_SECTION_DIVISIONS = {
    "A": (1, 5), "B": (6, 12), "C": (13, 43), "D": (44, 46), "E": (47, 50), "F": (51, 52),
    "G": (53, 60), "H": (61, 62), "I": (63, 65), "J": (66, 69), "K": (70, 70), "L": (71, 72),
    "M": (73, 75), "N": (76, 79), "O": (80, 82), "P": (83, 83), "Q": (84, 85), "R": (86, 90),
    "S": (91, 96), "T": (97, 97),
}  # fmt: skip

_CODE = re.compile(r"^([A-T])?(\d{2,4})?$")


def _section_for(division: int) -> str:
    for letter, (lo, hi) in _SECTION_DIVISIONS.items():
        if lo <= division <= hi:
            return letter
    raise ValueError(division)


def group_for(industry_code: str) -> tuple[str | None, str]:
    """Map a GB/T 4754-2017 code (``C3311``, ``3311``, ``331``, ``33`` or a 门类 letter) to a group.

    Returns ``(group_name, "")`` or ``(None, chinese_reason)``.
    """
    code = (industry_code or "").strip().upper()
    if not code:
        return None, "未填写行业代码，无法划分企业规模"
    match = _CODE.match(code)
    if not match:
        return None, f"行业代码“{industry_code}”格式不正确（应为门类字母和/或2–4位数字）"
    letter, digits = match.groups()
    if digits is None:
        lo, hi = _SECTION_DIVISIONS[letter]
        groups = {_DIVISION_GROUP.get(d) for d in range(lo, hi + 1)}
        if letter in ("G", "K", "Q") or len(groups) != 1:
            return None, f"行业代码只到门类“{letter}”，该门类含不同规模标准，请提供行业大类或更细的代码"
        only = groups.pop()
        if only is None:
            return None, _NOT_COVERED.format(what=f"门类{letter}")
        return only, ""
    division = int(digits[:2])
    if not 1 <= division <= 97:
        return None, f"行业代码“{industry_code}”不是国民经济行业分类（GB/T 4754-2017）中的大类"
    if letter and _section_for(division) != letter:
        return None, f"行业代码“{industry_code}”的门类字母与大类{digits[:2]}不一致"
    if division in _EXCLUDED_DIVISIONS:
        return None, _NOT_COVERED.format(what=_EXCLUDED_DIVISIONS[division])
    group_name = _DIVISION_GROUP.get(division)
    if group_name is not None:
        return group_name, ""
    if division == 59:  # 591 装卸搬运 counts as 交通运输业, 592–599 as 仓储业
        if len(digits) < 3:
            return None, "大类59“装卸搬运和仓储业”分属交通运输业和仓储业，请提供中类代码"
        return ("交通运输业" if digits[:3] == "591" else "仓储业"), ""
    if division == 70:
        if len(digits) < 3:
            return None, "大类70“房地产业”含不同规模标准，请提供中类代码"
        group = digits[:3]
        if group == "701":
            return "房地产开发经营", ""
        if group == "702":
            return "物业管理", ""
        if group in ("703", "709"):
            return "其他未列明行业", ""
        if group == "704":
            return None, _NOT_COVERED.format(what="房地产租赁经营（自有房地产经营活动）")
        return None, f"行业代码“{industry_code}”不是房地产业的有效中类"
    return None, f"行业代码“{industry_code}”不是国民经济行业分类（GB/T 4754-2017）中的大类"


def _as_decimal(value) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(str(value))
    try:
        return Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValueError(value) from None


def _num(key: str, value: Decimal) -> str:
    text = format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
    return f"{text}{_INDICATOR_UNIT[key]}"


def _fmt(key: str, value: Decimal) -> str:
    return f"{_INDICATOR_LABEL[key]}{_num(key, value)}"


def classify(
    industry_code: str,
    employees: int | None,
    revenue_wan: Decimal | None,
    assets_wan: Decimal | None,
) -> SizeResult:
    """Size class of an enterprise under the 2017 办法.

    ``revenue_wan`` and ``assets_wan`` are in 万元. Only the indicators of the enterprise's
    group are used. When a needed figure is missing the result is ``None`` — except that a
    figure already below the 小型 lower bound makes the enterprise 微型 on its own, because
    "微型企业只须满足所列指标中的一项即可".
    """
    group_name, why = group_for(industry_code)
    if group_name is None:
        return SizeResult(None, None, why)
    group = GROUPS[group_name]
    raw = {EMPLOYEES: employees, REVENUE: revenue_wan, ASSETS: assets_wan}
    values: dict[str, Decimal | None] = {}
    for key, _bounds in group.bounds:
        try:
            value = _as_decimal(raw[key])
        except ValueError:
            return SizeResult(None, group_name, f"{_INDICATOR_LABEL[key]}“{raw[key]}”不是有效数字")
        if value is not None and value < 0:
            return SizeResult(None, group_name, f"{_INDICATOR_LABEL[key]}不能为负数")
        values[key] = value

    below_small = [key for key, b in group.bounds if values[key] is not None and values[key] < b[2]]
    if below_small:
        key = below_small[0]
        bound = dict(group.bounds)[key][2]
        return SizeResult(
            "微型",
            group_name,
            f"{group_name}：{_fmt(key, values[key])}，低于小型下限{_num(key, bound)}，微型企业只须满足一项指标",
        )
    missing = [_INDICATOR_LABEL[key] for key, _b in group.bounds if values[key] is None]
    if missing:
        return SizeResult(None, group_name, f"{group_name}需要{'、'.join(missing)}，缺少数据，无法划分企业规模")

    for tier, size in enumerate(SIZES[:3]):
        if all(values[key] >= b[tier] for key, b in group.bounds):
            detail = "，".join(f"{_fmt(key, values[key])}（{size}下限{_num(key, b[tier])}）" for key, b in group.bounds)
            return SizeResult(size, group_name, f"{group_name}：{detail}，同时满足{size}企业各项指标下限")
    raise AssertionError("unreachable: every indicator is at least the 小型 lower bound")
