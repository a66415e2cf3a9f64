"""Fast paths for whole-column validation: already-clean values are checked with a tight loop; anything
else (lower case, full width, wrong length, bad check character) goes to the standards modules, which
remain the authority and phrase the Chinese reason. Tests assert both paths agree."""

import datetime
import re
from operator import mul

from ..standards import idcard, sizeclass

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_VALUE = {c: i for i, c in enumerate(USCC_CHARS)}
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
USCC_CLEAN = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")
ID_CLEAN = re.compile(r"^\d{17}[\dX]$")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
MOBILE_CLEAN = re.compile(r"^1[3-9]\d{9}$")


def uscc_ok(code: str) -> bool:
    """True when a clean code's check character is right (False means: ask the standards module)."""
    if not USCC_CLEAN.match(code):
        return False
    total = sum(map(mul, map(USCC_VALUE.__getitem__, code[:17]), USCC_WEIGHTS))
    return USCC_CHARS[(31 - total % 31) % 31] == code[17]


_id_prefix_ok: set[str] = set()


def id_ok(number: str, today: datetime.date) -> bool:
    if not ID_CLEAN.match(number):
        return False
    total = sum(map(mul, map(int, number[:17]), ID_WEIGHTS))
    if ID_CHECK[total % 11] != number[17]:
        return False
    try:
        born = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    if born.year < 1900 or born > today:
        return False
    prefix = number[:6]
    if prefix not in _id_prefix_ok:
        try:
            idcard.validate(number)  # the region-code check, once per prefix
        except idcard.InvalidIdNumber:
            return False
        _id_prefix_ok.add(prefix)
    return True


def mobile_ok(number: str) -> bool:
    return bool(MOBILE_CLEAN.match(number))


_groups: dict[str, str | None] = {}
_TIERS = ("大型", "中型", "小型")


def size_class(industry_code: str, employees, revenue_wan, assets_wan) -> str:
    """The 办法's rule over the standards module's table; same answer as sizeclass.classify (tested)."""
    if industry_code not in _groups:
        _groups[industry_code] = sizeclass.group_for(industry_code or "")[0]
    name = _groups[industry_code]
    if name is None:
        return ""
    group = sizeclass.GROUPS[name]
    raw = {sizeclass.EMPLOYEES: employees, sizeclass.REVENUE: revenue_wan, sizeclass.ASSETS: assets_wan}
    values = []
    missing = False
    for key, bounds in group.bounds:
        value = raw[key]
        if value is None:
            missing = True
            continue
        if value < bounds[2]:
            return "微型"
        values.append((value, bounds))
    if missing:
        return ""
    for tier, size in enumerate(_TIERS):
        if all(value >= bounds[tier] for value, bounds in values):
            return size
    return ""
