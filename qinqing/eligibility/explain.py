"""One enterprise, explained: three-valued evaluation of a rule on one enterprise's attributes, the verdict
(eligible, near miss, unknown, not eligible) and the rule and data in words. Pure module: no ORM."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from .vocabulary import (
    ATTRIBUTES,
    GROUP_OPS,
    OPERATORS,
    SECTION_NAMES,
    SIZE_CLASSES,
    is_group,
    leaves,
    normalize_industry,
)

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
Words = dict[str, dict[str, str]]  # "label" / "unit" / "hint" → attribute key, "op" → operator: translated


@cache
def _words_in(language: str | None) -> Words:
    return {
        "label": {key: str(attr.label) for key, attr in ATTRIBUTES.items()},
        "unit": {key: str(attr.unit) for key, attr in ATTRIBUTES.items()},
        "hint": {key: str(attr.missing_hint) for key, attr in ATTRIBUTES.items()},
        "op": {op: str(label) for op, label in OPERATORS.items()},
    }


def words() -> Words:
    """The vocabulary's labels, units, hints and operators in the active language, translated once per language: a
    lazy label translates on every use, a lookup of the active language each time, and a page explaining hundreds
    of policies (我的政策) put ~5,000 of them into words."""
    return _words_in(get_language())


def describe_value(attr_key: str, value: Any, names: Names | None = None, vocabulary: Words | None = None) -> str:
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
        unit = (vocabulary or words())["unit"][attr_key]
        if isinstance(value, list):
            return f"{_num(value[0])}～{_num(value[1])}{unit}"
        return f"{_num(value)}{unit}"
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


def describe_leaf(leaf: dict, names: Names | None = None, vocabulary: Words | None = None) -> str:
    vocabulary = vocabulary or words()
    key = ATTRIBUTES[leaf["attr"]].key
    value = describe_value(key, leaf["value"], names, vocabulary)
    return f"{vocabulary['label'][key]} {vocabulary['op'][leaf['op']]} {value}"


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
    vocabulary = words()
    results: list[LeafResult] = []
    for index, leaf in enumerate(flat):
        outcome = evaluate_leaf(leaf, attrs)
        key = ATTRIBUTES[leaf["attr"]].key
        results.append(
            LeafResult(
                index=index,
                attr=key,
                label=vocabulary["label"][key],
                text=describe_leaf(leaf, names, vocabulary),
                actual=describe_value(key, attrs.get(key), names, vocabulary),
                status={True: "met", False: "not_met", None: "unknown"}[outcome],
                missing_hint=vocabulary["hint"][key] if outcome is None else "",
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
    fixes = [results[i] for i in _fixing(rule, attrs, [r.index for r in results if r.status == "not_met"])]
    return Explanation("near_miss" if fixes else "not_eligible", results, fixes)


def _fixing(rule: dict, attrs: dict, not_met: list[int]) -> Iterator[int]:
    """The not-met leaves (by index) that alone, met, would make the rule met: a near miss."""
    return (index for index in not_met if evaluate(rule, attrs, {index: True}) is True)


def verdict(rule: dict, attrs: dict) -> str:
    """explain()'s verdict alone, without putting the rule and the data into words: for a page that shows the
    policies an enterprise does not meet only as a number (我的政策), a third to a half of its explanations."""
    root = evaluate(rule, attrs)
    if root is not False:
        return "eligible" if root else "unknown"
    not_met = [index for index, leaf in enumerate(leaves(rule)) if evaluate_leaf(leaf, attrs) is False]
    return "near_miss" if next(_fixing(rule, attrs, not_met), None) is not None else "not_eligible"
