"""会员身份: the one rule for "is this enterprise a member, and of what", used by the enterprise page and by
policy eligibility (qinqing.eligibility.attributes: the ``member`` and ``chambers`` attributes).

A membership counts on a day when it has begun and not ended (the same dates as Member.status), whatever the
reader's place in the tree: an enterprise user sees its own memberships of the city FIC too.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from .models import Member


def active_q(today: datetime.date, prefix: str = "") -> Q:
    """Memberships in force on ``today`` (``prefix``: the lookup path to Member, e.g. "memberships__")."""
    return (Q(**{f"{prefix}joined_on__isnull": True}) | Q(**{f"{prefix}joined_on__lte": today})) & (
        Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gt": today})
    )


@dataclass
class Standing:
    member: bool = False  # of an FIC (the policy attribute 工商联会员)
    fics: list[str] = field(default_factory=list)
    chambers: list[str] = field(default_factory=list)


def standing(enterprise_id: int, today: datetime.date | None = None) -> Standing:
    today = today or timezone.localdate()
    result = Standing()
    rows = (
        Member.objects.filter(active_q(today), enterprise_id=enterprise_id)
        .order_by("organization__path")
        .values_list("organization__kind", "organization__name")
    )
    for kind, name in rows:
        if kind == "fic":
            result.member = True
            result.fics.append(name)
        elif kind == "chamber":
            result.chambers.append(name)
    return result
