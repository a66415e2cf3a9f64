"""One filter definition for the activity list, shared by the page and the API."""

import datetime as dt

from django.db.models import Q

from .choices import Kind


def filter_activities(qs, params) -> tuple:
    """Narrow by kind, organiser, period (start/end dates) and a text search; returns (queryset, used params)."""
    used = {}
    kind = params.get("kind") or ""
    if kind in Kind.values:
        qs, used["kind"] = qs.filter(kind=kind), kind
    organiser = params.get("organiser") or ""
    if organiser.isdigit() and len(organiser) < 10:
        qs, used["organiser"] = qs.filter(organiser_id=int(organiser)), organiser
    for name, lookup in (("start", "ends_on__gte"), ("end", "starts_on__lte")):
        try:
            day = dt.date.fromisoformat(params.get(name) or "")
        except ValueError:
            continue
        qs, used[name] = qs.filter(**{lookup: day}), day.isoformat()
    q = (params.get("q") or "").strip()[:50]
    if q:
        qs, used["q"] = qs.filter(Q(title__icontains=q) | Q(place__icontains=q)), q
    return qs, used
