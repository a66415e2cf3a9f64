"""Stage 4, callback: 回访 closes the appeal or sends it back to the same departments (重办)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import sla
from .. import workflow as wf
from ..models import (
    Appeal,
)
from .common import (
    _apply,
    _notify,
    _start_handling_clock,
    department_users,
    enterprise_users,
)
from .extensions import _cancel_pending_extensions


@transaction.atomic
def record_callback(appeal: Appeal, *, actor, satisfaction: int, solved: bool, comment: str = "") -> Appeal:
    """回访: 非常满意/满意/基本满意 close it; 不满意/非常不满意 send it back to the same departments (重办)."""
    satisfaction = int(satisfaction)
    outcome = wf.callback_outcome(satisfaction)
    label = wf.SATISFACTION_LABELS[satisfaction]

    def close(a: Appeal) -> None:
        a.satisfaction = satisfaction
        a.solved = bool(solved)
        a.rating_comment = comment[:500]
        a.closed_at = timezone.now()
        a.deadline_state = sla.OK

    def rehandle(a: Appeal) -> None:
        _cancel_pending_extensions(a, actor, _("企业不满意，诉求重办，办理期限重新计算"))
        a.rehandle_count += 1
        _start_handling_clock(a, keep_lateness=True)

    if solved:
        summary = _("%(satisfaction)s；已实际解决") % {"satisfaction": label}
    else:
        summary = _("%(satisfaction)s；未实际解决") % {"satisfaction": label}
    if comment:
        summary = _("%(summary)s；%(comment)s") % {"summary": summary, "comment": comment}
    appeal, event = _apply(
        appeal,
        actor,
        outcome,
        close if outcome == "close" else rehandle,
        comment=summary,
        satisfaction=satisfaction,
        solved=bool(solved),
    )
    if outcome == "close":
        _notify(
            appeal,
            event,
            [*department_users(appeal), *enterprise_users(appeal)],
            _("诉求已办结：%(number)s") % {"number": appeal.number},
        )
    else:
        _notify(
            appeal, event, department_users(appeal), _("企业不满意，诉求重办：%(number)s") % {"number": appeal.number}
        )
    return appeal
