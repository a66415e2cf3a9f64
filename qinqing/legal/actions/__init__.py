"""Legal check-up actions, one module per stage; the public names are re-exported here."""

from .checkups import (  # noqa: F401
    assign_checkup,
    cancel_checkup,
    link_for,
    member_chambers,
    plan_round,
    record_visit,
    request_checkup,
    submit_selfcheck,
)
from .common import LegalError, followup_days, today  # noqa: F401
from .links import active_links, link_delivery, record_link_service, save_link  # noqa: F401
from .questionnaire import (  # noqa: F401
    add_area,
    add_question,
    current_version,
    delete_question,
    new_version,
    publish_version,
)
from .reports import (  # noqa: F401
    add_risk,
    delete_risk,
    follow_risks,
    issue_report,
    record_call,
    remind_followups,
    risk_to_appeal,
    update_risk,
)
from .talks import save_talk  # noqa: F401
