"""The only writers of programs data, one module per program; every public name is re-exported here."""

from .common import ProgramsError, today  # noqa: F401
from .donations import MAJOR_AMOUNT, attach_receipt, issue_letter, mark_reported, register_donation  # noqa: F401
from .listing import add_candidate, add_service, advance_stage, reclassify  # noqa: F401
from .villages import add_project, check_county, record_year, save_pairing  # noqa: F401
