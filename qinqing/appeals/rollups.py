"""The appeals rollup (qinqing.core.rollups): every count of the figures page per registration day × FIC ×
lead department × type × domain × channel, with the same conditions as the direct query (figures.COUNTS).

The two counts that depend on today (首次联系/答复 still missing after the deadline) are keys, not counts:
an appeal waiting for its first contact carries its ``contact_due`` in ``contact_wait`` (likewise
``reply_wait``), every other appeal carries NOT_WAITING, so "late as of today" is the sum of ``received`` over
the rows with ``contact_wait < today``. Appeal.save() keeps the table exact in the same transaction.
"""

from __future__ import annotations

from django.db.models import Case, DateField, F, Q, Value, When
from django.db.models.functions import Coalesce, TruncMonth

from qinqing.core.rollups import Rollup, register

from . import workflow as wf
from .figures import COUNTS
from .models import NOT_WAITING


def _waiting(step_at: str, due: str):
    """The step's deadline while the appeal waits for it (dispatched, step not done, not final), else NOT_WAITING."""
    waiting = Q(assigned_at__isnull=False, **{f"{step_at}__isnull": True, f"{due}__isnull": False}) & ~Q(
        status__in=wf.FINAL_STATES
    )
    return Case(When(waiting, then=F(due)), default=Value(NOT_WAITING), output_field=DateField())


_DEPENDS_ON = frozenset(
    {
        "registered_on",
        "org_path",
        "fic",
        "fic_id",
        "lead_department",
        "lead_department_id",
        "appeal_type",
        "appeal_type_id",
        "domain",
        "domain_id",
        "channel",
        "status",
        "accepted_at",
        "assigned_at",
        "contacted_at",
        "replied_at",
        "contact_due",
        "reply_due",
        "contacted_on_time",
        "replied_on_time",
        "satisfaction",
        "solved",
        "ever_overdue",
        "rehandle_count",
        "extension_days",
    }
)

APPEALS = Rollup(
    name="appeals",
    months="appeals_months",
    source="appeals.Appeal",
    target="appeals.AppealRollup",
    day="registered_on",
    path="org_path",
    keys={
        "fic": "fic_id",
        "department": Coalesce("lead_department_id", Value(0)),
        "appeal_type": "appeal_type_id",
        "domain": "domain_id",
        "channel": "channel",
        "contact_wait": _waiting("contacted_at", "contact_due"),
        "reply_wait": _waiting("replied_at", "reply_due"),
    },
    counts={name: cond for name, cond in COUNTS.items() if not callable(cond)},
    depends_on=_DEPENDS_ON,
)

# The same counts per month × path alone, for the whole months of a period (figure_values reads both).
APPEALS_MONTHS = Rollup(
    name="appeals_months",
    source="appeals.Appeal",
    target="appeals.AppealMonthRollup",
    day=TruncMonth("registered_on"),
    path="org_path",
    counts=APPEALS.counts,
    depends_on=_DEPENDS_ON,
)

# The same counts per month × path × lead department with the waits, for the figures page's department rows over a
# whole subtree (figures.rollup_source): the day, FIC, type, domain and channel summed away.
APPEALS_DEPARTMENTS = Rollup(
    name="appeals_departments",
    source="appeals.Appeal",
    target="appeals.AppealDepartmentRollup",
    day=TruncMonth("registered_on"),
    path="org_path",
    keys={name: APPEALS.keys[name] for name in ("department", "contact_wait", "reply_wait")},
    counts=APPEALS.counts,
    depends_on=_DEPENDS_ON,
)

register(APPEALS, APPEALS_MONTHS, APPEALS_DEPARTMENTS)
