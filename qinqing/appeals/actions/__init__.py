"""The only code that writes appeals, one module per stage of an appeal's life:

- ``intake``: 登记, 受理, 不予受理
- ``dispatch``: 交办, 退回, 催办, 督办
- ``handling``: 首次联系, 答复, 暂停/恢复/补充材料, 协办意见, 现场解决
- ``callback``: 回访 (办结 or 重办)
- ``extensions``: 延期 requests and decisions
- ``merge``: 合并, 关联
- ``deadlines``: the periodic 临期/超期 sweep and calendar-gap warnings
- ``classification``: administrators' type × domain classification and deadline rules
- ``common``: the shared plumbing (locking ``_apply``, history events, audit, recipients, clocks)

Every verb: atomic, row-locked, state re-checked after the lock, audited with before/after, one
AppealEvent history row, notifications queued for after the commit.

Callers use this package as they used the single module (``from qinqing.appeals import actions``;
``actions.register_appeal(...)``). ``today``, ``calendar`` and ``MAX_ATTACHMENT_BYTES`` are looked up on
this package at call time by every stage module, so ``monkeypatch.setattr(actions, "today", ...)`` pins
the clock for all of them.
"""

from .callback import record_callback
from .classification import OPTIONAL_RULE_FIELDS, RULE_FIELDS, save_classification, save_deadline_rule
from .common import (
    AUDIT_FIELDS,
    MAX_ATTACHMENT_BYTES,
    MAX_DESCRIPTION_CHARS,
    AppealError,
    _apply,
    _check_scope,
    _event,
    _notify,
    _on_calendar,
    _require,
    _rule_for,
    _start_dispatch_clock,
    _start_handling_clock,
    _users,
    acting_unit,
    calendar,
    calendar_gap_message,
    department_users,
    enterprise_users,
    leaders_of,
    logger,
    staff_of,
    today,
)
from .deadlines import (
    CALENDAR_LOOKAHEAD,
    FIC_CLOCK_STATES,
    SWEPT_STATES,
    _backfill_due,
    _deadline_levels,
    mark_deadlines,
    recompute_deadlines,
    warn_calendar_gap,
)
from .dispatch import assign_appeal, return_appeal, supervise_appeal, urge_appeal
from .extensions import _cancel_pending_extensions, decide_extension, request_extension
from .handling import (
    _resume_clocks,
    contact_enterprise,
    pause_appeal,
    record_co_note,
    reply_appeal,
    resume_appeal,
    solve_on_spot,
    supply_materials,
)
from .intake import accept_appeal, previous_submission, register_appeal, reject_appeal
from .merge import MERGE_TARGET_REFUSED, link_appeals, merge_appeal, merge_differences

__all__ = [
    "AUDIT_FIELDS",
    "CALENDAR_LOOKAHEAD",
    "FIC_CLOCK_STATES",
    "MAX_ATTACHMENT_BYTES",
    "MAX_DESCRIPTION_CHARS",
    "MERGE_TARGET_REFUSED",
    "OPTIONAL_RULE_FIELDS",
    "RULE_FIELDS",
    "SWEPT_STATES",
    "AppealError",
    "accept_appeal",
    "acting_unit",
    "assign_appeal",
    "calendar",
    "calendar_gap_message",
    "contact_enterprise",
    "decide_extension",
    "department_users",
    "enterprise_users",
    "leaders_of",
    "link_appeals",
    "logger",
    "mark_deadlines",
    "merge_appeal",
    "merge_differences",
    "pause_appeal",
    "previous_submission",
    "recompute_deadlines",
    "record_callback",
    "record_co_note",
    "register_appeal",
    "reject_appeal",
    "reply_appeal",
    "request_extension",
    "resume_appeal",
    "return_appeal",
    "save_classification",
    "save_deadline_rule",
    "solve_on_spot",
    "staff_of",
    "supervise_appeal",
    "supply_materials",
    "today",
    "urge_appeal",
    "warn_calendar_gap",
]
# The private helpers stay importable under their old names for code that reached into the module.
_PRIVATE = (
    _apply,
    _backfill_due,
    _cancel_pending_extensions,
    _check_scope,
    _deadline_levels,
    _event,
    _notify,
    _on_calendar,
    _require,
    _resume_clocks,
    _rule_for,
    _start_dispatch_clock,
    _start_handling_clock,
    _users,
)
