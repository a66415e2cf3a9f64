"""Eligibility rules: the vocabulary (attributes, operators, qualifications, size classes, industry sections)
and the validation of a rule tree. Pure module: no ORM. See rules.py for what a rule is."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


@cache
def qualifications() -> list[str]:
    """The qualification names conditions may name: exactly the registry's (qinqing.registry.choices), so a
    policy can never ask for a qualification no enterprise can be recorded with. Read on first use, because
    the labels are translatable and translations are not ready at import time."""
    from qinqing.registry.choices import Qualification

    return [str(label) for label in Qualification.labels]


@cache
def qualification_bits() -> dict[str, int]:
    return {name: 1 << i for i, name in enumerate(qualifications())}


def __getattr__(name: str):  # rules.QUALIFICATIONS / rules.QUALIFICATION_BITS, computed on first use
    if name == "QUALIFICATIONS":
        return qualifications()
    if name == "QUALIFICATION_BITS":
        return qualification_bits()
    raise AttributeError(name)


# Keys: the size classes as enterprise data holds them (matched); values: how they are shown.
SIZE_CLASSES = {
    "大型": _("大型"),
    "中型": _("中型"),
    "小型": _("小型"),
    "微型": _("微型"),
}

# GB/T 4754-2017: 门类 letter for each two-digit 大类 range.
_SECTIONS = [
    ("A", 1, 5), ("B", 6, 12), ("C", 13, 43), ("D", 44, 46), ("E", 47, 50), ("F", 51, 52), ("G", 53, 60),
    ("H", 61, 62), ("I", 63, 65), ("J", 66, 69), ("K", 70, 70), ("L", 71, 72), ("M", 73, 75), ("N", 76, 79),
    ("O", 80, 82), ("P", 83, 83), ("Q", 84, 85), ("R", 86, 90), ("S", 91, 97), ("T", 98, 98),
]  # fmt: skip
SECTION_NAMES = {
    "A": "农、林、牧、渔业", "B": "采矿业", "C": "制造业", "D": "电力、热力、燃气及水生产和供应业", "E": "建筑业",
    "F": "批发和零售业", "G": "交通运输、仓储和邮政业", "H": "住宿和餐饮业", "I": "信息传输、软件和信息技术服务业",
    "J": "金融业", "K": "房地产业", "L": "租赁和商务服务业", "M": "科学研究和技术服务业",
    "N": "水利、环境和公共设施管理业", "O": "居民服务、修理和其他服务业", "P": "教育", "Q": "卫生和社会工作",
    "R": "文化、体育和娱乐业", "S": "公共管理、社会保障和社会组织", "T": "国际组织",
}  # fmt: skip


def normalize_industry(code: str | None) -> str | None:
    """'1311' or 'C1311' → 'C1311'; 'C' stays 'C'; empty → None (unknown)."""
    if not code:
        return None
    code = code.strip().upper()
    if code[:1].isalpha():
        return code
    if len(code) >= 2 and code[:2].isdigit():
        division = int(code[:2])
        for letter, low, high in _SECTIONS:
            if low <= division <= high:
                return letter + code
    return code


class RuleError(ValueError):
    """A rule tree that cannot be stored; the message is for the user (Chinese)."""


@dataclass(frozen=True)
class Attribute:
    key: str
    label: str
    kind: str  # code | enum | number | set | bool | idset
    unit: str = ""
    missing_hint: str = ""  # which data to add when the value is unknown


ATTRIBUTES: dict[str, Attribute] = {
    a.key: a
    for a in [
        Attribute("region", _("所在地区"), "code", missing_hint=_("企业所在地行政区划代码")),
        Attribute("industry", _("所属行业"), "code", missing_hint=_("企业国民经济行业分类代码")),
        Attribute("size_class", _("企业规模"), "enum", missing_hint=_("企业规模（大中小微）")),
        Attribute("years", _("成立年限"), "number", _("年"), missing_hint=_("企业成立日期")),
        Attribute(
            "employees",
            _("从业人数"),
            "number",
            _("人"),
            missing_hint=_("最近年度从业人数"),
        ),
        Attribute(
            "revenue",
            _("营业收入"),
            "number",
            _("万元"),
            missing_hint=_("最近年度营业收入"),
        ),
        Attribute("tax", _("纳税额"), "number", _("万元"), missing_hint=_("最近年度纳税额")),
        Attribute(
            "rd_ratio",
            _("研发投入占比"),
            "number",
            "%",
            missing_hint=_("最近年度研发投入和营业收入"),
        ),
        Attribute(
            "total_assets",
            _("资产总额"),
            "number",
            _("万元"),
            missing_hint=_("资产总额"),
        ),
        Attribute("qualifications", _("资质荣誉"), "set", missing_hint=_("企业资质认定情况")),
        Attribute("member", _("工商联会员"), "bool", missing_hint=_("会员信息")),
        Attribute("chambers", _("所属商会"), "idset", missing_hint=_("所属商会")),
    ]
}

OPERATORS: dict[str, str] = {
    "eq": _("等于"),
    "ne": _("不等于"),
    "gt": _("大于"),
    "ge": _("大于等于"),
    "lt": _("小于"),
    "le": _("小于等于"),
    "between": _("介于"),
    "in": _("属于"),
    "not_in": _("不属于"),
    "startswith": _("以…开头"),
    "has_any": _("具有其一"),
    "has_all": _("全部具有"),
    "has_none": _("均不具有"),
}

OPERATORS_BY_KIND: dict[str, list[str]] = {
    "code": ["startswith", "in", "not_in", "eq", "ne"],
    "enum": ["in", "not_in", "eq", "ne"],
    "number": ["ge", "gt", "le", "lt", "between", "eq", "ne"],
    "set": ["has_any", "has_all", "has_none"],
    "bool": ["eq"],
    "idset": ["has_any", "has_none"],
}

GROUP_OPS = {"all": _("同时满足"), "any": _("满足其一")}


# --- validation -------------------------------------------------------------------------------------


def _as_list(value: Any) -> list:
    if isinstance(value, (list, tuple)):
        return list(value)
    if isinstance(value, str):
        return [v.strip() for v in value.replace("，", ",").split(",") if v.strip()]
    return [value]


def normalize_leaf(leaf: dict) -> dict:
    """Check one condition and return it with its value in canonical form; raise RuleError otherwise."""
    attr = ATTRIBUTES.get(leaf.get("attr", ""))
    if attr is None:
        raise RuleError(gettext("未知的条件项：%(attr)s") % {"attr": repr(leaf.get("attr"))})
    op = leaf.get("op")
    if op not in OPERATORS_BY_KIND[attr.kind]:
        raise RuleError(
            gettext("条件项“%(attr)s”不能使用运算“%(op)s”") % {"attr": attr.label, "op": OPERATORS.get(op, op)}
        )
    value = leaf.get("value")
    if attr.kind == "number":
        try:
            value = [float(v) for v in _as_list(value)] if op == "between" else float(value)
        except (TypeError, ValueError):
            raise RuleError(gettext("条件项“%(attr)s”的取值必须是数字") % {"attr": attr.label}) from None
        if op == "between":
            if len(value) != 2:
                raise RuleError(gettext("条件项“%(attr)s”的区间需要下限和上限两个数") % {"attr": attr.label})
            if value[0] > value[1]:
                raise RuleError(gettext("条件项“%(attr)s”的区间下限大于上限") % {"attr": attr.label})
    elif attr.kind == "bool":
        if isinstance(value, str):
            value = value.strip().lower() in {"true", "1", "是", "yes"}
        value = bool(value)
    elif attr.kind == "idset":
        try:
            value = sorted({int(v) for v in _as_list(value)})
        except (TypeError, ValueError):
            raise RuleError(gettext("条件项“%(attr)s”的取值无效") % {"attr": attr.label}) from None
    else:
        values = [str(v).strip() for v in _as_list(value) if str(v).strip()]
        if attr.key == "industry":
            values = [v.upper() for v in values]
        if attr.kind == "set":
            unknown = [v for v in values if v not in qualification_bits()]
            if unknown:
                raise RuleError(
                    gettext("条件项“%(attr)s”的取值无效：%(values)s")
                    % {"attr": attr.label, "values": "、".join(unknown)}
                )
        if attr.kind == "enum":
            unknown = [v for v in values if v not in SIZE_CLASSES]
            if unknown:
                raise RuleError(
                    gettext("条件项“%(attr)s”的取值无效：%(values)s")
                    % {"attr": attr.label, "values": "、".join(unknown)}
                )
        if not values:
            raise RuleError(gettext("条件项“%(attr)s”缺少取值") % {"attr": attr.label})
        value = values[0] if op in ("eq", "ne") else values
    if value in (None, []):
        raise RuleError(gettext("条件项“%(attr)s”缺少取值") % {"attr": attr.label})
    return {"attr": attr.key, "op": op, "value": value}


def normalize(rule: dict | None) -> dict:
    """Validate a whole rule tree; an empty rule means "every enterprise in scope"."""
    if not rule:
        return {"op": "all", "items": []}
    if not isinstance(rule, dict):
        raise RuleError(gettext("规则格式无效"))
    if rule.get("op") in GROUP_OPS:
        return {"op": rule["op"], "items": [normalize(item) for item in rule.get("items", [])]}
    return normalize_leaf(rule)


def is_group(rule: dict) -> bool:
    return rule.get("op") in GROUP_OPS


def leaves(rule: dict) -> list[dict]:
    if is_group(rule):
        return [leaf for item in rule["items"] for leaf in leaves(item)]
    return [rule]
