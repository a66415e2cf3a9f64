"""Checking one respondent's answers against a structure, and their one-character codes. Pure, no ORM.

Answers are a dict item code → value: an int for single choice and scale points (1–5, 9 = 不了解), a list of
ints for multiple choice, an ordered list of ints for a ranking, a number, or a text. Items hidden by a show-if
condition are dropped; required visible items must be answered.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .choices import Kind
from .structure import Item

ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"  # value → character
BLANK = "_"
MAX_TEXT = 2000


def _is_blank(value) -> bool:
    return value is None or value == "" or value == [] or (isinstance(value, str) and not value.strip())


def _int(value):
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, float) and not value.is_integer():
        raise ValueError
    return int(str(value).strip()) if isinstance(value, str) else int(value)


def _as_list(value) -> list:
    if isinstance(value, list | tuple):
        return list(value)
    if isinstance(value, str):
        return [v for v in value.replace("；", ";").replace(",", ";").split(";") if v.strip()]
    return [value]


def visible(item: Item, answers: dict) -> bool:
    condition = item.show_if
    if not condition:
        return True
    given = answers.get(condition["code"])
    if given is None:
        return False
    given = set(given) if isinstance(given, list) else {given}
    return bool(given & set(condition["values"]))


def clean_value(item: Item, value):
    """The canonical value, or raise ValueError with a Chinese message naming the item."""
    name = {"code": item.code}
    if item.kind in (Kind.SINGLE, Kind.SCALE):
        try:
            v = _int(value)
        except (TypeError, ValueError):
            raise ValueError(_("第“%(code)s”题的答案必须是选项编号") % name) from None
        if v not in item.options:
            raise ValueError(_("第“%(code)s”题没有选项 %(value)s") % {**name, "value": v})
        return v
    if item.kind in (Kind.MULTIPLE, Kind.RANKING):
        try:
            values = [_int(v) for v in _as_list(value)]
        except (TypeError, ValueError):
            raise ValueError(_("第“%(code)s”题的答案必须是选项编号") % name) from None
        unknown = [v for v in values if v not in item.options]
        if unknown:
            raise ValueError(_("第“%(code)s”题没有选项 %(value)s") % {**name, "value": unknown[0]})
        if len(set(values)) != len(values):
            raise ValueError(_("第“%(code)s”题的选项重复") % name)
        if item.kind == Kind.RANKING and len(values) > item.top_n:
            raise ValueError(_("第“%(code)s”题最多选 %(n)s 项") % {**name, "n": item.top_n})
        return values if item.kind == Kind.RANKING else sorted(values)
    if item.kind == Kind.NUMBER:
        try:
            v = float(str(value).strip().replace(",", ""))
        except (TypeError, ValueError):
            raise ValueError(_("第“%(code)s”题的答案必须是数字") % name) from None
        if v != v or v in (float("inf"), float("-inf")):
            raise ValueError(_("第“%(code)s”题的答案必须是数字") % name)
        if item.minimum is not None and v < item.minimum:
            raise ValueError(_("第“%(code)s”题的答案不能小于 %(n)s") % {**name, "n": f"{item.minimum:g}"})
        if item.maximum is not None and v > item.maximum:
            raise ValueError(_("第“%(code)s”题的答案不能大于 %(n)s") % {**name, "n": f"{item.maximum:g}"})
        return int(v) if v.is_integer() and abs(v) < 2**53 else v
    text = str(value).strip()
    if len(text) > MAX_TEXT:
        raise ValueError(_("第“%(code)s”题的答案不能超过 %(n)s 字") % {**name, "n": MAX_TEXT})
    return text


def clean(items: list[Item], raw: dict) -> tuple[dict, dict[str, str]]:
    """(answers, errors by item code): in order, so a condition sees the earlier answers already cleaned."""
    if not isinstance(raw, dict):
        return {}, {"answers": _("答案格式无效")}
    answers: dict = {}
    errors: dict[str, str] = {}
    known = {i.code for i in items}
    for code in raw:
        if code not in known:
            errors[str(code)[:40]] = _("问卷中没有题目“%(code)s”") % {"code": str(code)[:40]}
    for item in items:
        if not visible(item, answers):
            continue
        value = raw.get(item.code)
        if _is_blank(value):
            if item.required:
                errors[item.code] = _("第“%(code)s”题为必答题") % {"code": item.code}
            continue
        try:
            answers[item.code] = clean_value(item, value)
        except ValueError as exc:
            errors[item.code] = str(exc)
    return answers, errors


def encode(slots: dict[str, int], answers: dict) -> str:
    """The coded answers as one string: position slots[code] holds the value's character, "_" when none."""
    chars = [BLANK] * len(slots)
    for code, position in slots.items():
        value = answers.get(code)
        if isinstance(value, int) and 0 <= value < len(ALPHABET):
            chars[position] = ALPHABET[value]
    return "".join(chars)


VALUE_KINDS = {Kind.MULTIPLE, Kind.RANKING, Kind.NUMBER, Kind.TEXT}  # kept column-wise in AnswerValue


def values(kinds: dict[str, str], answers: dict) -> list[tuple[str, int, int | None, float | None, str]]:
    """The answers not held in the coded string, one (item, position, option, number, text) per value: each
    chosen option of a multiple-choice or ranking item in answer order, a number, a text."""
    out: list[tuple[str, int, int | None, float | None, str]] = []
    for code, value in answers.items():
        kind = kinds.get(code)
        if kind in (Kind.MULTIPLE, Kind.RANKING) and isinstance(value, list):
            out.extend((code, position, int(v), None, "") for position, v in enumerate(value))
        elif kind == Kind.NUMBER and isinstance(value, int | float) and not isinstance(value, bool):
            out.append((code, 0, None, float(value), ""))
        elif kind == Kind.TEXT and value not in (None, ""):
            out.append((code, 0, None, None, str(value)))
    return out
