"""Meeting figures: meetings held, entrepreneurs attending, issues collected, solved on the spot, satisfaction."""

from django.db.models import Count, Q, Sum

from qinqing.appeals import workflow as wf
from qinqing.appeals.models import Appeal

from .models import MeetingStatus


def meeting_figures(meetings) -> dict:
    held = meetings.exclude(status=MeetingStatus.PLANNED)
    m = held.aggregate(n=Count("id"), attendees=Sum("attendees"))
    issues = Appeal.objects.filter(meeting__in=held).aggregate(
        collected=Count("id"),
        on_spot=Count("id", filter=Q(solved_on_spot=True)),
        closed=Count("id", filter=Q(status=wf.CLOSED)),
        rated=Count("id", filter=Q(satisfaction__isnull=False)),
        satisfied=Count("id", filter=Q(satisfaction__in=list(wf.SATISFIED_LEVELS))),
    )
    rate = round(100.0 * issues["satisfied"] / issues["rated"], 2) if issues["rated"] else None
    return {
        "held": m["n"] or 0,
        "attendees": m["attendees"] or 0,
        "issues": issues["collected"],
        "solved_on_spot": issues["on_spot"],
        "closed": issues["closed"],
        "satisfaction_rate": rate,
    }
