"""The only writers of mediation data (bodies, rosters, cases, parties, sessions, extensions, outcomes).
One module per topic; every public name is re-exported here."""

from .bodies import add_to_roster, remove_from_roster, save_body
from .cases import (
    add_party,
    assign_mediator,
    clean_case,
    clean_parties,
    extend_deadline,
    next_number,
    register_case,
)
from .common import MediationError, court_days, other_days, today
from .outcomes import (
    fail,
    log_session,
    record_confirmation,
    record_lawsuit,
    remind_overdue,
    request_confirmation,
    return_to_court,
    settle,
    withdraw,
)

__all__ = [
    "MediationError",
    "add_party",
    "add_to_roster",
    "assign_mediator",
    "clean_case",
    "clean_parties",
    "court_days",
    "extend_deadline",
    "fail",
    "log_session",
    "next_number",
    "other_days",
    "record_confirmation",
    "record_lawsuit",
    "register_case",
    "remind_overdue",
    "remove_from_roster",
    "request_confirmation",
    "return_to_court",
    "save_body",
    "settle",
    "today",
    "withdraw",
]
