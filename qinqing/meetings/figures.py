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


# Registry declarations (qinqing.core.figures): meetings count on their day; issues on their meeting's day.
def _declare() -> None:
    from django.utils.translation import gettext_lazy as _

    from qinqing.core.figures import Column, Figure, Rate, register

    meeting_columns = (
        Column(_("会议名称"), "title"),
        Column(_("类型"), "kind"),
        Column(_("日期"), "date"),
        Column(_("主办工商联"), "fic__name"),
        Column(_("主持领导"), "host_leader"),
        Column(_("状态"), "status"),
    )
    held = ~Q(status=MeetingStatus.PLANNED)
    issue_columns = (
        Column(_("诉求编号"), "number"),
        Column(_("标题"), "title"),
        Column(_("会议名称"), "meeting__title"),
        Column(_("会议日期"), "meeting__date"),
        Column(_("状态"), "status"),
    )

    def issues(name, label, where=None):
        return Figure(
            key=f"meetings.{name}",
            label=label,
            unit=_("个"),
            section="economy",
            model="appeals.Appeal",
            path_field="meeting__org_path",
            date_field="meeting__date",
            filters={"meeting__isnull": False},
            where=Q(meeting__status__in=[MeetingStatus.HELD, MeetingStatus.SIGNED_OFF]) & (where or Q()),
            columns=issue_columns,
        )

    register(
        Figure(
            key="meetings.held",
            label=_("召开政企恳谈会"),
            unit=_("场"),
            section="economy",
            model="meetings.Meeting",
            path_field="org_path",
            date_field="date",
            where=held,
            columns=meeting_columns,
        ),
        Figure(
            key="meetings.attendees",
            label=_("参会企业家"),
            unit=_("人次"),
            section="economy",
            model="meetings.Meeting",
            path_field="org_path",
            date_field="date",
            measure="sum:attendees",
            where=held,
            columns=(*meeting_columns, Column(_("参会企业家人数"), "attendees", amount=True)),
        ),
        issues("issues", _("恳谈会收集问题")),
        issues("solved_on_spot", _("现场解决问题"), Q(solved_on_spot=True)),
        issues("issues_rated", _("已评价的恳谈会问题"), Q(satisfaction__isnull=False)),
        issues("issues_satisfied", _("满意的恳谈会问题"), Q(satisfaction__in=list(wf.SATISFIED_LEVELS))),
        Rate(
            "meetings.satisfaction_rate",
            _("恳谈会问题满意率"),
            "economy",
            "meetings.issues_satisfied",
            "meetings.issues_rated",
        ),
    )


_declare()
