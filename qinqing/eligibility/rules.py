"""Eligibility rules: vocabulary, validation, explanation for one enterprise, vectorised evaluation for all.

Pure module: no ORM. A rule is a JSON tree stored on the policy:

    {"op": "all", "items": [
        {"attr": "employees", "op": "ge", "value": 10},
        {"op": "any", "items": [{"attr": "qualifications", "op": "has_any", "value": ["高新技术企业"]}, …]},
    ]}

Logic is three-valued (Kleene): a leaf is met (True), not met (False) or unknown (None, the enterprise's
datum is missing). ``all`` is False if any item is False, else unknown if any is unknown, else True; ``any``
is True if any item is True, else unknown if any is unknown, else False. Polars' boolean ``&``/``|`` follow
the same Kleene logic on nulls, which is why :func:`explain` and :func:`evaluate_all` agree by construction
(and a property-based test checks it).

Verdicts for one enterprise (see :class:`Explanation`):
- ``eligible``: the root is met;
- ``near_miss``: the root is not met, and turning one single not-met leaf into met would make the root met
  (every such leaf is listed as the "missing condition");
- ``unknown``: the root is unknown (data missing), it cannot be decided;
- ``not_eligible``: the root is not met and no single leaf would change that.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, reduce
from typing import Any

import polars as pl
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


# --- one enterprise, explained -------------------------------------------------------------------


def _missing(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, float) and value != value)


def evaluate_leaf(leaf: dict, attrs: dict) -> bool | None:
    attr = ATTRIBUTES[leaf["attr"]]
    actual = attrs.get(attr.key)
    if _missing(actual):
        return None
    op, value = leaf["op"], leaf["value"]
    if attr.key == "industry":
        actual = normalize_industry(actual)
    if attr.kind == "code":
        if op == "startswith":
            return any(_code_startswith(attr.key, actual, prefix) for prefix in value)
        if op in ("in", "not_in"):
            found = actual in value
            return found if op == "in" else not found
        return actual == value if op == "eq" else actual != value
    if attr.kind == "enum":
        if op in ("in", "not_in"):
            return (actual in value) == (op == "in")
        return (actual == value) == (op == "eq")
    if attr.kind == "number":
        actual = float(actual)
        if op == "between":
            return value[0] <= actual <= value[1]
        return {
            "eq": actual == value,
            "ne": actual != value,
            "gt": actual > value,
            "ge": actual >= value,
            "lt": actual < value,
            "le": actual <= value,
        }[op]
    if attr.kind == "bool":
        return bool(actual) == value
    held = set(actual)
    wanted = set(value)
    if op == "has_any":
        return bool(held & wanted)
    if op == "has_all":
        return wanted <= held
    return not (held & wanted)


def _code_startswith(key: str, actual: str, prefix: str) -> bool:
    if key == "industry" and prefix[:1].isdigit():
        return actual[1:].startswith(prefix)  # digit prefix compares against the 大类/中类 digits
    return actual.startswith(prefix)


def _combine(op: str, results: list[bool | None]) -> bool | None:
    if op == "all":
        if any(r is False for r in results):
            return False
        return None if any(r is None for r in results) else True
    if any(r is True for r in results):
        return True
    return None if any(r is None for r in results) else False


def evaluate(rule: dict, attrs: dict, overrides: dict[int, bool] | None = None) -> bool | None:
    """Three-valued result of a rule for one enterprise; ``overrides`` forces leaves (by index) for what-ifs."""
    counter = iter(range(1_000_000))

    def walk(node: dict) -> bool | None:
        if is_group(node):
            return _combine(node["op"], [walk(item) for item in node["items"]])
        index = next(counter)
        if overrides and index in overrides:
            return overrides[index]
        return evaluate_leaf(node, attrs)

    return walk(rule)


@dataclass
class LeafResult:
    index: int
    attr: str
    label: str
    text: str  # the condition in words, e.g. 从业人数 大于等于 10 人
    actual: str  # the enterprise's datum in words, "" when unknown
    status: str  # met | not_met | unknown
    missing_hint: str = ""


@dataclass
class Explanation:
    verdict: str  # eligible | near_miss | unknown | not_eligible
    leaves: list[LeafResult] = field(default_factory=list)
    near_miss: list[LeafResult] = field(default_factory=list)  # single conditions that would make it eligible

    @property
    def eligible(self) -> bool:
        return self.verdict == "eligible"

    relevant_unknown: list[LeafResult] = field(default_factory=list)  # unknowns that decide the outcome

    @property
    def missing_data(self) -> list[str]:
        return sorted({leaf.missing_hint for leaf in self.relevant_unknown})

    @property
    def verdict_label(self) -> str:
        return str(VERDICTS[self.verdict])


VERDICTS = {
    "eligible": _("符合"),
    "near_miss": _("差一项"),
    "unknown": _("待补充数据"),
    "not_eligible": _("不符合"),
}


Names = dict[str, dict[str, str]]  # attribute key → raw value (as text) → how to show it (labels.value_names)


def describe_value(attr_key: str, value: Any, names: Names | None = None) -> str:
    """A condition's value or an enterprise's datum in words; ``names`` turns ids and codes into names
    (chamber ids into chamber names, codes into "3311 金属结构制造")."""
    attr = ATTRIBUTES[attr_key]
    if _missing(value):
        return ""
    own = (names or {}).get(attr_key, {})
    if attr.kind == "bool":
        return gettext("是") if value else gettext("否")
    if attr.kind == "enum":
        values = value if isinstance(value, list) else [value]
        return "、".join(str(SIZE_CLASSES.get(v, v)) for v in values)
    if attr.kind in ("set", "idset"):
        return "、".join(own.get(str(v), str(v)) for v in value) or gettext("无")
    if attr.kind == "number":
        if isinstance(value, list):
            return f"{_num(value[0])}～{_num(value[1])}{attr.unit}"
        return f"{_num(value)}{attr.unit}"
    if isinstance(value, list):
        return "、".join(own.get(str(v)) or _code_text(attr_key, v) for v in value)
    return own.get(str(value)) or _code_text(attr_key, value)


def _code_text(key: str, code: str) -> str:
    if key == "industry" and len(code) == 1 and code in SECTION_NAMES:
        return f"{code} {SECTION_NAMES[code]}"
    return str(code)


def _num(value: float) -> str:
    value = float(value)
    return str(int(value)) if value.is_integer() else f"{value:.2f}".rstrip("0")


def describe_leaf(leaf: dict, names: Names | None = None) -> str:
    attr = ATTRIBUTES[leaf["attr"]]
    return f"{attr.label} {OPERATORS[leaf['op']]} {describe_value(attr.key, leaf['value'], names)}"


def describe_tree(rule: dict, names: Names | None = None, explanation: Explanation | None = None) -> dict:
    """The rule as nested groups for display: {"kind": "group", "label", "items"} and {"kind": "leaf", "text",
    and with an explanation "status", "actual", "missing_hint"}; leaves are numbered as in explain()."""
    counter = iter(range(1_000_000))
    results = explanation.leaves if explanation is not None else []

    def walk(node: dict) -> dict:
        if is_group(node):
            items = [walk(item) for item in node["items"]]
            return {"kind": "group", "op": node["op"], "label": str(GROUP_OPS[node["op"]]), "items": items}
        index = next(counter)
        item = {"kind": "leaf", "text": describe_leaf(node, names), "status": "", "actual": "", "missing_hint": ""}
        if index < len(results):
            result = results[index]
            item.update(status=result.status, actual=result.actual, missing_hint=result.missing_hint)
        return item

    return walk(rule or {"op": "all", "items": []})


def explain(rule: dict, attrs: dict, names: Names | None = None) -> Explanation:
    """Explain a rule for one enterprise's attributes (keys of ATTRIBUTES; missing/None = unknown)."""
    flat = leaves(rule)
    results: list[LeafResult] = []
    for index, leaf in enumerate(flat):
        outcome = evaluate_leaf(leaf, attrs)
        attr = ATTRIBUTES[leaf["attr"]]
        results.append(
            LeafResult(
                index=index,
                attr=attr.key,
                label=str(attr.label),
                text=describe_leaf(leaf, names),
                actual=describe_value(attr.key, attrs.get(attr.key), names),
                status={True: "met", False: "not_met", None: "unknown"}[outcome],
                missing_hint=str(attr.missing_hint) if outcome is None else "",
            )
        )
    root = evaluate(rule, attrs)
    if root is True:
        return Explanation("eligible", results)
    if root is None:
        # Only the unknowns whose value would change the outcome are worth asking the enterprise for.
        relevant = [
            r
            for r in results
            if r.status == "unknown"
            and evaluate(rule, attrs, {r.index: True}) != evaluate(rule, attrs, {r.index: False})
        ]
        return Explanation(
            "unknown", results, relevant_unknown=relevant or [r for r in results if r.status == "unknown"]
        )
    fixes = [r for r in results if r.status == "not_met" and evaluate(rule, attrs, {r.index: True}) is True]
    return Explanation("near_miss" if fixes else "not_eligible", results, fixes)


# --- all enterprises at once ------------------------------------------------------------------------

FRAME_SCHEMA: dict[str, pl.DataType] = {
    "id": pl.Int64,
    "region": pl.Utf8,
    "industry": pl.Utf8,  # normalised: 门类 letter + digits
    "size_class": pl.Utf8,
    "years": pl.Float64,
    "employees": pl.Float64,
    "revenue": pl.Float64,
    "tax": pl.Float64,
    "rd_ratio": pl.Float64,
    "total_assets": pl.Float64,
    "qualifications": pl.Int64,  # bit mask over QUALIFICATIONS
    "member": pl.Boolean,
    "chambers": pl.List(pl.Int64),
}


def qualification_mask(names) -> int | None:
    if names is None:
        return None
    bits = qualification_bits()
    return sum(bits.get(name, 0) for name in set(names))


def frame_from_records(records: list[dict]) -> pl.DataFrame:
    """Build the matching frame from attribute dicts (tests, single-enterprise re-matching)."""
    columns: dict[str, list] = {key: [] for key in FRAME_SCHEMA}
    for record in records:
        for key in FRAME_SCHEMA:
            value = record.get(key)
            if _missing(value):
                value = None
            elif key == "industry":
                value = normalize_industry(value)
            elif key == "qualifications":
                value = qualification_mask(value)
            elif key == "chambers":
                value = list(value)
            columns[key].append(value)
    return pl.DataFrame(columns, schema=FRAME_SCHEMA)


def _leaf_expr(leaf: dict, codes: dict[str, dict[str, int]] | None = None) -> pl.Expr:
    attr = ATTRIBUTES[leaf["attr"]]
    col = pl.col(attr.key)
    op, value = leaf["op"], leaf["value"]
    if codes and attr.key in codes:
        # The column holds small integer codes of its distinct values: decide the condition once per distinct
        # value with the very function explain() uses, then test membership of integers (fast, and agreeing).
        wanted = [code for text, code in codes[attr.key].items() if evaluate_leaf(leaf, {attr.key: text}) is True]
        return col.is_in(wanted)
    if attr.kind == "code":
        if op == "startswith":
            tests = []
            for prefix in value:
                if attr.key == "industry" and prefix[:1].isdigit():
                    tests.append(col.str.slice(1).str.starts_with(prefix))
                else:
                    tests.append(col.str.starts_with(prefix))
            test = reduce(lambda a, b: a | b, tests)
        elif op in ("in", "not_in"):
            test = col.is_in(value)
            test = test if op == "in" else ~test
        else:
            test = col == value if op == "eq" else col != value
    elif attr.kind == "enum":
        values = value if isinstance(value, list) else [value]
        test = col.is_in(values)
        test = test if op in ("in", "eq") else ~test
    elif attr.kind == "number":
        if op == "between":
            test = (col >= value[0]) & (col <= value[1])
        else:
            test = {
                "eq": col == value,
                "ne": col != value,
                "gt": col > value,
                "ge": col >= value,
                "lt": col < value,
                "le": col <= value,
            }[op]
    elif attr.kind == "bool":
        test = col == value
    elif attr.kind == "set":
        mask = qualification_mask(value)
        if op == "has_any":
            test = (col & mask) != 0
        elif op == "has_all":
            test = (col & mask) == mask
        else:
            test = (col & mask) == 0
    else:  # idset
        hit = col.list.eval(pl.element().is_in(value)).list.any()
        test = hit if op == "has_any" else ~hit
        # Missing datum → unknown (null) explicitly here; elsewhere Polars already propagates nulls
        # through comparisons, is_in, bit operations and negation (checked by the property test).
        return pl.when(col.is_null()).then(pl.lit(None, dtype=pl.Boolean)).otherwise(test)
    return test


def to_expr(rule: dict, codes: dict[str, dict[str, int]] | None = None) -> pl.Expr:
    """The rule as a Polars boolean expression with Kleene (three-valued) logic."""
    if is_group(rule):
        parts = [to_expr(item, codes) for item in rule["items"]]
        if not parts:
            return pl.lit(rule["op"] == "all", dtype=pl.Boolean)
        return reduce((lambda a, b: a & b) if rule["op"] == "all" else (lambda a, b: a | b), parts)
    return _leaf_expr(rule, codes)


CODED = ("region", "industry", "size_class")


def encode_codes(frame: pl.DataFrame, chambers: bool = True) -> tuple[pl.DataFrame, dict[str, dict[str, int]]]:
    """Replace the text columns by integer codes of their distinct values (a few hundred at most)."""
    codes: dict[str, dict[str, int]] = {}
    columns = []
    for key in CODED:
        if key not in frame.columns or frame.schema[key] != pl.Utf8:
            continue
        distinct = [v for v in frame.get_column(key).unique().to_list() if v is not None]
        codes[key] = {text: i for i, text in enumerate(distinct)}
        columns.append(pl.col(key).replace_strict(codes[key], default=None, return_dtype=pl.UInt32))
    if chambers and "chambers" in frame.columns and frame.schema["chambers"] == pl.List(pl.Int64):
        # The same for chamber lists (few distinct ones: most enterprises belong to none, some to one or two):
        # each chamber condition becomes an integer is_in instead of a list scan per row.
        keys = frame.get_column("chambers").list.eval(pl.element().cast(pl.Utf8)).list.join(",")
        distinct = [v for v in keys.unique().to_list() if v is not None]
        codes["chambers"] = {tuple(int(x) for x in text.split(",") if x): i for i, text in enumerate(distinct)}
        by_text = {text: i for i, text in enumerate(distinct)}
        columns_after = keys.replace_strict(by_text, default=None, return_dtype=pl.UInt32).alias("chambers")
        frame = frame.with_columns(columns_after)
    return (frame.with_columns(columns) if columns else frame), codes


def evaluate_all(rules: dict[Any, dict], frame: pl.DataFrame) -> dict[Any, pl.Series]:
    """Eligible enterprise ids (sorted UInt32 Series, as idsets stores them) for each rule.

    One ``select`` computes every rule's boolean column in a single parallel pass over the frame (Polars
    shares the column reads); then each column picks its ids with ``Series.filter``, which keeps only true
    rows — unknown (null) is excluded without a fill_null. Half the CPU of one lazy filter query per rule
    run by ``collect_all`` (which filters the whole frame per rule); 32-bit ids halve the memory written.
    """
    if not rules:
        return {}
    if not frame.get_column("id").is_sorted():
        frame = frame.sort("id")
    uses_chambers = any(leaf["attr"] == "chambers" for rule in rules.values() for leaf in leaves(rule))
    frame, codes = encode_codes(frame, chambers=uses_chambers)
    keys = list(rules)
    masks = frame.lazy().select([to_expr(rules[key], codes).alias(f"r{i}") for i, key in enumerate(keys)]).collect()
    ids = frame.get_column("id").cast(pl.UInt32, strict=True)
    if masks.width and masks.height != frame.height:  # a rule with no condition is one literal: broadcast it
        masks = pl.DataFrame({name: pl.repeat(masks[name][0], frame.height, eager=True) for name in masks.columns})
    return {key: ids.filter(masks.get_column(f"r{i}")) for i, key in enumerate(keys)}


def frame_row_attrs(frame: pl.DataFrame, index: int) -> dict:
    """One frame row back as the attribute dict explain() takes (qualification mask → names)."""
    row = frame.row(index, named=True)
    mask = row.get("qualifications")
    if mask is not None:
        row["qualifications"] = [name for name, bit in qualification_bits().items() if mask & bit]
    return row
