"""Health-check figures, declared with the one figure registry (qinqing.core.figures).

Results count on the day they were computed, and only each enterprise's current result (so an enterprise is
counted once however often it was scored); visits on the day visited; appeals on the day the problem was turned
into one. Each figure's drill-down is exactly its records.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from qinqing.core.figures import Column, Figure, Rate, register

from .choices import VisitStatus
from .indicators import DIMENSIONS, GRADES

SECTION = "economy"
RESULT_COLUMNS = (
    Column(_("企业"), "enterprise__name"),
    Column(_("数据年度"), "year"),
    Column(_("综合得分"), "total"),
    Column(_("等级"), "grade"),
    Column(_("最弱维度"), "weakest"),
    Column(_("计算时间"), "computed_at"),
)
VISIT_COLUMNS = (
    Column(_("企业"), "enterprise__name"),
    Column(_("走访原因"), "reason"),
    Column(_("走访日期"), "visited_on"),
    Column(_("发现的问题"), "problems"),
)


def _results(name, label, description="", **filters):
    return Figure(key=f"health.{name}", label=label, unit=_("家"), section=SECTION, model="health.HealthResult",
                  path_field="org_path", date_field="computed_at", filters={"is_current": True, **filters},
                  columns=RESULT_COLUMNS, description=description)  # fmt: skip


FIGURES = [
    _results("scored", _("体检企业"), _("本期完成健康体检评分的企业（每家取最新一次结果）")),
    *[
        _results(f"grade_{code.lower()}", _("体检等级“%(label)s”企业") % {"label": label}, grade=code)
        for code, _low, label in GRADES
    ],
    *[
        _results(f"weak_{code}", _("最弱维度为“%(label)s”的企业") % {"label": label}, weakest=code)
        for code, label in DIMENSIONS.items()
    ],
    _results("low", _("低分企业"), _("综合得分低于评分方案低分线的企业"), is_low=True),
    _results("fell", _("得分下降企业"), _("较上次体检下降达到预警分值的企业"), fell=True),
    Figure(key="health.visits", label=_("体检走访"), unit=_("次"), section=SECTION, model="health.VisitTask",
           path_field="org_path", date_field="visited_on",
           filters={"status__in": [VisitStatus.DONE, VisitStatus.APPEALED]}, columns=VISIT_COLUMNS),
    Figure(key="health.appealed", label=_("走访问题转诉求"), unit=_("件"), section=SECTION, model="health.VisitTask",
           path_field="org_path", date_field="appealed_on", filters={"appeal__isnull": False},
           columns=(*VISIT_COLUMNS, Column(_("诉求编号"), "appeal__number"), Column(_("转诉求日期"), "appealed_on"))),
    Rate(key="health.low_rate", label=_("低分企业占比"), section=SECTION, numerator="health.low",
         denominator="health.scored"),
]  # fmt: skip

register(*FIGURES)
