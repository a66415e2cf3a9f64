"""延期: a department asks for more working days, the FIC decides; pending requests are withdrawn when the
appeal changes hands (退回, 重办, 合并)."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from qinqing.appeals import actions as pkg  # today()/calendar()/limits looked up at call time (tests pin them)
from qinqing.core import audit
from qinqing.notifications.actions import notify

from .. import sla
from ..models import (
    Appeal,
    ExtensionRequest,
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


def _cancel_pending_extensions(appeal: Appeal, actor, why: str) -> list[ExtensionRequest]:
    """A pending extension belongs to the department and deadline it was asked for: when the appeal is
    returned, re-handled or merged it is withdrawn (audited; the requester is told after commit), so it
    can neither block the next department's request nor move the next deadline when approved."""
    pending = list(
        ExtensionRequest.objects.select_for_update(of=("self",))
        .select_related("requested_by")
        .filter(appeal=appeal, status=ExtensionRequest.PENDING)
    )
    for ext in pending:
        ext.status = ExtensionRequest.CANCELLED
        ext.decision_note = why[:500]
        ext.save(update_fields=["status", "decision_note", "updated_at"])
        audit.record(
            "appeals.cancel_extension",
            obj=ext,
            actor=actor,
            before={"status": ExtensionRequest.PENDING},
            after={"status": ExtensionRequest.CANCELLED, "reason": why},
        )
        if ext.requested_by_id:
            users, url = [ext.requested_by], reverse("appeals:detail", args=[appeal.pk])
            title = _("延期申请已撤销：%(number)s") % {"number": appeal.number}
            body = _("%(number)s %(title)s：您申请的延期%(days)s个工作日未经审批即撤销，原因：%(why)s") % {
                "number": appeal.number,
                "title": appeal.title,
                "days": ext.days,
                "why": why,
            }
            transaction.on_commit(
                lambda users=users, title=title, body=body, url=url, pk=ext.pk: notify(
                    users,
                    kind="appeals.cancel_extension",
                    title=title,
                    body=body,
                    url=url,
                    key=f"extension:{pk}:cancel",
                )
            )
    return pending


@transaction.atomic
def request_extension(appeal: Appeal, *, actor, days: int, reason: str) -> ExtensionRequest:
    reason = _require(reason, _("请填写延期理由"))
    days = int(days)
    if not 1 <= days <= 30:
        raise AppealError(_("延期天数须在1到30个工作日之间"))
    holder: dict = {}

    def mutate(a: Appeal) -> None:
        if a.reply_due and pkg.today() > a.reply_due:
            raise AppealError(_("已超过答复期限（%(due)s），不能再申请延期") % {"due": a.reply_due})
        if a.extensions.filter(status=ExtensionRequest.PENDING).exists():
            raise AppealError(_("已有待审批的延期申请"))
        holder["ext"] = ExtensionRequest.objects.create(appeal=a, days=days, reason=reason[:500], requested_by=actor)

    comment = _("申请延期%(days)s个工作日：%(reason)s") % {"days": days, "reason": reason}
    appeal, event = _apply(appeal, actor, "request_extension", mutate, comment=comment)
    _notify(appeal, event, staff_of(appeal), _("延期申请待审批：%(number)s") % {"number": appeal.number})
    return holder["ext"]


@transaction.atomic
def decide_extension(extension: ExtensionRequest, *, actor, approve: bool, note: str = "") -> ExtensionRequest:
    # Appeal row first, then the request: the same order as return/rehandle/merge, so no deadlock.
    Appeal.objects.select_for_update(of=("self",)).filter(pk=extension.appeal_id).first()
    ext = ExtensionRequest.objects.select_for_update().get(pk=extension.pk)
    if ext.status == ExtensionRequest.CANCELLED:
        raise AppealError(_("该延期申请已撤销（诉求已退回、重办或合并），无需审批"))
    if ext.status != ExtensionRequest.PENDING:
        raise AppealError(_("该延期申请已审批"))
    if not approve:
        note = _require(note, _("请填写不同意的理由"))

    def mutate(a: Appeal) -> None:
        ext.old_due = a.reply_due
        if approve:
            a.reply_due = sla.add_workdays(pkg.calendar(), a.reply_due or pkg.today(), ext.days)
            a.extension_days += ext.days
            a.deadline_state = sla.deadline_state(pkg.calendar(), a.current_due, pkg.today(), a.warn_days)
            a.escalation = 0
        ext.new_due = a.reply_due

    facts = {"days": ext.days, "reason": ext.reason, "note": note}
    if approve:
        summary = _("同意延期%(days)s个工作日。延期理由：%(reason)s") % facts
        if note:
            summary = _("同意延期%(days)s个工作日。延期理由：%(reason)s；审批意见：%(note)s") % facts
    else:
        summary = _("不同意延期%(days)s个工作日。延期理由：%(reason)s") % facts
        if note:
            summary = _("不同意延期%(days)s个工作日。延期理由：%(reason)s；审批意见：%(note)s") % facts
    appeal, event = _apply(ext.appeal, actor, "decide_extension", mutate, comment=summary)
    ext.status = ExtensionRequest.APPROVED if approve else ExtensionRequest.REFUSED
    ext.decided_by = actor
    ext.decision_note = note[:500]
    ext.save()
    _notify(
        appeal,
        event,
        [*department_users(appeal, co=False), *enterprise_users(appeal)],
        (_("延期申请同意：%(number)s") if approve else _("延期申请不同意：%(number)s")) % {"number": appeal.number},
    )
    return ext
