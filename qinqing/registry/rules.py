"""The standards checks of an enterprise's fields, in one place for the edit form, the API and imports.

Each ``*_code``/number function takes what a clerk typed and returns the canonical value, or raises
``RuleError`` (a ``ValueError``) with the reason in Chinese. The reason does not repeat the field: an
import reports the column beside it, ``check_enterprise`` prefixes the field's label for forms and the API.
Pure logic over the shipped tables (GB 32100, GB/T 4754-2017, GB/T 2260, GB 11643); no ORM.
"""

import unicodedata
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qinqing.orgs import regions

from .standards import idcard, industry, mobile, uscc

__all__ = [
    "LABELS",
    "RuleError",
    "check_enterprise",
    "credit_code",
    "id_number",
    "industry_code",
    "is_masked",
    "mobile_number",
    "region_code",
]


class RuleError(ValueError):
    """A value breaks its standard; ``str(exc)`` is the reason in Chinese."""


def credit_code(raw: str) -> str:
    """统一社会信用代码 (GB 32100-2015), check character included."""
    try:
        return uscc.validate(raw)
    except uscc.InvalidCreditCode as exc:
        raise RuleError(exc.message) from None


def industry_code(raw: str) -> str:
    """A GB/T 4754-2017 大类/中类/小类 code, in digits: ``C3311``, ``c 3311`` and ``３３１１`` become ``3311``."""
    text = "".join(unicodedata.normalize("NFKC", raw or "").split()).upper()
    entry = industry.lookup(text)
    if entry is None:
        raise RuleError(_("“%(code)s”不是国民经济行业分类（GB/T 4754-2017）中的行业代码") % {"code": raw})
    if entry.level == "门类":
        raise RuleError(_("“%(code)s”是门类，请填写2至4位数字的行业代码（如 C3311 或 3311）") % {"code": raw})
    return entry.code


def region_code(raw: str) -> str:
    """A GB/T 2260 region code that exists in the shipped table."""
    code = "".join(unicodedata.normalize("NFKC", raw or "").split())
    if len(code) != 6 or not code.isdigit():
        raise RuleError(_("“%(code)s”应为6位数字的行政区划代码（GB/T 2260）") % {"code": raw})
    if regions.region_of(code) is None:
        raise RuleError(_("“%(code)s”不是有效的行政区划代码（GB/T 2260）") % {"code": raw})
    return code


def id_number(raw: str) -> str:
    """A citizen ID number (GB 11643-1999, 18 characters, checksum and birth date checked)."""
    try:
        return idcard.validate(raw)
    except idcard.InvalidIdNumber as exc:
        raise RuleError(str(exc)) from None


def mobile_number(raw: str) -> str:
    """A mainland mobile number, 11 digits 1[3-9]…; a +86 prefix, spaces and hyphens are dropped."""
    try:
        return mobile.validate_mobile(raw)
    except mobile.InvalidMobile as exc:
        raise RuleError(exc.message) from None


def is_masked(value: str) -> bool:
    """A number shown masked (``139****5678``) and sent back unchanged: keep the stored one."""
    return "*" in (value or "")


# Enterprise field → (label, check). Empty values are allowed (the fields are optional) and stay "".
ENTERPRISE_RULES: dict[str, tuple[str, Callable[[str], str]]] = {
    "credit_code": (gettext_lazy("统一社会信用代码"), credit_code),
    "industry_code": (gettext_lazy("行业代码"), industry_code),
    "region_code": (gettext_lazy("行政区划代码"), region_code),
    "legal_rep_id_number": (gettext_lazy("法定代表人身份证号"), id_number),
    "contact_mobile": (gettext_lazy("联系人手机"), mobile_number),
}
LABELS = {name: label for name, (label, _check) in ENTERPRISE_RULES.items()}


def check_field(name: str, value):
    """One field's canonical value; raises ``ValidationError({name: "标签：原因"})``."""
    label, check = ENTERPRISE_RULES[name]
    text = "" if value is None else str(value).strip()
    if not text:
        if name == "credit_code":
            raise ValidationError({name: _("%(label)s：请填写") % {"label": label}})
        return ""
    try:
        return check(text)
    except RuleError as exc:
        raise ValidationError({name: _("%(label)s：%(reason)s") % {"label": label, "reason": exc}}) from None


def check_enterprise(values: dict) -> dict:
    """Return ``values`` with every standards field it holds normalised; all errors at once, each naming
    its field (``{"industry_code": ["行业代码：“9999”不是…"]}``)."""
    out = dict(values)
    errors: dict[str, list[str]] = {}
    for name in ENTERPRISE_RULES.keys() & values.keys():
        try:
            out[name] = check_field(name, values[name])
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return out
