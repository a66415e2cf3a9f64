"""Registry models: each aggregate's models live in its sub-package (enterprises, members, chambers)."""

from ..chambers.models import Chamber, ChamberBranch, ChamberRating, ChamberTerm
from ..enterprises.models import Enterprise, EnterpriseContact, EnterpriseYearFigures
from ..members.models import Member, member_status

__all__ = [
    "Chamber",
    "ChamberBranch",
    "ChamberRating",
    "ChamberTerm",
    "Enterprise",
    "EnterpriseContact",
    "EnterpriseYearFigures",
    "Member",
    "member_status",
]
