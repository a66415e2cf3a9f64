"""Shared validation of the programs' actions. Bad input raises django ValidationError naming the field (400 in
the API, the form field on pages); a step the state does not allow raises ProgramsError (Refused, 409). Nothing
is changed then: every action is atomic and validates before it writes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from qinqing.core.errors import Refused

AMOUNT_MAX = Decimal("10000000")  # 1,000 亿元 in 万元


class ProgramsError(Refused):
    """A programs step the current state or the actor's place does not allow (Chinese message)."""


def today() -> dt.date:
    return timezone.localdate()


def text(data: dict, field: str, label: str, *, max_length: int, required: bool = True) -> str:
    value = str(data.get(field) or "").strip()
    if required and not value:
        raise ValidationError({field: _("请填写%(label)s") % {"label": label}})
    if len(value) > max_length:
        raise ValidationError({field: _("%(label)s不能超过 %(n)s 个字") % {"label": label, "n": max_length}})
    return value


def amount(data: dict, field: str, label: str, *, positive: bool = False, high: Decimal = AMOUNT_MAX) -> Decimal:
    """A 万元 amount with two decimals: required, not negative (or > 0 when ``positive``), at most ``high``."""
    raw = data.get(field)
    if raw in (None, ""):
        raise ValidationError({field: _("请填写%(label)s") % {"label": label}})
    try:
        number = Decimal(str(raw).strip()).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("%(label)s应为数字") % {"label": label}}) from None
    if not number.is_finite() or number < 0:
        raise ValidationError({field: _("%(label)s不能为负数") % {"label": label}})
    if positive and number == 0:
        raise ValidationError({field: _("%(label)s应大于 0") % {"label": label}})
    if number > high:
        raise ValidationError({field: _("%(label)s不能超过 %(high)s") % {"label": label, "high": high}})
    return number


def whole(data: dict, field: str, label: str, *, low: int, high: int, default: int | None = None) -> int:
    raw = data.get(field)
    if raw in (None, "") and default is not None:
        return default
    try:
        number = int(str(raw).strip())
    except (TypeError, ValueError):
        raise ValidationError({field: _("%(label)s应为整数") % {"label": label}}) from None
    if number < low or number > high:
        raise ValidationError(
            {field: _("%(label)s应在 %(low)s 至 %(high)s 之间") % {"label": label, "low": low, "high": high}}
        )
    return number


def day(data: dict, field: str, label: str, *, required: bool = True, not_after_today: bool = True,
        not_before: dt.date | None = None) -> dt.date | None:  # fmt: skip
    """A date (ISO text or date); refused in the future and before ``not_before`` (a date it follows)."""
    value = data.get(field)
    if value in (None, ""):
        if required:
            raise ValidationError({field: _("请填写%(label)s") % {"label": label}})
        return None
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError(
                {field: _("%(label)s不是有效日期，请按 2026-01-31 的格式填写") % {"label": label}}
            ) from None
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        raise ValidationError({field: _("%(label)s不是有效日期") % {"label": label}})
    if not_after_today and value > today():
        raise ValidationError({field: _("%(label)s不能晚于今天") % {"label": label}})
    if not_before is not None and value < not_before:
        raise ValidationError({field: _("%(label)s不能早于 %(day)s") % {"label": label, "day": not_before.isoformat()}})
    return value


def choice(data: dict, field: str, label: str, choices) -> str:
    value = data.get(field)
    if value not in choices.values:
        raise ValidationError({field: _("请选择%(label)s") % {"label": label}})
    return value


def in_scope(actor, org_path: str, what: str) -> None:
    """Staff act only within their node's subtree."""
    org = getattr(actor, "org", None)
    if org is None or not org_path.startswith(org.path):
        raise ProgramsError(_("%(what)s不在您的管辖范围内") % {"what": what})
