"""Shared validation and helpers of the activity actions.

Bad input raises django ValidationError naming the field (400 in the API, the form field on pages); a step the
current state does not allow raises ActivityError (qinqing.core.errors.Refused, 409). Nothing is changed then.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from qinqing.core.errors import Refused
from qinqing.core.roles import Role

CAPACITY_MAX = 100_000
HEADCOUNT_MAX = 100_000
SESSIONS_MAX = 60


class ActivityError(Refused):
    """An activity step the current state does not allow (Chinese message)."""


def today() -> dt.date:
    return timezone.localdate()


def now() -> dt.datetime:
    return timezone.now()


def parse_date(value, field: str, label: str, *, required: bool = True) -> dt.date | None:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        value = value.strip()
        if not value:
            value = None
        else:
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                raise ValidationError({field: _("%(label)s格式应为 YYYY-MM-DD") % {"label": label}}) from None
    if value is None and required:
        raise ValidationError({field: _("请填写%(label)s") % {"label": label}})
    return value


def parse_int(value, field: str, label: str, *, low: int, high: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError({field: _("%(label)s应为整数") % {"label": label}}) from None
    if number < low or number > high:
        raise ValidationError(
            {field: _("%(label)s应在 %(low)s 至 %(high)s 之间") % {"label": label, "low": low, "high": high}}
        )
    return number


def enterprise_users(enterprise_id: int):
    from qinqing.accounts.models import User

    return User.objects.filter(enterprise_id=enterprise_id, role=Role.ENTERPRISE, is_active=True)


def notify(users, title: str, key: str, url: str) -> None:
    from qinqing.notifications.actions import notify as send

    send(users, kind="activities", title=title, url=url, key=key)
