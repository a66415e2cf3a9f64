"""Column parsers: each takes a whole column of strings and returns values plus (index, reason) errors.

Working column by column keeps the hot loop tight and lets one reason be phrased once per column.
"""

import datetime
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

Parsed = tuple[list, list[tuple[int, str]]]

MASK_CHAR = "*"


def text(values: list[str], max_length: int) -> Parsed:
    reason = _("超过%(max)s个字符") % {"max": max_length}
    errors = [(i, reason) for i, v in enumerate(values) if len(v) > max_length]
    return values, errors


def integer(values: list[str]) -> Parsed:
    out: list = [None] * len(values)
    errors = []
    for i, v in enumerate(values):
        if not v:
            continue
        s = v.replace(",", "")
        if s.endswith(".0"):
            s = s[:-2]
        if s.isdigit():
            out[i] = int(s)
        else:
            errors.append((i, _("应为非负整数")))
    return out, errors


def decimal(values: list[str], places: int = 2) -> Parsed:
    out: list = [None] * len(values)
    errors = []
    quantum = Decimal(1).scaleb(-places)
    for i, v in enumerate(values):
        if not v:
            continue
        try:
            d = Decimal(v.replace(",", ""))
        except InvalidOperation:
            errors.append((i, _("应为数字（单位：万元）")))
            continue
        if not d.is_finite() or d < 0:
            errors.append((i, _("应为非负数字（单位：万元）")))
            continue
        out[i] = d.quantize(quantum)
    return out, errors


_DATE_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T].*)?$")
_COMPACT_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def date(values: list[str]) -> Parsed:
    out: list = [None] * len(values)
    errors = []
    for i, v in enumerate(values):
        if not v:
            continue
        m = _DATE_RE.match(v) or _COMPACT_RE.match(v)
        if m is None:
            errors.append((i, _("日期格式应为 2020-01-31")))
            continue
        try:
            out[i] = datetime.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            errors.append((i, _("不是有效日期")))
    return out, errors


def year(values: list[str]) -> Parsed:
    out, errors = integer(values)
    this_year = datetime.date.today().year
    for i, y in enumerate(out):
        if y is not None and not 1949 <= y <= this_year:
            errors.append((i, _("年度应在1949至%(year)s之间") % {"year": this_year}))
            out[i] = None
    return out, errors


def choice(values: list[str], labels: dict[str, str], what: str) -> Parsed:
    """Map a label (or a code) to its code; ``labels`` maps label→code."""
    codes = set(labels.values())
    out: list = [None] * len(values)
    errors = []
    for i, v in enumerate(values):
        if not v:
            continue
        code = labels.get(v) or (v if v in codes else None)
        if code is None:
            errors.append(
                (i, _("不是有效的%(what)s（可选：%(options)s）") % {"what": what, "options": "、".join(labels)})
            )
        else:
            out[i] = code
    return out, errors


_SPLIT_RE = re.compile(r"[、,，;；/\s]+")


def multi_choice(values: list[str], labels: dict[str, str], what: str) -> Parsed:
    codes = set(labels.values())
    out: list = [""] * len(values)
    errors = []
    for i, v in enumerate(values):
        if not v:
            continue
        picked = []
        for part in _SPLIT_RE.split(v):
            if not part:
                continue
            code = labels.get(part) or (part if part in codes else None)
            if code is None:
                errors.append((i, _("“%(value)s”不是有效的%(what)s") % {"value": part, "what": what}))
                break
            if code not in picked:
                picked.append(code)
        else:
            order = list(labels.values())
            out[i] = ",".join(sorted(picked, key=order.index))
    return out, errors


def each(values: list[str], check: Callable[[str], str], error_types: tuple, fast=None) -> Parsed:
    """Apply a per-value validator (a standards function) that raises on bad input; ``fast(v)`` True
    accepts an already-clean value without the full check."""
    out: list = [""] * len(values)
    errors = []
    for i, v in enumerate(values):
        if not v:
            continue
        if fast is not None and fast(v):
            out[i] = v
            continue
        try:
            out[i] = check(v)
        except error_types as exc:
            errors.append((i, str(exc)))
    return out, errors


def is_masked(value: str) -> bool:
    return MASK_CHAR in value


def credit_codes(values: list[str]) -> tuple[list, list[tuple[int, str]], list[tuple[int, str]]]:
    """统一社会信用代码 normalised (lower case, full width: each a note) and checked; returns the codes,
    the (index, reason) errors and the (index, note) notes."""
    from ..standards import uscc

    out: list = [""] * len(values)
    errors, notes = [], []
    for i, value in enumerate(values):
        if not value:
            continue
        code, row_notes = uscc.normalize(value)
        notes.extend((i, note) for note in row_notes)
        try:
            out[i] = uscc.validate(code)
        except uscc.InvalidCreditCode as exc:
            errors.append((i, str(exc)))
    return out, errors, notes
