"""The only writers of financing data: shared validation, constants and notifications.
Each action is atomic and audited.

Bad input raises django ValidationError naming the field (400 in the API, the form field on pages); a step the
current state does not allow raises FinancingError (qinqing.core.errors.Refused, 409). Nothing is changed then.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from qinqing.core.errors import Refused
from qinqing.core.roles import Role

from ..choices import (
    Guarantee,
    Purpose,
    Stage,
)

AMOUNT_MAX = Decimal("1000000")  # 100 亿元 in 万元: no single SME need is larger
TERM_MAX = 360
RATE_MAX = Decimal("36")
FINAL = (Stage.LENT, Stage.REFUSED)
# A need's overall stage: the best reached at any bank (refused only when every bank refused).
RANK = {Stage.REFUSED: 0, Stage.PUSHED: 1, Stage.CONTACTED: 2, Stage.INTENDED: 3, Stage.CREDITED: 4, Stage.LENT: 5}


class FinancingError(Refused):
    """A financing step the current state does not allow (Chinese message)."""


def today() -> dt.date:
    return timezone.localdate()


def answer_days() -> int:
    return int(getattr(settings, "FINANCING_ANSWER_DAYS", 30))


# --- validation -----------------------------------------------------------------------------------


def _decimal(value, field: str, label: str, *, low: Decimal, high: Decimal, required: bool = True) -> Decimal | None:
    if value in (None, ""):
        if required:
            raise ValidationError({field: _("请填写%(label)s") % {"label": label}})
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("%(label)s应为数字") % {"label": label}}) from None
    if not number.is_finite() or number < low or number > high:
        raise ValidationError(
            {field: _("%(label)s应在 %(low)s 至 %(high)s 之间") % {"label": label, "low": low, "high": high}}
        )
    return number


def _int(value, field: str, label: str, *, low: int, high: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError({field: _("%(label)s应为整数") % {"label": label}}) from None
    if number < low or number > high:
        raise ValidationError(
            {field: _("%(label)s应在 %(low)s 至 %(high)s 之间") % {"label": label, "low": low, "high": high}}
        )
    return number


def clean_need_fields(data: dict) -> dict:
    """Validate the need's own fields (amount, term, purpose, guarantee, rate ceiling, date)."""
    out = {
        "amount": _decimal(data.get("amount"), "amount", _("融资金额（万元）"), low=Decimal("1"), high=AMOUNT_MAX),
        "term_months": _int(data.get("term_months"), "term_months", _("期限（月）"), low=1, high=TERM_MAX),
        "rate_ceiling": _decimal(
            data.get("rate_ceiling"),
            "rate_ceiling",
            _("可接受最高年利率（%）"),
            low=Decimal("0.01"),
            high=RATE_MAX,
            required=False,
        ),
    }
    purpose = data.get("purpose")
    if purpose not in Purpose.values:
        raise ValidationError({"purpose": _("请选择融资用途")})
    guarantee = data.get("guarantee")
    if guarantee not in Guarantee.values:
        raise ValidationError({"guarantee": _("请选择担保方式")})
    needed_by = data.get("needed_by") or None
    if isinstance(needed_by, str):
        try:
            needed_by = dt.date.fromisoformat(needed_by)
        except ValueError:
            raise ValidationError({"needed_by": _("用款时间格式应为 YYYY-MM-DD")}) from None
    out.update(
        purpose=purpose,
        purpose_text=(data.get("purpose_text") or "").strip()[:200],
        guarantee=guarantee,
        is_first_loan=bool(data.get("is_first_loan")),
        needed_by=needed_by,
        credit_check_authorised=bool(data.get("credit_check_authorised")),
        authorisation_note=(data.get("authorisation_note") or "").strip()[:500],
        contact_name=(data.get("contact_name") or "").strip()[:50],
        contact_phone=(data.get("contact_phone") or "").strip()[:30],
    )
    return out


def _banks(ids_or_orgs: Iterable) -> list:
    from qinqing.orgs.models import Organization

    items = list(ids_or_orgs or [])
    ids = [getattr(b, "pk", b) for b in items]
    banks = list(Organization.objects.filter(pk__in=ids, kind="bank", is_active=True))
    if len(banks) != len(set(ids)):
        raise ValidationError({"preferred_banks": _("意向银行中有不存在的金融机构")})
    return banks


# --- notifications --------------------------------------------------------------------------------


def _send(users, title: str, key: str, url: str = "") -> None:
    from qinqing.notifications.actions import notify

    notify(users, kind="financing", title=title, url=url, key=key)


def _notify_bank(bank, title: str, key: str) -> None:
    from qinqing.accounts.models import User

    _send(User.objects.filter(org=bank, role=Role.BANK_OFFICER, is_active=True), title, key, "/financing/bank/")


def _notify_staff(need, title: str, key: str) -> None:
    from qinqing.accounts.models import User

    users = User.objects.filter(org_id=need.fic_id, role=Role.FIC_STAFF, is_active=True)
    _send(users, title, key, f"/financing/needs/{need.pk}/")


def _notify_enterprise(need, title: str, key: str) -> None:
    from qinqing.accounts.models import User

    users = User.objects.filter(enterprise_id=need.enterprise_id, role=Role.ENTERPRISE, is_active=True)
    _send(users, title, key, f"/financing/needs/{need.pk}/")
