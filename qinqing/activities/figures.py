"""Activity figures, declared with the one figure registry (qinqing.core.figures): 活动, 场次, 人次, enterprises
reached, jobs offered and intentions reached, with their breakdown by kind, organiser, month and node of the
tree (rolled up to the scope's direct children).

Counts fall on the day things happened: activities on their first day, sessions and attendances on the
session's day, jobs and intentions on the job fair's first day. Enterprises reached are the distinct
enterprises with at least one attendance; their drill-down lists each enterprise once (a DISTINCT over the
enterprise columns), so the list always has as many rows as the figure says.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from qinqing.core.figures import Column, Figure, Period, Rate, register

from .choices import Kind

SECTION = "economy"

# Per model: the lookups of the kind, the organiser, and the day a record counts on.
LOOKUPS = {
    "activities.Activity": {"kind": "kind", "organiser": "organiser_id", "day": "starts_on"},
    "activities.Session": {"kind": "activity__kind", "organiser": "activity__organiser_id", "day": "date"},
    "activities.Attendance": {"kind": "session__activity__kind", "organiser": "session__activity__organiser_id",
                              "day": "session__date"},
    "activities.Job": {"kind": "activity__kind", "organiser": "activity__organiser_id", "day": "activity__starts_on"},
}  # fmt: skip

ACTIVITY_COLUMNS = (
    Column(_("名称"), "title"),
    Column(_("类型"), "kind"),
    Column(_("主办单位"), "organiser__name"),
    Column(_("开始日期"), "starts_on"),
    Column(_("地点"), "place"),
)
SESSION_COLUMNS = (
    Column(_("活动"), "activity__title"),
    Column(_("类型"), "activity__kind"),
    Column(_("日期"), "date"),
    Column(_("场次"), "title"),
)
ATTENDANCE_COLUMNS = (
    Column(_("活动"), "session__activity__title"),
    Column(_("日期"), "session__date"),
    Column(_("企业"), "registration__enterprise__name"),
    Column(_("签到方式"), "method"),
)
ENTERPRISE_COLUMNS = (Column(_("企业"), "registration__enterprise__name"),
                      Column(_("统一社会信用代码"), "registration__enterprise__credit_code"))  # fmt: skip
JOB_COLUMNS = (
    Column(_("招聘会"), "activity__title"),
    Column(_("日期"), "activity__starts_on"),
    Column(_("企业"), "enterprise__name"),
    Column(_("岗位"), "title"),
)


def _activities(key, label, kind=None, section=SECTION):
    return Figure(key=f"activities.{key}", label=label, unit=_("个"), section=section, model="activities.Activity",
                  path_field="org_path", date_field="starts_on", filters={"kind": kind} if kind else {},
                  columns=ACTIVITY_COLUMNS)  # fmt: skip


FIGURES = [
    _activities("activities", _("活动")),
    Figure(key="activities.sessions", label=_("场次"), unit=_("场"), section=SECTION, model="activities.Session",
           path_field="org_path", date_field="date", columns=SESSION_COLUMNS),
    Figure(key="activities.attendances", label=_("参加人次"), unit=_("人次"), section=SECTION,
           model="activities.Attendance", path_field="org_path", date_field="session__date",
           columns=ATTENDANCE_COLUMNS, description=_("每人每场签到计一人次")),
    Figure(key="activities.enterprises", label=_("覆盖企业"), unit=_("家"), section=SECTION,
           model="activities.Attendance", path_field="org_path", date_field="session__date", distinct_rows=True,
           measure="distinct:registration__enterprise_id", columns=ENTERPRISE_COLUMNS,
           order_by=("registration__enterprise__credit_code",), description=_("至少有一人次签到的企业")),
    _activities("trainings", _("培训"), Kind.TRAINING),
    _activities("ideals", _("理想信念教育活动"), Kind.IDEALS, section="politics"),
    _activities("job_fairs", _("招聘会"), Kind.JOB_FAIR),
    Figure(key="activities.jobs", label=_("提供岗位"), unit=_("个"), section=SECTION, model="activities.Job",
           path_field="org_path", date_field="activity__starts_on", measure="sum:headcount",
           columns=(*JOB_COLUMNS, Column(_("人数"), "headcount", amount=True))),
    Figure(key="activities.job_enterprises", label=_("提供岗位企业"), unit=_("家"), section=SECTION,
           model="activities.Job", path_field="org_path", date_field="activity__starts_on", distinct_rows=True,
           measure="distinct:enterprise_id", columns=(Column(_("企业"), "enterprise__name"),
                                                      Column(_("统一社会信用代码"), "enterprise__credit_code")),
           order_by=("enterprise__credit_code",)),
    Figure(key="activities.intentions", label=_("达成就业意向"), unit=_("人"), section=SECTION,
           model="activities.Job", path_field="org_path", date_field="activity__starts_on",
           measure="sum:intentions", columns=(*JOB_COLUMNS, Column(_("达成意向人数"), "intentions", amount=True))),
    Rate("activities.intention_rate", _("岗位意向达成率"), SECTION, "activities.intentions", "activities.jobs"),
]  # fmt: skip

register(*FIGURES)

DIMS = ("kind", "organiser")
BY = ("kind", "organiser", "month", "region")


def records(figure: Figure, scope_path: str, period: Period, dims: dict):
    """The figure's drill-down narrowed by kind and organiser (the same lookups as the breakdowns)."""
    lookups = LOOKUPS[figure.model]
    q = Q()
    if dims.get("kind"):
        q &= Q(**{lookups["kind"]: dims["kind"]})
    if dims.get("organiser"):
        q &= Q(**{lookups["organiser"]: dims["organiser"]})
    return figure.drilldown(scope_path, period).filter(q)


def value(figure: Figure | Rate, scope_path: str, period: Period, dims: dict):
    if isinstance(figure, Rate):
        from qinqing.core.figures import get

        num = value(get(figure.numerator), scope_path, period, dims)
        den = value(get(figure.denominator), scope_path, period, dims)
        return {"value": round(100.0 * float(num) / float(den), 2) if den else None, "numerator": num,
                "denominator": den}  # fmt: skip
    result = records(figure, scope_path, period, dims).aggregate(v=figure.aggregate_expression())["v"]
    if result is None:
        return Decimal(0) if figure.measure.startswith("sum:") else 0
    return result


def child_of(path: str, base_path: str) -> str:
    """The direct child node of ``base_path`` that ``path`` lies under (base_path itself for its own rows)."""
    depth = base_path.count("/")
    parts = (path or "").split("/")
    if path == base_path or not path.startswith(base_path) or len(parts) <= depth:
        return base_path
    return "/".join(parts[: depth + 1]) + "/"


def breakdown(figure: Figure, scope_path: str, period: Period, dims: dict, by: str) -> dict:
    """The figure split by kind, organiser (id), month (date) or region (child path): group → value. The groups
    add up to the figure (distinct enterprises are counted once per group)."""
    lookups = LOOKUPS[figure.model]
    key = {"kind": lookups["kind"], "organiser": lookups["organiser"], "region": figure.path_field,
           "month": "month"}[by]  # fmt: skip
    qs = records(figure, scope_path, period, dims).order_by()
    if by == "month":
        qs = qs.annotate(month=TruncMonth(lookups["day"]))
    kind, _sep, field = figure.measure.partition(":")
    out: dict = defaultdict(int)
    if kind == "distinct":
        pairs = set(qs.values_list(key, field).distinct())
        for group, _item in pairs:
            out[child_of(group, scope_path) if by == "region" else group] += 1
        if by == "region":  # an enterprise reached in two places under one child counts once there
            out = defaultdict(int)
            for group in {(child_of(g, scope_path), item) for g, item in pairs}:
                out[group[0]] += 1
        return dict(out)
    agg = Count("pk") if kind == "count" else Sum(field)
    for group, v in qs.values_list(key).annotate(v=agg).values_list(key, "v"):
        out[child_of(group, scope_path) if by == "region" else group] += v or 0
    return dict(out)
