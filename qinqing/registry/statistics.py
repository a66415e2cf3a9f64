"""The registry figures an FIC reports (PRODUCT.md §1, §7), computed from the records of a subtree.

Members are counted "in the register at the end of the year" from their join/leave dates, so last
year's figure is reproducible at any time and the change against last year is exact.

Chambers are counted as "existing at the end of the year": registered by then (or with no registration
date) and not cancelled (已注销). The model keeps no cancellation date, so a chamber cancelled this year
also drops out of last year's figure; say so where the change is shown.
"""

import datetime

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from .choices import ChamberType, MemberKind, RatingScheme, RegistrationStatus
from .models import Chamber, ChamberRating, Member


def _active_at(day: datetime.date) -> Q:
    return Q(joined_on__lte=day) & (Q(left_on__isnull=True) | Q(left_on__gt=day))


def members_in_register(members: QuerySet[Member], year: int) -> int:
    """members_by_kind()'s total for the end of ``year`` alone: one filtered count instead of two counts per kind
    (the home page's 在册会员 card, recounted in the background for each user: 331,510 memberships under a
    province)."""
    return members.filter(_active_at(datetime.date(year, 12, 31)), kind__in=MemberKind.values).count()


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
            "label": _("合计"),
            "count": total_now,
            "last_year": total_prev,
            "change": total_now - total_prev,
        }
    )
    return rows


def group_members(members: QuerySet[Member], year: int) -> dict:
    """Group members (团体会员) in the register at the end of ``year`` and the enterprises they pass down.

    A group member that is a registry chamber represents the chamber's own enterprise members in the
    register then; an outside association represents the number it declared. ``reached`` is every
    enterprise the organisations reach, directly or through a group: an enterprise that is a direct member
    and also a member of a group chamber is counted once (``also_direct`` says how many such there are).
    """
    end = datetime.date(year, 12, 31)
    live = members.filter(_active_at(end))
    groups = live.filter(kind=MemberKind.GROUP)
    agg = groups.aggregate(
        count=Count("id"),
        chambers=Count("id", filter=Q(group__isnull=False)),
        declared=Sum("represented_enterprises", filter=Q(group__isnull=True)),
    )
    declared = agg["declared"] or 0
    # The group chambers' own rolls are read whole (a group chamber may sit outside the reader's subtree:
    # only counts leave this function, never its members).
    represented = (
        Member.objects.filter(
            _active_at(end), kind=MemberKind.ENTERPRISE, organization_id__in=groups.values("group_id")
        )
        .values("enterprise_id")
        .distinct()
    )
    direct = live.filter(kind=MemberKind.ENTERPRISE).values("enterprise_id").distinct()
    through_chambers = represented.count()
    also_direct = represented.filter(enterprise_id__in=direct).count()
    return {
        "count": agg["count"],
        "chambers": agg["chambers"],
        "associations": agg["count"] - agg["chambers"],
        "represented": through_chambers + declared,
        "represented_in_registry": through_chambers,
        "represented_declared": declared,
        "direct": direct.count(),
        "also_direct": also_direct,
        "reached": direct.count() + through_chambers - also_direct + declared,
    }


def existing_chambers(chambers: QuerySet[Chamber], year: int) -> QuerySet[Chamber]:
    """Chambers of the year's end: registered by then and not cancelled."""
    end = datetime.date(year, 12, 31)
    return chambers.exclude(registration_status=RegistrationStatus.CANCELLED).filter(
        Q(registered_on__isnull=True) | Q(registered_on__lte=end)
    )


def chambers_by_type(chambers: QuerySet[Chamber], year: int) -> list[dict]:
    """Chambers by type at the end of ``year`` and of the year before, with the change."""
    end, prev_end = datetime.date(year, 12, 31), datetime.date(year - 1, 12, 31)
    live = chambers.exclude(registration_status=RegistrationStatus.CANCELLED)
    agg = {}
    for code, _label in ChamberType.choices:
        agg[f"{code}_now"] = Count("id", filter=Q(chamber_type=code) & _registered_by(end))
        agg[f"{code}_prev"] = Count("id", filter=Q(chamber_type=code) & _registered_by(prev_end))
    counts = live.aggregate(**agg)
    rows = []
    for code, label in ChamberType.choices:
        now, prev = counts[f"{code}_now"], counts[f"{code}_prev"]
        rows.append({"type": code, "label": str(label), "count": now, "last_year": prev, "change": now - prev})
    total_now = sum(r["count"] for r in rows)
    total_prev = sum(r["last_year"] for r in rows)
    rows.append(
        {
            "type": "total",
            "label": _("合计"),
            "count": total_now,
            "last_year": total_prev,
            "change": total_now - total_prev,
        }
    )
    return rows


def _registered_by(day: datetime.date) -> Q:
    return Q(registered_on__isnull=True) | Q(registered_on__lte=day)


def party_coverage(chambers: QuerySet[Chamber], year: int) -> dict:
    """Share of the year's chambers with a party organisation, and the party members they hold."""
    agg = existing_chambers(chambers, year).aggregate(
        total=Count("id"),
        covered=Count("id", filter=Q(party_org_established=True)),
        party_members=Sum("party_members"),
    )
    total, covered = agg["total"], agg["covered"]
    return {
        "total": total,
        "covered": covered,
        "rate": round(covered * 100 / total, 2) if total else None,
        "party_members": agg["party_members"] or 0,
    }


def chambers_by_rating(chambers: QuerySet[Chamber], year: int) -> list[dict]:
    """Per rating: chambers awarded it in ``year``, and chambers that hold it from that year or earlier."""
    ratings = ChamberRating.objects.filter(chamber__in=existing_chambers(chambers, year), year__lte=year)
    held = dict(ratings.values_list("scheme").annotate(n=Count("chamber", distinct=True)).values_list("scheme", "n"))
    awarded = dict(
        ratings.filter(year=year)
        .values_list("scheme")
        .annotate(n=Count("chamber", distinct=True))
        .values_list("scheme", "n")
    )
    return [
        {"scheme": code, "label": str(label), "count": held.get(code, 0), "this_year": awarded.get(code, 0)}
        for code, label in RatingScheme.choices
    ]


def term_due(chambers: QuerySet[Chamber], today: datetime.date, days: int = 90) -> QuerySet[Chamber]:
    """Chambers whose current term ends within ``days`` (or has already ended: overdue 换届)."""
    return (
        chambers.exclude(registration_status=RegistrationStatus.CANCELLED)
        .filter(term_ends_on__isnull=False, term_ends_on__lte=today + datetime.timedelta(days=days))
        .order_by("term_ends_on")
    )


FIRST_YEAR = 1953  # 全国工商联 was founded in 1953; no register goes back further


def report_year(raw: str | None, today: datetime.date) -> int:
    """The year asked for in a query string; this year when missing or not a plausible year."""
    text = (raw or "").strip()
    if text.isdigit() and FIRST_YEAR <= int(text) <= today.year:
        return int(text)
    return today.year


def overview(members: QuerySet[Member], chambers: QuerySet[Chamber], year: int) -> dict:
    return {
        "year": year,
        "members_by_kind": members_by_kind(members, year),
        "group_members": group_members(members, year),
        "chambers_by_type": chambers_by_type(chambers, year),
        "party_coverage": party_coverage(chambers, year),
        "chambers_by_rating": chambers_by_rating(chambers, year),
    }
