"""Mainland China mobile numbers: 11 digits starting with 1[3-9]."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from .uscc import normalize as _normalize_chars

__all__ = ["InvalidMobile", "is_valid_mobile", "mask_mobile", "validate_mobile"]

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_PREFIX = re.compile(r"^(?:\+86|0086|86)(?=1\d{10}$)")


class InvalidMobile(ValueError):
    """Raised with a Chinese explanation when a mobile number is not valid."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def validate_mobile(raw: str) -> str:
    """Return the 11-digit number (spaces, hyphens and a +86/0086 prefix removed) or raise."""
    text = _normalize_chars(raw)[0].replace("-", "")
    if not text:
        raise InvalidMobile(_("手机号码不能为空"))
    text = _PREFIX.sub("", text)
    if not text.isdigit():
        raise InvalidMobile(_("手机号码“%(number)s”只能包含数字") % {"number": text})
    if len(text) != 11:
        raise InvalidMobile(_("手机号码应为11位数字，实际为%(length)s位") % {"length": len(text)})
    if not _MOBILE.match(text):
        raise InvalidMobile(_("手机号码“%(number)s”不是有效的大陆手机号（应以13–19开头）") % {"number": text})
    return text


def is_valid_mobile(raw: str) -> bool:
    """True when ``validate_mobile`` would accept the value."""
    try:
        validate_mobile(raw)
    except InvalidMobile:
        return False
    return True


def mask_mobile(number: str) -> str:
    """``13812345678`` → ``138****5678``; never raises (short input is masked entirely)."""
    text = _normalize_chars(number)[0] if number else ""
    if len(text) < 8:
        return "*" * len(text)
    return text[:3] + "*" * (len(text) - 7) + text[-4:]
