"""Shared pieces of the mediation actions: errors, settings, parsing of typed values, notifications.

Bad input raises django ValidationError naming the field (400 in the API, the form field on pages); a step the
case's state does not allow raises MediationError (qinqing.core.errors.Refused, 409). Nothing changes then.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from qinqing.core.errors import Refused

from ..rules import RuleError

AMOUNT_MAX = Decimal("1000000")  # 100 亿元 in 万元


class MediationError(Refused):
    """A mediation step the case's current state does not allow (Chinese message)."""


def today() -> dt.date:
    return timezone.localdate()


def court_days() -> int:
    """The court's default mediation period for referred cases (法院委派/委托), in days."""
    return int(getattr(settings, "MEDIATION_COURT_DAYS", 30))


def other_days() -> int:
    """The mediation period of other cases (当事人申请, 部门移送), in days."""
    return int(getattr(settings, "MEDIATION_OTHER_DAYS", 30))


def raise_rule(exc: RuleError):
    if exc.out_of_order:
        raise MediationError(exc.message) from None
    raise ValidationError({exc.field: exc.message}) from None


def parse_date(value, field: str, label: str, *, required: bool = True) -> dt.date | None:
    if value in (None, ""):
        if required:
            raise ValidationError({field: _("请填写%(label)s") % {"label": label}})
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(
            {field: _("“%(label)s”不是有效日期，请按 2026-01-31 的格式填写") % {"label": label}}
        ) from None


def parse_amount(value, field: str, label: str, *, required: bool = True) -> Decimal | None:
    if value in (None, ""):
        if required:
            raise ValidationError({field: _("请填写%(label)s") % {"label": label}})
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "")).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("%(label)s应为数字") % {"label": label}}) from None
    if not number.is_finite():
        raise ValidationError({field: _("%(label)s应为数字") % {"label": label}})
    if number < 0:
        raise ValidationError({field: _("%(label)s不能为负数") % {"label": label}})
    if number > AMOUNT_MAX:
        raise ValidationError({field: _("%(label)s不能超过 %(max)s 万元") % {"label": label, "max": AMOUNT_MAX}})
    return number


def text(data: dict, key: str, limit: int) -> str:
    return str(data.get(key) or "").strip()[:limit]


def choice(data: dict, key: str, choices, label: str, *, required: bool = True) -> str:
    value = str(data.get(key) or "")
    if not value and not required:
        return ""
    if value not in choices.values:
        raise ValidationError({key: _("请选择%(label)s") % {"label": label}})
    return value


def notify_users(users, *, title: str, key: str, url: str) -> None:
    from qinqing.notifications.actions import notify

    notify(users, kind="mediation", title=title, url=url, key=key)
