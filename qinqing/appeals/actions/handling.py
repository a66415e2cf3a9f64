"""Stage 3, handling by the department: 首次联系, 答复, pause for materials / resume / 补充材料, 协办意见,
and 现场解决 at a meeting."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qinqing.appeals import actions as pkg  # today()/calendar()/limits looked up at call time (tests pin them)

from .. import sla
from .. import workflow as wf
from ..attachments import check_files
from ..models import (
    Appeal,
    AppealAttachment,
)
from .common import (
    AppealError,
    _apply,
    _notify,
    _require,
    department_users,
    enterprise_users,
    staff_of,
)


@transaction.atomic
def contact_enterprise(appeal: Appeal, *, actor, comment: str) -> Appeal:
    comment = _require(comment, _("请填写联系情况"))

    def mutate(a: Appeal) -> None:
        a.contacted_at = timezone.now()
        on_time = pkg.today() <= a.contact_due if a.contact_due else True
        a.contacted_on_time = on_time and a.contacted_on_time is not False  # late once (re-handling): late
        a.deadline_state = sla.deadline_state(pkg.calendar(), a.reply_due, pkg.today(), a.warn_days)

    appeal, event = _apply(appeal, actor, "contact", mutate, comment=comment)
    if appeal.rehandle_count:  # after 重办 the department contacts the enterprise again
        event.label = _("再次联系企业")
        event.save(update_fields=["label"])
    _notify(appeal, event, enterprise_users(appeal), _("承办单位已与您联系：%(number)s") % {"number": appeal.number})
    return appeal


@transaction.atomic
def reply_appeal(appeal: Appeal, *, actor, reply: str) -> Appeal:
    reply = _require(reply, _("请填写答复内容"))

    def mutate(a: Appeal) -> None:
        a.reply = reply
        a.replied_at = timezone.now()
        on_time = pkg.today() <= a.reply_due if a.reply_due else True
        a.replied_on_time = on_time and a.replied_on_time is not False  # late once (re-handling): late
        # 回访 within ``callback_days`` working days of the reply: the FIC's clock now.
        a.callback_due = sla.add_workdays(pkg.calendar(), pkg.today(), a.callback_days)
        a.deadline_state = sla.deadline_state(pkg.calendar(), a.callback_due, pkg.today(), a.warn_days)
        a.escalation = 0

    appeal, event = _apply(appeal, actor, "reply", mutate, comment=reply)
    _notify(
        appeal,
        event,
        [*enterprise_users(appeal), *staff_of(appeal)],
        _("诉求已答复，待回访：%(number)s") % {"number": appeal.number},
    )
    return appeal


@transaction.atomic
def pause_appeal(appeal: Appeal, *, actor, reason: str) -> Appeal:
    """等待企业补充材料: the clock stops until resume_appeal."""
    reason = _require(reason, _("请填写需要企业补充的材料"))

    def mutate(a: Appeal) -> None:
        a.is_paused = True
        a.paused_on = pkg.today()
        if a.current_due and a.paused_on > a.current_due:  # paused late: the lateness is on record
            a.deadline_state = sla.OVERDUE
            a.ever_overdue = True

    appeal, event = _apply(appeal, actor, "pause", mutate, comment=reason)
    _notify(appeal, event, enterprise_users(appeal), _("请补充材料：%(number)s") % {"number": appeal.number})
    return appeal


def _resume_clocks(a: Appeal) -> None:
    """Restart the stopped clocks with the working days that were left (lateness kept)."""
    cal, day = pkg.calendar(), pkg.today()
    paused_on = a.paused_on or day
    if a.status == wf.REGISTERED and a.accept_due:
        a.accept_due = sla.resume_deadline(cal, a.accept_due, paused_on, day)
    if a.status == wf.ACCEPTED and a.dispatch_due:
        a.dispatch_due = sla.resume_deadline(cal, a.dispatch_due, paused_on, day)
    if a.status in wf.HANDLING_STATES:
        if a.contacted_at is None and a.contact_due:
            a.contact_due = sla.resume_deadline(cal, a.contact_due, paused_on, day)
        if a.reply_due:
            a.reply_due = sla.resume_deadline(cal, a.reply_due, paused_on, day)
    a.is_paused = False
    a.paused_on = None
    # The state is right from the resume on, not from the next sweep; raising 催办/督办 (and its
    # notifications) stays with the sweep, which sees the level above the recorded one.
    a.deadline_state = sla.deadline_state(cal, a.current_due, day, a.warn_days)
    a.ever_overdue = a.ever_overdue or a.deadline_state == sla.OVERDUE


@transaction.atomic
def resume_appeal(appeal: Appeal, *, actor, comment: str = "") -> Appeal:
    appeal, event = _apply(appeal, actor, "resume", _resume_clocks, comment=comment or _("企业已补充材料，恢复计时"))
    _notify(
        appeal,
        event,
        [*department_users(appeal, co=False), *staff_of(appeal)],
        _("恢复办理：%(number)s") % {"number": appeal.number},
    )
    return appeal


@transaction.atomic
def supply_materials(appeal: Appeal, *, actor, comment: str, files: Iterable = ()) -> Appeal:
    """补充材料: the enterprise sends what was asked for (a note and/or files); the clock resumes."""
    files = list(files)
    comment = (comment or "").strip()
    if not comment and not files:
        raise AppealError(_("请填写补充说明或上传补充材料"))
    check_files(files, max_bytes=pkg.MAX_ATTACHMENT_BYTES)  # extension and content (core.uploads)
    names = [f.name[:200] for f in files]
    text = comment
    if names:
        text = _("%(comment)s（附件：%(files)s）") % {"comment": comment, "files": "、".join(names)}
    appeal, event = _apply(appeal, actor, "supply", _resume_clocks, comment=text or _("企业已补充材料"), files=names)
    for f in files:
        AppealAttachment.objects.create(appeal=appeal, file=f, name=f.name[:200], uploaded_by=actor)
    recipients = [*department_users(appeal, co=False), *staff_of(appeal)]
    _notify(appeal, event, recipients, _("企业已补充材料，恢复办理：%(number)s") % {"number": appeal.number})
    return appeal


@transaction.atomic
def record_co_note(appeal: Appeal, *, actor, comment: str) -> Appeal:
    """协办意见: a co-handling department records its contribution for the lead department and the FIC."""
    comment = _require(comment, _("请填写协办意见"))
    appeal, event = _apply(appeal, actor, "co_note", comment=comment, public=False)
    lead = department_users(appeal, co=False)
    title = _("协办单位%(department)s填写了协办意见：%(number)s") % {
        "department": actor.org.name,
        "number": appeal.number,
    }
    _notify(appeal, event, [*lead, *staff_of(appeal)], title)
    return appeal


@transaction.atomic
def solve_on_spot(appeal: Appeal, *, actor, comment: str = "") -> Appeal:
    """现场解决 at a meeting: closed at once, counted as solved."""

    def mutate(a: Appeal) -> None:
        a.solved_on_spot = True
        a.solved = True
        a.accepted_at = a.accepted_at or timezone.now()
        a.closed_at = timezone.now()
        a.reply = comment or a.reply or _("会上现场解决")
        a.deadline_state = sla.OK

    appeal, _event_row = _apply(appeal, actor, "solve_on_spot", mutate, comment=comment or _("会上现场解决"))
    return appeal
