"""One filter definition for the appeal list: page, API and export share it."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from qinqing.core.badinput import date_param, int_param

from . import workflow as wf

FIELDS = ("q", "status", "deadline", "type", "domain", "channel", "department", "from", "to", "mine")


def filter_appeals(qs: QuerySet, params) -> tuple[QuerySet, dict]:
    p = _parse(params)
    if p["q"]:
        q = p["q"]
        # A word without letters that have a case (Chinese, digits) matches the same rows with LIKE as with
        # ILIKE; on PostgreSQL ``icontains`` is UPPER(column) LIKE UPPER(word), and UPPER over every appeal in a
        # province's scope was most of the searched list's time (3 M enterprises: county count ~0.5 s).
        lookup = "contains" if q.upper() == q.lower() else "icontains"
        # The enterprise's name as copied on the appeal (enterprise_name.py): the count reads no enterprise row.
        qs = qs.filter(Q(number=q) | Q(**{f"title__{lookup}": q}) | Q(**{f"enterprise_name__{lookup}": q}))
    if p["status"] == "open":
        qs = qs.filter(status__in=wf.OPEN_LIST)  # the condition of the partial index appeal_open_newest
    elif p["status"] in wf.STATE_LABELS:
        qs = qs.filter(status=p["status"])
    if p["deadline"] in ("warning", "overdue"):
        qs = qs.filter(deadline_state=p["deadline"], status__in=wf.OPEN_LIST)
    elif p["deadline"] == "paused":
        qs = qs.filter(is_paused=True)
    elif p["deadline"] == "escalated":
        qs = qs.filter(escalation__gt=0, status__in=wf.OPEN_LIST)
    if p["type"]:
        qs = qs.filter(appeal_type__code=p["type"])
    if p["domain"]:
        qs = qs.filter(domain__code=p["domain"])
    if p["channel"]:
        qs = qs.filter(channel=p["channel"])
    # Bad values answer 400 naming the field (core.badinput), never a 500 from the database.
    department = int_param(p, "department", _("承办单位"))
    if department is not None:
        qs = qs.filter(lead_department_id=department)
    start, end = date_param(p, "from", _("起始日期")), date_param(p, "to", _("截止日期"))
    if start:
        qs = qs.filter(registered_on__gte=start)
    if end:
        qs = qs.filter(registered_on__lte=end)
    return qs.order_by("-registered_on", "-id"), p


# The filters a rollup row can answer (its keys); the others need the appeals themselves.
ROLLUP_FIELDS = ("type", "domain", "channel", "department", "from", "to")


def _parse(params) -> dict:
    return {k: (params.get(k) or "").strip() for k in FIELDS}


def filter_rollup(qs: QuerySet, params) -> QuerySet | None:
    """The same filters as ``filter_appeals`` on AppealRollup rows; None when one of them needs the appeals."""
    from .models import AppealDomain, AppealType

    p = _parse(params)
    if any(p[k] for k in FIELDS if k not in ROLLUP_FIELDS):
        return None
    if p["type"]:
        qs = qs.filter(appeal_type__in=AppealType.objects.filter(code=p["type"]).values("pk"))
    if p["domain"]:
        qs = qs.filter(domain__in=AppealDomain.objects.filter(code=p["domain"]).values("pk"))
    if p["channel"]:
        qs = qs.filter(channel=p["channel"])
    department = int_param(p, "department", _("承办单位"))
    if department is not None:
        qs = qs.filter(department=department)
    start, end = date_param(p, "from", _("起始日期")), date_param(p, "to", _("截止日期"))
    if start:
        qs = qs.filter(day__gte=start)
    if end:
        qs = qs.filter(day__lte=end)
    return qs
