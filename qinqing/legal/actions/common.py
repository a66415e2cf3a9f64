"""Shared pieces of the legal actions: the refusal type, input parsing that names the field, notifications."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from qinqing.core.errors import Refused


class LegalError(Refused):
    """A legal check-up step the current state does not allow (Chinese message, 409 in the API)."""


def today() -> dt.date:
    return timezone.localdate()


def followup_days() -> int:
    """Days after the report when the lawyer's follow-up call falls due (setting LEGAL_FOLLOWUP_DAYS)."""
    return int(getattr(settings, "LEGAL_FOLLOWUP_DAYS", 30))


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
        raise ValidationError({field: _("%(label)s格式应为 YYYY-MM-DD，例如 2026-01-31") % {"label": label}}) from None


def text(value, field: str, label: str, *, limit: int, required: bool = True) -> str:
    value = (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()
    if required and not value:
        raise ValidationError({field: _("请填写%(label)s") % {"label": label}})
    if len(value) > limit:
        raise ValidationError({field: _("%(label)s不能超过 %(n)s 个字") % {"label": label, "n": limit}})
    return value


def notify(users, title: str, key: str, url: str = "") -> None:
    from qinqing.notifications.actions import notify as send

    send([u for u in users if u is not None], kind="legal", title=title, url=url, key=key)


def enterprise_users(enterprise_id: int):
    from qinqing.accounts.models import User
    from qinqing.core.roles import Role

    return list(User.objects.filter(enterprise_id=enterprise_id, role=Role.ENTERPRISE, is_active=True))


def staff_of(org_path: str):
    """FIC staff of the node holding ``org_path`` (the enterprise's own FIC)."""
    from qinqing.accounts.models import User
    from qinqing.core.roles import Role

    return list(User.objects.filter(org__path=org_path, role=Role.FIC_STAFF, is_active=True))


def checkup_url(checkup) -> str:
    return f"/legal/checkups/{checkup.pk}/"
