"""Stage 2, dispatch: 交办 to a lead department (+ co-handlers), 退回 by it, 催办 and 督办."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import (
    Appeal,
)
from .common import (
    AppealError,
    _apply,
    _notify,
    _require,
    _start_dispatch_clock,
    _start_handling_clock,
    department_users,
    leaders_of,
    staff_of,
)
from .extensions import _cancel_pending_extensions


@transaction.atomic
def assign_appeal(appeal: Appeal, *, actor, lead_department, co_departments=(), comment: str = "") -> Appeal:
    """交办: one lead department (主办) and optional co-handlers (协办), all within the actor's tree."""
    co_departments = [d for d in co_departments if d.pk != getattr(lead_department, "pk", None)]
    for dept in [lead_department, *co_departments]:
        if dept is None or dept.kind != "department":
            raise AppealError(_("请选择承办单位（政府部门）"))
        if not dept.path.startswith(actor.org.path):
            raise AppealError(_("承办单位“%(name)s”不在您的管辖范围内") % {"name": dept.name})

    def mutate(a: Appeal) -> None:
        a.lead_department = lead_department
        _start_handling_clock(a)

    appeal, event = _apply(
        appeal,
        actor,
        "assign",
        mutate,
        comment=comment,
        lead=lead_department.name,
        co=[d.name for d in co_departments],
    )
    appeal.co_departments.set(co_departments)
    _notify(
        appeal,
        event,
        department_users(appeal),
        _("新交办诉求：%(number)s，答复期限 %(due)s") % {"number": appeal.number, "due": appeal.reply_due},
    )
    return appeal


@transaction.atomic
def return_appeal(appeal: Appeal, *, actor, reason: str, suggested_department=None) -> Appeal:
    """退回: the lead department says it is not theirs; back to 已受理 for the FIC to reassign."""
    reason = _require(reason, _("请填写退回理由"))

    def mutate(a: Appeal) -> None:
        department = a.lead_department.name if a.lead_department else _("承办单位")
        _cancel_pending_extensions(a, actor, _("诉求已被%(department)s退回") % {"department": department})
        a.lead_department = None
        a.contact_due = a.reply_due = None
        _start_dispatch_clock(a)

    suggestion = suggested_department.name if suggested_department else ""
    appeal, event = _apply(
        appeal,
        actor,
        "return",
        mutate,
        comment=_("%(reason)s（建议承办单位：%(department)s）") % {"reason": reason, "department": suggestion}
        if suggestion
        else reason,
        suggested_department=getattr(suggested_department, "pk", None),
        public=False,
    )
    appeal.co_departments.clear()
    _notify(appeal, event, staff_of(appeal), _("诉求被退回，请重新交办：%(number)s") % {"number": appeal.number})
    return appeal


@transaction.atomic
def urge_appeal(appeal: Appeal, *, actor, comment: str = "") -> Appeal:
    """催办: a reminder to the handling department."""

    def mutate(a: Appeal) -> None:
        a.urge_count += 1
        a.escalation = max(a.escalation, 1)

    appeal, event = _apply(appeal, actor, "urge", mutate, comment=comment or _("请抓紧办理"), public=False)
    recipients = department_users(appeal) if appeal.lead_department_id else staff_of(appeal)
    _notify(appeal, event, recipients, _("催办：%(number)s") % {"number": appeal.number}, kind="appeals.urge")
    return appeal


@transaction.atomic
def supervise_appeal(appeal: Appeal, *, actor, comment: str = "") -> Appeal:
    """督办: escalate to the FIC leadership and the department."""

    def mutate(a: Appeal) -> None:
        a.escalation = 2

    appeal, event = _apply(
        appeal, actor, "supervise", mutate, comment=comment or _("超期未办结，提请督办"), public=False
    )
    _notify(
        appeal,
        event,
        [*leaders_of(appeal), *department_users(appeal)],
        _("督办：%(number)s") % {"number": appeal.number},
    )
    return appeal
