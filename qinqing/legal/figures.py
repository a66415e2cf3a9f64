"""Legal check-up figures, declared with the one figure registry (qinqing.core.figures).

Flows count on the day they happened: visits (and the enterprises checked) on the visit day, reports and their
risk points and recommendations on the report day, follow-up calls on the call day, talks on their date; the
整改率 is the share of a period's recommendations the enterprises report as 已整改. The legal figures page also
breaks them down per law firm and per chamber (the chamber of the 万所联万会 link that served the check-up, or of
the talk) with the same lookups (DIMENSIONS), so a cell and its list of records always agree.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qinqing.core.figures import Column, Figure, Period, Rate, get, register

from . import activity_talks
from .choices import DEFAULT_AREAS, FollowStatus, Level

SECTION = "economy"

DIMENSIONS = {
    "legal.Checkup": {"law_firm": "law_firm_id", "chamber": "link__chamber_id"},
    "legal.RiskPoint": {"law_firm": "checkup__law_firm_id", "chamber": "checkup__link__chamber_id"},
    "legal.FollowUpCall": {"law_firm": "checkup__law_firm_id", "chamber": "checkup__link__chamber_id"},
    "legal.LegalTalk": {"law_firm": "law_firm_id", "chamber": "chamber_id"},
    "legal.LegalTalk_enterprises": {"law_firm": "legaltalk__law_firm_id", "chamber": "legaltalk__chamber_id"},
    "legal.FirmLink": {"law_firm": "law_firm_id", "chamber": "chamber_id"},
    "activities.Activity": {"chamber": "organiser_id"},  # legal talks held as activities: no law firm on record
    "activities.Attendance": {"chamber": "session__activity__organiser_id"},
}

CHECKUP_COLUMNS = (
    Column(_("体检编号"), "number"),
    Column(_("企业"), "enterprise__name"),
    Column(_("律师事务所"), "law_firm__name"),
    Column(_("走访日期"), "visited_on"),
    Column(_("报告日期"), "report_on"),
)
RISK_COLUMNS = (
    Column(_("体检编号"), "checkup__number"),
    Column(_("企业"), "checkup__enterprise__name"),
    Column(_("领域"), "area__name"),
    Column(_("等级"), "level"),
    Column(_("整改建议"), "recommendation"),
    Column(_("整改情况"), "follow_status"),
    Column(_("报告日期"), "checkup__report_on"),
)
TALK_COLUMNS = (
    Column(_("日期"), "date"),
    Column(_("主题"), "topic"),
    Column(_("主讲律师"), "lawyer__name"),
    Column(_("主办单位"), "organiser__name"),
)


def _risks(name, label, *, filters=None, description=""):
    return Figure(key=f"legal.{name}", label=label, unit=_("个"), section=SECTION, model="legal.RiskPoint",
                  path_field="checkup__org_path", date_field="checkup__report_on", filters=filters or {},
                  columns=RISK_COLUMNS, description=description)  # fmt: skip


def _active_links(period: Period) -> Q:
    return Q(ends_on__gte=period.start)


LEVEL_FIGURES = [_risks(f"risk_{level.value}", _("%(level)s风险点") % {"level": level.label[:1]},
                        filters={"level": level.value}) for level in Level]  # fmt: skip
AREA_FIGURES = [_risks(f"risk_area_{code}", _("风险点：%(area)s") % {"area": name}, filters={"area__code": code})
                for code, name in DEFAULT_AREAS]  # fmt: skip

FIGURES = [
    Figure(key="legal.requests", label=_("体检申请与安排"), unit=_("次"), section=SECTION, model="legal.Checkup",
           path_field="org_path", date_field="requested_on", columns=CHECKUP_COLUMNS,
           description=_("企业、商会申请及工作人员组织的体检")),
    Figure(key="legal.enterprises_checked", label=_("体检企业"), unit=_("家"), section=SECTION,
           model="legal.Checkup", path_field="org_path", date_field="visited_on", measure="distinct:enterprise_id",
           columns=CHECKUP_COLUMNS, description=_("律师已上门走访的企业")),
    Figure(key="legal.visits", label=_("走访次数"), unit=_("次"), section=SECTION, model="legal.Checkup",
           path_field="org_path", date_field="visited_on", columns=CHECKUP_COLUMNS),
    Figure(key="legal.reports", label=_("法律风险评估报告"), unit=_("份"), section=SECTION, model="legal.Checkup",
           path_field="org_path", date_field="report_on", columns=CHECKUP_COLUMNS),
    _risks("risk_points", _("风险点")),
    *LEVEL_FIGURES,
    *AREA_FIGURES,
    _risks("recommendations", _("整改建议"), description=_("每个风险点附一条整改建议")),
    _risks("rectified", _("已整改建议"), filters={"follow_status": FollowStatus.DONE},
           description=_("企业反馈“已整改”的建议（按报告日期）")),
    Rate("legal.rectify_rate", _("整改率"), SECTION, "legal.rectified", "legal.recommendations"),
    Figure(key="legal.followups", label=_("回访次数"), unit=_("次"), section=SECTION, model="legal.FollowUpCall",
           path_field="checkup__org_path", date_field="called_on",
           columns=(Column(_("体检编号"), "checkup__number"), Column(_("企业"), "checkup__enterprise__name"),
                    Column(_("回访律师"), "lawyer__name"), Column(_("回访日期"), "called_on"))),
    Figure(key="legal.talks", label=_("法律讲座/培训"), unit=_("场"), section=SECTION, model="legal.LegalTalk",
           path_field="org_path", date_field="date", columns=TALK_COLUMNS,
           description=_("在本模块登记的讲座、培训（含关联了活动与培训中某项活动的）")),
    Figure(key="legal.talk_attendees", label=_("讲座参加人数"), unit=_("人次"), section=SECTION,
           model="legal.LegalTalk", path_field="org_path", date_field="date", measure="sum:attendees",
           columns=(*TALK_COLUMNS, Column(_("参加人数"), "attendees", amount=True))),
    Figure(key="legal.activity_talks", label=_("法律讲座/培训（活动与培训中举办）"), unit=_("场"), section=SECTION,
           model="activities.Activity", path_field="org_path", date_field="starts_on",
           where=lambda period: activity_talks.uncounted_q(),
           columns=(Column(_("开始日期"), "starts_on"), Column(_("名称"), "title"), Column(_("类型"), "kind"),
                    Column(_("主办单位"), "organiser__name")),
           description=_("活动与培训中主题涉及法律的讲座、培训；已在本模块登记并关联该活动的不重复计入")),
    Figure(key="legal.activity_talk_attendance", label=_("活动中法律讲座签到"), unit=_("人次"), section=SECTION,
           model="activities.Attendance", path_field="session__activity__org_path", date_field="session__date",
           where=lambda period: activity_talks.uncounted_q("session__activity__"),
           columns=(Column(_("日期"), "session__date"), Column(_("活动"), "session__activity__title"),
                    Column(_("企业"), "registration__enterprise__name")),
           description=_("上述讲座、培训各场次的签到人次")),
    Figure(key="legal.talk_enterprises", label=_("讲座参加企业"), unit=_("家次"), section=SECTION,
           model="legal.LegalTalk_enterprises", path_field="legaltalk__org_path", date_field="legaltalk__date",
           columns=(Column(_("日期"), "legaltalk__date"), Column(_("主题"), "legaltalk__topic"),
                    Column(_("企业"), "enterprise__name"))),
    Figure(key="legal.links", label=_("所会联系（万所联万会）"), unit=_("对"), section=SECTION,
           model="legal.FirmLink", path_field="org_path", date_field="starts_on", stock=True, where=_active_links,
           columns=(Column(_("律师事务所"), "law_firm__name"), Column(_("商会"), "chamber__name"),
                    Column(_("起始日期"), "starts_on"), Column(_("截止日期"), "ends_on")),
           description=_("期间内处于有效期的律所与商会联系")),
]  # fmt: skip

register(*FIGURES)

# The columns of the per-law-firm and per-chamber tables.
BREAKDOWN = ["legal.enterprises_checked", "legal.visits", "legal.reports", "legal.risk_points", "legal.risk_red",
             "legal.recommendations", "legal.rectified", "legal.followups", "legal.talks"]  # fmt: skip


def dimension_q(figure: Figure, dims: dict) -> Q | None:
    """The Q narrowing a figure's records to a law firm and/or chamber; None when the figure has no such lookup."""
    lookups = DIMENSIONS.get(figure.model, {})
    q = Q()
    for dim, value in dims.items():
        if not value:
            continue
        lookup = lookups.get(dim)
        if lookup is None:
            return None
        q &= Q(**{lookup: value})
    return q


def records(figure: Figure, scope_path: str, period: Period, dims: dict):
    q = dimension_q(figure, dims)
    return None if q is None else figure.drilldown(scope_path, period).filter(q)


def value(figure, scope_path: str, period: Period, dims: dict):
    if isinstance(figure, Rate):
        num = value(get(figure.numerator), scope_path, period, dims)
        den = value(get(figure.denominator), scope_path, period, dims)
        if num is None or den is None:
            return None
        return {"value": round(100.0 * float(num) / float(den), 2) if den else None, "numerator": num,
                "denominator": den}  # fmt: skip
    qs = records(figure, scope_path, period, dims)
    if qs is None:
        return None
    result = qs.aggregate(v=figure.aggregate_expression())["v"]
    if result is None:
        return Decimal(0) if figure.measure.startswith("sum:") else 0
    return result


def breakdown(dim: str, scope_path: str, period: Period) -> list[dict]:
    """One row per law firm (or chamber) with the BREAKDOWN figures and the 整改率: one grouped query per figure."""
    from qinqing.orgs.models import Organization

    cells: dict[int, dict] = {}
    for key in BREAKDOWN:
        figure = get(key)
        lookup = DIMENSIONS[figure.model][dim]
        rows = (figure.drilldown(scope_path, period).exclude(**{f"{lookup}__isnull": True}).values(lookup)
                .annotate(v=figure.aggregate_expression()).order_by())  # fmt: skip
        for row in rows:
            cells.setdefault(row[lookup], {})[key] = row["v"]
    names = dict(Organization.objects.filter(pk__in=list(cells)).values_list("pk", "name"))
    out = []
    for pk, values in cells.items():
        rec, done = values.get("legal.recommendations", 0), values.get("legal.rectified", 0)
        out.append({"id": pk, "name": names.get(pk, "—"), "values": [values.get(k, 0) for k in BREAKDOWN],
                    "rate": round(100.0 * done / rec, 2) if rec else None})  # fmt: skip
    return sorted(out, key=lambda r: (-r["values"][1], r["name"]))
