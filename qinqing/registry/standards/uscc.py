"""统一社会信用代码 (Unified Social Credit Code, GB 32100-2015).

Layout of the 18 characters::

    1      登记管理部门代码 (registration authority: 1–9, A–N, Y …)
    2      机构类别代码 (entity category)
    3–8    登记管理机关行政区划码 (GB/T 2260 region of the registering office, digits)
    9–17   主体标识码 (GB 11714 organisation code, itself carrying a check character)
    18     校验码 (check character over positions 1–17)

The alphabet is the 31 characters ``0-9`` plus upper-case letters without I, O, Z, S, V.
Check character: ``C18 = 31 − (Σ value(Ci) × Wi mod 31)``, where 31 maps to ``0``.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

__all__ = [
    "ALPHABET",
    "WEIGHTS",
    "InvalidCreditCode",
    "check_char",
    "is_valid",
    "normalize",
    "organization_code_valid",
    "region_code",
    "validate",
    "validate_many",
]

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18

_VALUE = {c: i for i, c in enumerate(ALPHABET)}
_ALPHABET_SET = frozenset(ALPHABET)
_DIGITS = frozenset("0123456789")
# Per position: character -> weighted value mod 31, so a checksum is 17 dict lookups.
_TABLE = tuple({c: (v * w) % 31 for c, v in _VALUE.items()} for w in WEIGHTS)
# Letters people type by mistake for the digits they resemble.
_LOOKALIKE = {"O": "0", "I": "1", "Z": "2", "S": "5"}
_WHITESPACE = re.compile(r"[\s\u3000\u200b\ufeff]+")

# GB 11714 organisation code: weights over the first 8 characters, check is 11 − (Σ mod 11).
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


class InvalidCreditCode(ValueError):
    """Raised with a Chinese explanation when a 统一社会信用代码 is not valid."""

    def __init__(self, message: str, *, position: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.position = position  # 1-based position of the offending character, if any


def _to_halfwidth(text: str) -> str:
    out = []
    for ch in text:
        code = ord(ch)
        if 0xFF01 <= code <= 0xFF5E:
            out.append(chr(code - 0xFEE0))
        elif code == 0x3000:
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def normalize(raw: str) -> tuple[str, list[str]]:
    """Return the code stripped of spaces, in half-width upper case, and notes on what changed."""
    notes: list[str] = []
    text = "" if raw is None else str(raw)
    half = _to_halfwidth(text)
    if half != text:
        notes.append(_("已将全角字符转为半角"))
    compact = _WHITESPACE.sub("", half)
    if compact != half:
        notes.append(_("已去除空格"))
    upper = compact.upper()
    if upper != compact:
        notes.append(_("已将小写字母转为大写"))
    return upper, notes


def check_char(first17: str) -> str:
    """Return the check character (position 18) for the first 17 characters of a code."""
    if len(first17) != LENGTH - 1:
        raise InvalidCreditCode(_("计算校验码需要前17位，实际为%(length)s位") % {"length": len(first17)})
    total = 0
    for i, ch in enumerate(first17):
        try:
            total += _TABLE[i][ch]
        except KeyError:
            raise InvalidCreditCode(_illegal_char_message(i + 1, ch), position=i + 1) from None
    return ALPHABET[(31 - total % 31) % 31]


def _illegal_char_message(position: int, ch: str) -> str:
    values = {"position": position, "char": ch, "suggestion": _LOOKALIKE.get(ch, "")}
    if 3 <= position <= 8:
        if ch in _LOOKALIKE:
            return (
                _(
                    "统一社会信用代码第%(position)s位字符“%(char)s”不合法：第3至8位为登记管理机关行政区划码，"
                    "只能是数字（是否应为“%(suggestion)s”？）"
                )
                % values
            )
        return (
            _("统一社会信用代码第%(position)s位字符“%(char)s”不合法：第3至8位为登记管理机关行政区划码，只能是数字")
            % values
        )
    if ch in _LOOKALIKE:
        return (
            _(
                "统一社会信用代码第%(position)s位字符“%(char)s”不合法："
                "只能是数字或除 I、O、Z、S、V 以外的大写英文字母（是否应为“%(suggestion)s”？）"
            )
            % values
        )
    return (
        _("统一社会信用代码第%(position)s位字符“%(char)s”不合法：只能是数字或除 I、O、Z、S、V 以外的大写英文字母")
        % values
    )


def validate(raw: str) -> str:
    """Return the normalised code, or raise ``InvalidCreditCode`` saying what is wrong."""
    code, _notes = normalize(raw)
    if not code:
        raise InvalidCreditCode(_("统一社会信用代码不能为空"))
    if len(code) != LENGTH:
        raise InvalidCreditCode(_("统一社会信用代码应为18位，实际为%(length)s位") % {"length": len(code)})
    for i, ch in enumerate(code):
        position = i + 1
        allowed = _DIGITS if 3 <= position <= 8 else _ALPHABET_SET
        if ch not in allowed:
            raise InvalidCreditCode(_illegal_char_message(position, ch), position=position)
    expected = check_char(code[:17])
    if code[17] != expected:
        raise InvalidCreditCode(_check_message(expected, code[17]), position=18)
    return code


def _check_message(expected: str, actual: str) -> str:
    return _("统一社会信用代码校验码错误：第18位应为“%(expected)s”，实际为“%(actual)s”") % {
        "expected": expected,
        "actual": actual,
    }


def is_valid(raw: str) -> bool:
    """True when ``validate`` would accept the value."""
    try:
        validate(raw)
    except InvalidCreditCode:
        return False
    return True


def region_code(code: str) -> str:
    """Return positions 3–8: the GB/T 2260 code of the registering office's region."""
    return validate(code)[2:8]


def organization_code_valid(code: str) -> bool:
    """True when positions 9–17 carry a correct GB 11714 organisation-code check character.

    Informational only: ``validate`` does not reject on it, because codes issued to some
    entity types (e.g. 个体工商户 migrated from old registrations) are not guaranteed to follow it.
    """
    org = validate(code)[8:17]
    total = 0
    for ch, weight in zip(org[:8], _ORG_WEIGHTS, strict=True):
        value = int(ch) if ch.isdigit() else ord(ch) - 55  # A=10 … Z=35
        total += value * weight
    check = 11 - total % 11
    expected = "X" if check == 10 else "0" if check == 11 else str(check)
    return org[8] == expected


def validate_many(values: list[str]) -> tuple[list[str | None], list[str | None]]:
    """Validate a whole column at once.

    Returns ``(codes, errors)`` of the same length as ``values``: for each item either the
    normalised code and ``None``, or ``None`` and the Chinese error message. Well-formed
    ASCII input takes a table-lookup fast path; anything else goes through ``validate``.
    """
    codes: list[str | None] = []
    errors: list[str | None] = []
    table = _TABLE
    alphabet_set = _ALPHABET_SET
    for raw in values:
        text = raw.strip() if type(raw) is str else ""
        if len(text) == LENGTH and text.isascii():
            code = text.upper()
            if alphabet_set.issuperset(code) and code[2:8].isdigit():
                t0, t1, t2, t3, t4, t5, t6, t7, t8, t9, t10, t11, t12, t13, t14, t15, t16 = table
                total = (
                    t0[code[0]] + t1[code[1]] + t2[code[2]] + t3[code[3]] + t4[code[4]] + t5[code[5]]
                    + t6[code[6]] + t7[code[7]] + t8[code[8]] + t9[code[9]] + t10[code[10]]
                    + t11[code[11]] + t12[code[12]] + t13[code[13]] + t14[code[14]] + t15[code[15]]
                    + t16[code[16]]
                )  # fmt: skip
                expected = ALPHABET[(31 - total % 31) % 31]
                ok = expected == code[17]
                codes.append(code if ok else None)
                errors.append(None if ok else _check_message(expected, code[17]))
                continue
        try:
            codes.append(validate(raw))
            errors.append(None)
        except InvalidCreditCode as exc:
            codes.append(None)
            errors.append(exc.message)
    return codes, errors
