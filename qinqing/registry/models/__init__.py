"""Registry models: each aggregate's models live in its sub-package (enterprises, members, chambers)."""

from ..chambers.models import Chamber, ChamberBranch, ChamberRating, ChamberTerm
from ..enterprises.models import Enterprise, EnterpriseContact, EnterpriseYearFigures
from ..members.models import Member, member_status
from .rollup_tables import ChamberRollup, EnterpriseRollup, MemberJoinRollup, MemberLeaveRollup

__all__ = [
    "Chamber",
    "ChamberBranch",
    "ChamberRating",
    "ChamberRollup",
    "ChamberTerm",
    "Enterprise",
    "EnterpriseContact",
    "EnterpriseRollup",
    "EnterpriseYearFigures",
    "Member",
    "MemberJoinRollup",
    "MemberLeaveRollup",
    "member_status",
]
