"""Registry models: each aggregate's models live in its sub-package (enterprises, members, chambers)."""

from ..chambers.models import Chamber, ChamberBranch, ChamberRating, ChamberTerm
from ..enterprises.models import Enterprise, EnterpriseContact, EnterpriseYearFigures
from ..members.models import Member, member_status
from .rollup_tables import (
    ChamberRollup,
    ChamberYearRollup,
    EnterpriseRollup,
    EnterpriseYearRollup,
    MemberJoinRollup,
    MemberJoinYearRollup,
    MemberLeaveRollup,
    MemberLeaveYearRollup,
)

__all__ = [
    "Chamber",
    "ChamberBranch",
    "ChamberRating",
    "ChamberRollup",
    "ChamberTerm",
    "ChamberYearRollup",
    "Enterprise",
    "EnterpriseContact",
    "EnterpriseRollup",
    "EnterpriseYearFigures",
    "EnterpriseYearRollup",
    "Member",
    "MemberJoinRollup",
    "MemberJoinYearRollup",
    "MemberLeaveRollup",
    "MemberLeaveYearRollup",
    "member_status",
]
