"""Writing meetings: plan, publish the agenda, pre-visits, issues raised (each an appeal), hold, sign off."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qinqing.appeals import actions as appeal_actions
from qinqing.appeals import workflow as wf
from qinqing.appeals.models import Appeal, Channel
from qinqing.core import audit
from qinqing.notifications.actions import notify

from .models import Meeting, MeetingKind, MeetingStatus, PreVisit

MeetingError = appeal_actions.AppealError
EDITABLE = ["kind", "title", "date", "host_leader", "location"]
FIELDS = ["kind", "title", "date", "host_leader", "status", "attendees", "agenda", "signoff_note", "signed_off_at_id"]


def _check(actor, meeting: Meeting | None = None) -> None:
    if actor.role != "fic_staff":
        raise MeetingError(_("只有工商联工作人员可以管理恳谈会"))
    if meeting is not None and not meeting.org_path.startswith(actor.org.path):
        raise MeetingError(_("该会议不在您的管辖范围内"))


def _validate(actor, *, title: str, host_leader: str, departments, enterprises) -> None:
    if not title.strip():
        raise MeetingError(_("请填写会议名称"))
    if not host_leader.strip():
        raise MeetingError(_("请填写主持领导"))
    for dept in departments:
        if dept.kind != "department" or not dept.path.startswith(actor.org.path):
            raise MeetingError(_("参会部门“%(name)s”不在您的管辖范围内") % {"name": dept.name})
    for ent in enterprises:
        if not ent.org_path.startswith(actor.org.path):
            raise MeetingError(_("企业“%(name)s”不在您的管辖范围内") % {"name": ent.name})


def _state(meeting: Meeting) -> dict:
    """The editable fields plus the invited departments and enterprises, for before/after audit values."""
    return {
        **audit.snapshot(meeting, EDITABLE),
        "departments": sorted(meeting.departments.values_list("pk", flat=True)),
        "enterprises": sorted(meeting.enterprises.values_list("pk", flat=True)),
    }


@transaction.atomic
def create_meeting(
    *,
    actor,
    kind: str,
    title: str,
    day: date,
    host_leader: str,
    location: str = "",
    agenda: str = "",
    departments=(),
    enterprises=(),
) -> Meeting:
    _check(actor)
    _validate(actor, title=title, host_leader=host_leader, departments=departments, enterprises=enterprises)
    meeting = Meeting.objects.create(
        fic=actor.org,
        org_path=actor.org.path,
        kind=kind,
        title=title.strip(),
        date=day,
        host_leader=host_leader.strip(),
        location=location,
        agenda=agenda,
        created_by=actor,
    )
    meeting.departments.set(departments)
    meeting.enterprises.set(enterprises)
    audit.record("meetings.create", obj=meeting, actor=actor, after=audit.snapshot(meeting, FIELDS))
    return meeting


@transaction.atomic
def update_meeting(
    meeting: Meeting,
    *,
    actor,
    kind: str,
    title: str,
    day: date,
    host_leader: str,
    location: str = "",
    departments=(),
    enterprises=(),
) -> Meeting:
    """Edit a meeting's plan. Once held its date is fixed (the issues raised carry it as their
    registration date); once signed off nothing changes."""
    _check(actor, meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == MeetingStatus.SIGNED_OFF:
        raise MeetingError(_("会议已销号，不能再修改"))
    if meeting.status != MeetingStatus.PLANNED and day != meeting.date:
        raise MeetingError(_("会议已召开，日期不能修改（仍为 %(date)s）") % {"date": meeting.date})
    if kind not in MeetingKind.values:
        raise MeetingError(_("会议类型无效"))
    _validate(actor, title=title, host_leader=host_leader, departments=departments, enterprises=enterprises)
    before = _state(meeting)
    meeting.kind, meeting.title, meeting.date = kind, title.strip(), day
    meeting.host_leader, meeting.location = host_leader.strip(), location.strip()
    meeting.save(update_fields=[*EDITABLE, "updated_at"])
    meeting.departments.set(departments)
    meeting.enterprises.set(enterprises)
    old, new = audit.diff(before, _state(meeting))
    if new:
        audit.record("meetings.update", obj=meeting, actor=actor, before=old, after=new)
    if meeting.agenda_published_at and {"date", "location", "enterprises", "departments"} & set(new):
        _notify_invitees(meeting, _("会议安排变更：%(title)s（%(date)s）"), key="update")
    return meeting


@transaction.atomic
def publish_agenda(meeting: Meeting, *, actor, agenda: str) -> Meeting:
    _check(actor, meeting)
    if not agenda.strip():
        raise MeetingError(_("请填写议程"))
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    before = audit.snapshot(meeting, ["agenda", "agenda_published_at"])
    meeting.agenda = agenda.strip()
    meeting.agenda_published_at = timezone.now()
    meeting.save(update_fields=["agenda", "agenda_published_at", "updated_at"])
    audit.record(
        "meetings.publish_agenda",
        obj=meeting,
        actor=actor,
        before=before,
        after=audit.snapshot(meeting, ["agenda", "agenda_published_at"]),
    )
    _notify_invitees(meeting, _("会议议程：%(title)s（%(date)s）"), key="agenda")
    return meeting


def invitees(meeting: Meeting) -> list:
    """The active users of the invited enterprises and the liaisons of the participating departments."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(is_active=True)
    enterprise_ids = list(meeting.enterprises.values_list("pk", flat=True))
    department_ids = list(meeting.departments.values_list("pk", flat=True))
    return [
        *users.filter(role="enterprise", enterprise_id__in=enterprise_ids),
        *users.filter(role="dept_liaison", org_id__in=department_ids),
    ]


def _notify_invitees(meeting: Meeting, title: str, *, key: str) -> None:
    """Tell the invited enterprises and departments the date, place and agenda (after the commit)."""
    recipients = invitees(meeting)
    facts = {"title": meeting.title, "date": meeting.date, "location": meeting.location or _("另行通知")}
    body = _("会议日期：%(date)s；地点：%(location)s。") % facts
    if meeting.agenda_published_at:
        body += _("议程：%(agenda)s") % {"agenda": meeting.agenda}
    title = title % facts
    url = reverse("meetings:detail", args=[meeting.pk])
    stamp = f"meeting:{meeting.pk}:{key}:{meeting.date}:{timezone.now():%Y%m%d%H%M%S%f}"
    transaction.on_commit(
        lambda: notify(recipients, kind="meetings.invitation", title=title, body=body, url=url, key=stamp)
    )


@transaction.atomic
def add_visit(meeting: Meeting, *, actor, enterprise, visited_on: date, notes: str) -> PreVisit:
    _check(actor, meeting)
    if not notes.strip():
        raise MeetingError(_("请填写走访记录"))
    if not enterprise.org_path.startswith(actor.org.path):
        raise MeetingError(_("企业不在您的管辖范围内"))
    visit = PreVisit.objects.create(
        meeting=meeting, enterprise=enterprise, visited_on=visited_on, notes=notes, visitor=actor
    )
    audit.record(
        "meetings.add_visit", obj=meeting, actor=actor, after={"enterprise": enterprise.pk, "visited_on": visited_on}
    )
    return visit


@transaction.atomic
def record_issue(
    meeting: Meeting,
    *,
    actor,
    enterprise,
    appeal_type,
    domain,
    title: str,
    description: str = "",
    solved_on_spot: bool = False,
    comment: str = "",
    submission_key: str = "",
):
    """Fast entry of one issue raised at the meeting: an appeal with channel=meeting, optionally 现场解决.

    Not on a signed-off meeting (its problem list is closed); the meeting row is locked for the check."""
    _check(actor, meeting)
    meeting = _lock_open(meeting, _("会议已销号，不能再登记问题"))
    if solved_on_spot:
        _require_held(meeting)
    appeal = appeal_actions.register_appeal(
        actor=actor,
        enterprise=enterprise,
        appeal_type=appeal_type,
        domain=domain,
        title=title,
        description=description or title,
        channel=Channel.MEETING,
        meeting=meeting,
        registered_on=meeting.date,
        submission_key=submission_key,
    )
    if getattr(appeal, "replayed", False):  # the same entry sent twice (double click, retry): recorded once
        return appeal
    if solved_on_spot:
        appeal = appeal_actions.solve_on_spot(appeal, actor=actor, comment=comment)
    return appeal


def _lock_open(meeting: Meeting, refusal: str) -> Meeting:
    """Lock the meeting row; refuse with ``refusal`` when it is signed off."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == MeetingStatus.SIGNED_OFF:
        raise MeetingError(refusal)
    return meeting


@transaction.atomic
def solve_issue(meeting: Meeting, appeal, *, actor, comment: str = ""):
    """Mark an issue already recorded at this meeting as 现场解决 (closes the appeal)."""
    _check(actor, meeting)
    meeting = _lock_open(meeting, _("会议已销号，不能再修改问题"))
    if appeal.meeting_id != meeting.pk:
        raise MeetingError(_("诉求 %(number)s 不是在本次会议上提出的问题") % {"number": appeal.number})
    _require_held(meeting)
    return appeal_actions.solve_on_spot(appeal, actor=actor, comment=comment)


def _require_held(meeting: Meeting) -> None:
    """现场解决 happens at the meeting: not before it has been marked 已召开."""
    if meeting.status == MeetingStatus.PLANNED:
        raise MeetingError(
            _("会议（%(date)s）尚未召开，不能标记“现场解决”；请在会议召开并标记“已召开”后再操作")
            % {"date": meeting.date}
        )


@transaction.atomic
def hold_meeting(meeting: Meeting, *, actor, attendees: int) -> Meeting:
    _check(actor, meeting)
    if attendees < 0:
        raise MeetingError(_("参会企业家人数不能为负数"))
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != MeetingStatus.PLANNED:
        raise MeetingError(_("会议已召开"))
    today = appeal_actions.today()
    if meeting.date > today:
        raise MeetingError(
            _("会议日期为 %(date)s，今天（%(today)s）之前不能标记为已召开") % {"date": meeting.date, "today": today}
        )
    before = audit.snapshot(meeting, FIELDS)
    meeting.status = MeetingStatus.HELD
    meeting.attendees = attendees
    meeting.save(update_fields=["status", "attendees", "updated_at"])
    audit.record("meetings.hold", obj=meeting, actor=actor, before=before, after=audit.snapshot(meeting, FIELDS))
    return meeting


@transaction.atomic
def sign_off(meeting: Meeting, *, actor, at_meeting: Meeting, note: str) -> Meeting:
    """销号: the results of ``meeting`` are reviewed and signed off at a later meeting."""
    _check(actor, meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != MeetingStatus.HELD:
        raise MeetingError(_("只有已召开的会议可以销号"))
    if at_meeting.pk == meeting.pk or at_meeting.date < meeting.date:
        raise MeetingError(_("请选择之后召开的会议进行销号"))
    at_meeting = Meeting.objects.get(pk=at_meeting.pk)  # its status as it is now, not as the caller read it
    if at_meeting.status == MeetingStatus.PLANNED:
        raise MeetingError(
            _("销号会议“%(title)s”（%(date)s）尚未召开；成果销号须在已召开的会议上进行")
            % {"title": at_meeting.title, "date": at_meeting.date}
        )
    issues = Appeal.objects.filter(meeting=meeting, status__in=wf.OPEN_STATES).order_by("pk")
    still_open = list(issues.values_list("number", flat=True))
    if still_open:
        shown = "、".join(still_open[:10]) + ("…" if len(still_open) > 10 else "")
        raise MeetingError(
            _("本次会议仍有%(count)s件问题未办结（%(numbers)s），全部办结后才能成果销号")
            % {"count": len(still_open), "numbers": shown}
        )
    if not note.strip():
        raise MeetingError(_("请填写销号说明"))
    before = audit.snapshot(meeting, FIELDS)
    meeting.status = MeetingStatus.SIGNED_OFF
    meeting.signed_off_at = at_meeting
    meeting.signoff_note = note.strip()
    meeting.save(update_fields=["status", "signed_off_at", "signoff_note", "updated_at"])
    audit.record("meetings.sign_off", obj=meeting, actor=actor, before=before, after=audit.snapshot(meeting, FIELDS))
    return meeting
