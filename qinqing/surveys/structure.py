"""A survey's structure: validation, its flat list of items, the codebook and the item slots. Pure, no ORM.

    {"sections": [{"title": "一、基本情况", "questions": [
        {"code": "A1", "kind": "single", "label": "…", "required": true,
         "options": [{"value": 1, "label": "…"}, …], "show_if": {"code": "A0", "values": [1]}},
        {"code": "B1", "kind": "matrix", "label": "…", "items": [{"code": "B1_1", "label": "…"}, …]},
        {"code": "C1", "kind": "ranking", "label": "…", "options": […], "top_n": 3},
        {"code": "D1", "kind": "scale", "label": "…", "environment": "government", "weight": 1}]}]}

Item codes are stable: results, exports and versions are keyed by them. A show-if condition may only name an
EARLIER question (or matrix row) whose answers are choices or scale points.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .choices import SCALE_LABELS, Kind

CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,19}$")
CHOICE_KINDS = {Kind.SINGLE, Kind.MULTIPLE, Kind.RANKING}
CODED_KINDS = {Kind.SINGLE, Kind.SCALE}  # one character per item in Response.codes
CONDITION_KINDS = {Kind.SINGLE, Kind.MULTIPLE, Kind.SCALE}
MAX_OPTIONS = 60
# The five environments of 万家民营企业评营商环境 (DOMAIN.md §4): key → label.
ENVIRONMENTS = {
    "factor": gettext_lazy("要素"),
    "government": gettext_lazy("政务"),
    "market": gettext_lazy("市场"),
    "law": gettext_lazy("法治"),
    "innovation": gettext_lazy("创新"),
}


@dataclass
class Item:
    """One answerable cell: a question, or one row of a matrix (kind scale)."""

    code: str
    kind: str
    label: str
    question: str  # the question's code (the item's own for non-matrix questions)
    section: str
    required: bool = True
    options: dict[int, str] = field(default_factory=dict)  # value → label (scale: the scale labels)
    show_if: dict | None = None
    top_n: int = 0
    minimum: float | None = None
    maximum: float | None = None
    environment: str = ""
    weight: float = 1.0


def _fail(field_name: str, message: str):
    raise ValidationError({field_name: message})


def _options(q: dict, code: str) -> list[dict]:
    raw = q.get("options") or []
    if not isinstance(raw, list) or len(raw) < 2:
        _fail("options", _("问题“%(code)s”至少需要两个选项") % {"code": code})
    if len(raw) > MAX_OPTIONS:
        _fail("options", _("问题“%(code)s”的选项不能超过 %(n)s 个") % {"code": code, "n": MAX_OPTIONS})
    out, seen = [], set()
    for i, opt in enumerate(raw, start=1):
        if isinstance(opt, str):
            opt = {"value": i, "label": opt}
        if not isinstance(opt, dict):
            _fail("options", _("问题“%(code)s”的选项格式无效") % {"code": code})
        try:
            value = int(opt.get("value", i))
        except (TypeError, ValueError):
            _fail("options", _("问题“%(code)s”的选项值必须是整数") % {"code": code})
        label = str(opt.get("label") or "").strip()
        if not label:
            _fail("options", _("问题“%(code)s”的第 %(n)s 个选项缺少文字") % {"code": code, "n": i})
        if not 1 <= value <= MAX_OPTIONS or value in seen:
            _fail("options", _("问题“%(code)s”的选项值须为 1–60 且不重复") % {"code": code})
        seen.add(value)
        out.append({"value": value, "label": label[:200]})
    return out


def _number(value, name: str, code: str) -> float | None:
    if value in (None, ""):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        _fail(name, _("问题“%(code)s”的%(what)s必须是数字") % {"code": code, "what": name})


def _question(q: dict, seen: dict[str, str]) -> dict:
    if not isinstance(q, dict):
        _fail("structure", _("问题格式无效"))
    code = str(q.get("code") or "").strip()
    if not CODE.match(code):
        _fail("code", _("题目编码“%(code)s”无效：以字母开头，仅含字母、数字和下划线，最多 20 位") % {"code": code})
    if code in seen:
        _fail("code", _("题目编码“%(code)s”重复") % {"code": code})
    kind = q.get("kind")
    if kind not in Kind.values:
        _fail("kind", _("问题“%(code)s”的题型无效") % {"code": code})
    label = str(q.get("label") or "").strip()
    if not label:
        _fail("label", _("问题“%(code)s”缺少题目文字") % {"code": code})
    out = {"code": code, "kind": kind, "label": label[:500], "required": bool(q.get("required", True))}
    if kind in CHOICE_KINDS:
        out["options"] = _options(q, code)
    if kind == Kind.RANKING:
        try:
            top_n = int(q.get("top_n") or 0)
        except (TypeError, ValueError):
            top_n = 0
        if not 1 <= top_n <= len(out["options"]):
            _fail("top_n", _("问题“%(code)s”的“选前 N 项”须在 1 到选项数之间") % {"code": code})
        out["top_n"] = top_n
    if kind == Kind.NUMBER:
        low, high = _number(q.get("min"), "min", code), _number(q.get("max"), "max", code)
        if low is not None and high is not None and low > high:
            _fail("max", _("问题“%(code)s”的最大值小于最小值") % {"code": code})
        out["min"], out["max"] = low, high
    if kind == Kind.MATRIX:
        rows = q.get("items") or []
        if not isinstance(rows, list) or not rows:
            _fail("items", _("矩阵题“%(code)s”至少需要一个子项") % {"code": code})
        out["items"] = []
        for row in rows:
            row_code = str((row or {}).get("code") or "").strip() if isinstance(row, dict) else ""
            row_label = str((row or {}).get("label") or "").strip() if isinstance(row, dict) else ""
            if not CODE.match(row_code):
                _fail("items", _("矩阵题“%(code)s”的子项编码“%(row)s”无效") % {"code": code, "row": row_code})
            if row_code in seen or row_code == code or any(r["code"] == row_code for r in out["items"]):
                _fail("items", _("题目编码“%(code)s”重复") % {"code": row_code})
            if not row_label:
                _fail("items", _("矩阵题“%(code)s”的子项“%(row)s”缺少文字") % {"code": code, "row": row_code})
            item = {"code": row_code, "label": row_label[:300]}
            _environment(row, item, row_code)
            out["items"].append(item)
    _environment(q, out, code)
    condition = q.get("show_if")
    if condition:
        out["show_if"] = _condition(condition, code, seen)
    return out


def _environment(source: dict, out: dict, code: str) -> None:
    env = str(source.get("environment") or "").strip()
    if env:
        if env not in ENVIRONMENTS:
            _fail(
                "environment", _("问题“%(code)s”的环境须为：%(list)s") % {"code": code, "list": ", ".join(ENVIRONMENTS)}
            )
        out["environment"] = env
    if source.get("weight") not in (None, ""):
        try:
            weight = float(source["weight"])
        except (TypeError, ValueError):
            weight = -1
        if weight <= 0:
            _fail("weight", _("问题“%(code)s”的权重须为正数") % {"code": code})
        out["weight"] = weight


def _condition(condition, code: str, seen: dict[str, str]) -> dict:
    if not isinstance(condition, dict):
        _fail("show_if", _("问题“%(code)s”的显示条件格式无效") % {"code": code})
    target = str(condition.get("code") or "").strip()
    if target not in seen:
        _fail(
            "show_if",
            _("问题“%(code)s”的显示条件只能引用前面的问题，“%(target)s”不在它之前") % {"code": code, "target": target},
        )
    if seen[target] not in CONDITION_KINDS:
        _fail("show_if", _("问题“%(code)s”的显示条件须引用单选、多选或量表题") % {"code": code})
    values = condition.get("values")
    if not isinstance(values, list) or not values:
        _fail("show_if", _("问题“%(code)s”的显示条件缺少取值") % {"code": code})
    try:
        values = sorted({int(v) for v in values})
    except (TypeError, ValueError):
        _fail("show_if", _("问题“%(code)s”的显示条件取值必须是整数") % {"code": code})
    return {"code": target, "values": values}


def normalize(structure) -> dict:
    """The structure checked and in canonical form; ValidationError naming the field and the item otherwise."""
    if not isinstance(structure, dict) or not isinstance(structure.get("sections", []), list):
        _fail("structure", _("问卷结构格式无效"))
    seen: dict[str, str] = {}  # code → kind, in order: what a later condition may name
    sections = []
    for index, section in enumerate(structure.get("sections") or [], start=1):
        if not isinstance(section, dict) or not isinstance(section.get("questions", []), list):
            _fail("structure", _("第 %(n)s 部分格式无效") % {"n": index})
        title = str(section.get("title") or "").strip() or _("第 %(n)s 部分") % {"n": index}
        questions = []
        for q in section.get("questions") or []:
            clean = _question(q, seen)
            questions.append(clean)
            seen[clean["code"]] = clean["kind"]
            for row in clean.get("items", []):
                seen[row["code"]] = Kind.SCALE
        sections.append({"title": title[:200], "questions": questions})
    out = {"sections": sections}
    weights = structure.get("environment_weights")
    if weights:
        if not isinstance(weights, dict) or set(weights) - set(ENVIRONMENTS):
            _fail("environment_weights", _("环境权重的键须为：%(list)s") % {"list": ", ".join(ENVIRONMENTS)})
        try:
            out["environment_weights"] = {k: float(v) for k, v in weights.items()}
        except (TypeError, ValueError):
            _fail("environment_weights", _("环境权重须为正数"))
        if any(v <= 0 for v in out["environment_weights"].values()):
            _fail("environment_weights", _("环境权重须为正数"))
    return out


def questions(structure: dict) -> list[dict]:
    return [q for s in structure.get("sections", []) for q in s["questions"]]


def items(structure: dict) -> list[Item]:
    """Every answerable item in order (matrix rows become scale items of their question)."""
    scale = {k: str(v) for k, v in SCALE_LABELS.items()}
    out = []
    for section in structure.get("sections", []):
        for q in section["questions"]:
            common = {"section": section["title"], "required": q.get("required", True), "show_if": q.get("show_if")}
            if q["kind"] == Kind.MATRIX:
                for row in q["items"]:
                    out.append(Item(row["code"], Kind.SCALE, f"{q['label']}—{row['label']}", q["code"],
                                    options=scale, environment=row.get("environment") or q.get("environment", ""),
                                    weight=row.get("weight", 1.0), **common))  # fmt: skip
                continue
            options = scale if q["kind"] == Kind.SCALE else {o["value"]: o["label"] for o in q.get("options", [])}
            out.append(Item(q["code"], q["kind"], q["label"], q["code"], options=options, top_n=q.get("top_n", 0),
                            minimum=q.get("min"), maximum=q.get("max"), environment=q.get("environment", ""),
                            weight=q.get("weight", 1.0), **common))  # fmt: skip
    return out


def assign_slots(slots: dict, structure: dict) -> dict:
    """Slots with a position for every coded item not placed yet (positions never move)."""
    out = dict(slots or {})
    for item in items(structure):
        if item.kind in CODED_KINDS and item.code not in out:
            out[item.code] = len(out)
    return out


def check_codes_kept(old: dict, new: dict) -> None:
    """A code that has answers keeps its meaning: an item may not change kind once a version holds it."""
    before = {i.code: i.kind for i in items(old)}
    for item in items(new):
        if item.code in before and before[item.code] != item.kind:
            _fail("code", _("题目编码“%(code)s”已用于此前的版本，不能改为其他题型") % {"code": item.code})
