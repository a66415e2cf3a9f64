"""Registry models, one module per aggregate."""

from .chamber import Chamber, ChamberBranch, ChamberRating, ChamberTerm
from .enterprise import Enterprise, EnterpriseContact, EnterpriseYearFigures
from .member import Member, member_status

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
