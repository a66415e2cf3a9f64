"""The registry figures an FIC reports (PRODUCT.md §1, §7), computed from the records of a subtree.

Members are counted "in the register at the end of the year" from their join/leave dates, so last
year's figure is reproducible at any time and the change against last year is exact.
"""

import datetime

from django.db.models import Count, Q, QuerySet

from .choices import ChamberType, MemberKind, RatingScheme
from .models import Chamber, ChamberRating, Member


def _active_at(day: datetime.date) -> Q:
    return Q(joined_on__lte=day) & (Q(left_on__isnull=True) | Q(left_on__gt=day))


def members_by_kind(members: QuerySet[Member], year: int) -> list[dict]:
    end, prev_end = datetime.date(year, 12, 31), datetime.date(year - 1, 12, 31)
    agg = {}
    for code, _label in MemberKind.choices:
        agg[f"{code}_now"] = Count("id", filter=_active_at(end) & Q(kind=code))
        agg[f"{code}_prev"] = Count("id", filter=_active_at(prev_end) & Q(kind=code))
    counts = members.aggregate(**agg)
    rows = []
    for code, label in MemberKind.choices:
        now, prev = counts[f"{code}_now"], counts[f"{code}_prev"]
        rows.append({"kind": code, "label": str(label), "count": now, "last_year": prev, "change": now - prev})
    total_now = sum(r["count"] for r in rows)
    total_prev = sum(r["last_year"] for r in rows)
    rows.append(
        {
            "kind": "total",
            "label": "合计",
            "count": total_now,
            "last_year": total_prev,
            "change": total_now - total_prev,
        }
    )
    return rows


def chambers_by_type(chambers: QuerySet[Chamber]) -> list[dict]:
    counts = dict(chambers.values_list("chamber_type").annotate(n=Count("id")).values_list("chamber_type", "n"))
    rows = [{"type": code, "label": str(label), "count": counts.get(code, 0)} for code, label in ChamberType.choices]
    rows.append({"type": "total", "label": "合计", "count": sum(r["count"] for r in rows)})
    return rows


def party_coverage(chambers: QuerySet[Chamber]) -> dict:
    agg = chambers.aggregate(
        total=Count("id"),
        covered=Count("id", filter=Q(party_org_established=True)),
    )
    total, covered = agg["total"], agg["covered"]
    return {
        "total": total,
        "covered": covered,
        "rate": round(covered * 100 / total, 2) if total else None,
    }


def chambers_by_rating(chambers: QuerySet[Chamber], year: int | None = None) -> list[dict]:
    ratings = ChamberRating.objects.filter(chamber__in=chambers)
    if year is not None:
        ratings = ratings.filter(year=year)
    counts = dict(ratings.values_list("scheme").annotate(n=Count("chamber", distinct=True)).values_list("scheme", "n"))
    return [{"scheme": code, "label": str(label), "count": counts.get(code, 0)} for code, label in RatingScheme.choices]


def term_due(chambers: QuerySet[Chamber], today: datetime.date, days: int = 90) -> QuerySet[Chamber]:
    """Chambers whose current term ends within ``days`` (or has already ended: overdue 换届)."""
    return chambers.filter(
        term_ends_on__isnull=False, term_ends_on__lte=today + datetime.timedelta(days=days)
    ).order_by("term_ends_on")


def overview(members: QuerySet[Member], chambers: QuerySet[Chamber], year: int) -> dict:
    return {
        "year": year,
        "members_by_kind": members_by_kind(members, year),
        "chambers_by_type": chambers_by_type(chambers),
        "party_coverage": party_coverage(chambers),
        "chambers_by_rating": chambers_by_rating(chambers),
    }
