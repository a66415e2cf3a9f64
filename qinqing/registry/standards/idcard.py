"""公民身份号码 (resident identity card number, GB 11643-1999).

18 characters: 6-digit address code (GB/T 2260), 8-digit birth date YYYYMMDD, 3-digit sequence
(odd for men, even for women) and an ISO 7064 MOD 11-2 check character (0–9 or X).

Legacy 15-digit numbers (first-generation cards, invalid since 2013) are rejected by default;
``validate(raw, allow_legacy=True)`` upgrades them to 18 digits (century "19" + computed check).
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _

from .uscc import normalize as _normalize_chars

__all__ = [
    "PROVINCE_CODES",
    "InvalidIdNumber",
    "birth_date",
    "check_char",
    "is_valid",
    "mask",
    "sex",
    "upgrade_legacy",
    "validate",
]

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_MAP = "10X98765432"
# Provincial-level prefixes of GB/T 2260, plus 71 台湾, 81 香港, 82 澳门 and 83 (台湾居民居住证).
PROVINCE_CODES = frozenset(
    {
        *("11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37"),
        *("41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65"),
        *("71", "81", "82", "83"),
    }
)
_SHAPE_18 = re.compile(r"^\d{17}[\dX]$")
_SHAPE_15 = re.compile(r"^\d{15}$")


class InvalidIdNumber(ValueError):
    """Raised with a Chinese explanation when an identity number is not valid."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character for the first 17 digits."""
    if len(first17) != 17 or not first17.isdigit():
        raise InvalidIdNumber(_("计算校验码需要17位数字"))
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_MAP[total % 11]


def upgrade_legacy(id15: str) -> str:
    """Convert a 15-digit first-generation number to its 18-digit form (born 1900–1999)."""
    if not _SHAPE_15.match(id15):
        raise InvalidIdNumber(_("15位身份证号码应全部为数字"))
    body = id15[:6] + "19" + id15[6:]
    return body + check_char(body)


def _parse_date(text: str) -> dt.date | None:
    try:
        return dt.date(int(text[0:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def validate(raw: str, *, allow_legacy: bool = False, today: dt.date | None = None) -> str:
    """Return the normalised 18-character number or raise ``InvalidIdNumber`` with the reason."""
    number, _notes = _normalize_chars(raw)
    if not number:
        raise InvalidIdNumber(_("身份证号码不能为空"))
    if len(number) == 15:
        if not allow_legacy:
            raise InvalidIdNumber(_("15位旧身份证号码已停止使用，请填写18位身份证号码"))
        number = upgrade_legacy(number)
    if len(number) != 18:
        raise InvalidIdNumber(_("身份证号码应为18位，实际为%(length)s位") % {"length": len(number)})
    if not _SHAPE_18.match(number):
        for i, ch in enumerate(number[:17]):
            if not ch.isdigit():
                raise InvalidIdNumber(
                    _("身份证号码第%(position)s位“%(char)s”不合法：前17位只能是数字") % {"position": i + 1, "char": ch}
                )
        raise InvalidIdNumber(_("身份证号码第18位“%(char)s”不合法：只能是数字或 X") % {"char": number[17]})
    if number[:2] not in PROVINCE_CODES:
        raise InvalidIdNumber(_("身份证号码前6位地址码“%(code)s”不是有效的行政区划代码") % {"code": number[:6]})
    born = _parse_date(number[6:14])
    if born is None:
        raise InvalidIdNumber(_("身份证号码中的出生日期“%(date)s”不是有效日期") % {"date": number[6:14]})
    if born.year < 1900:
        raise InvalidIdNumber(_("身份证号码中的出生年份%(year)s早于1900年") % {"year": born.year})
    if born > (today or dt.date.today()):
        raise InvalidIdNumber(_("身份证号码中的出生日期%(date)s晚于今天") % {"date": born.isoformat()})
    expected = check_char(number[:17])
    if number[17] != expected:
        raise InvalidIdNumber(
            _("身份证号码校验码错误：第18位应为“%(expected)s”，实际为“%(actual)s”")
            % {"expected": expected, "actual": number[17]}
        )
    return number


def is_valid(raw: str, **kwargs) -> bool:
    """True when ``validate`` would accept the value."""
    try:
        validate(raw, **kwargs)
    except InvalidIdNumber:
        return False
    return True


def birth_date(number: str) -> dt.date:
    """Birth date encoded in a valid number."""
    number = validate(number, allow_legacy=True)
    return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def sex(number: str) -> str:
    """ "男" when the 17th digit is odd, "女" when even."""
    number = validate(number, allow_legacy=True)
    return _("男") if int(number[16]) % 2 else _("女")


def mask(number: str) -> str:
    """Keep the first 6 and last 4 characters: ``430621********123X``.

    Never raises: anything too short to keep 10 characters is masked entirely.
    """
    text = _normalize_chars(number)[0] if number else ""
    if len(text) <= 10:
        return "*" * len(text)
    return text[:6] + "*" * (len(text) - 10) + text[-4:]
