"""Financing actions, one module per stage; every public (and shared private) name is re-exported here."""

from .common import (  # noqa: F401
    AMOUNT_MAX,
    FINAL,
    RANK,
    RATE_MAX,
    TERM_MAX,
    FinancingError,
    _banks,
    _decimal,
    _int,
    _notify_bank,
    _notify_enterprise,
    _notify_staff,
    _send,
    answer_days,
    clean_need_fields,
    today,
)
from .events import (  # noqa: F401
    chase_overdue,
    save_event,
    save_product,
    save_reason,
    sign_intention,
)
from .needs import (  # noqa: F401
    _check_scope,
    _new_need,
    recommend_needs,
    registry_criteria,
    screen_need,
    state_need,
    update_need,
    withdraw_need,
)
from .outcomes import (  # noqa: F401
    _check_bank_actor,
    _department_for,
    check_stage,
    complete_fix_task,
    fix_task_to_appeal,
    mark_complete,
    record_stage,
    rerecommend,
    update_fix_task,
)
from .pushes import (  # noqa: F401
    _referral,
    _refresh_need_stage,
    chamber_recommend,
    push_batch,
)
