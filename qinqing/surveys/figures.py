"""Survey figures, declared with the one figure registry (qinqing.core.figures).

Everything counts on the day the survey opened (Survey.opened_on), by the subtree of the node that runs it, so
targets, responses and the response rate of one survey always fall in the same period and place. The
drill-down of responses shows the survey, version and source only: never a respondent (anonymous surveys).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from qinqing.core.figures import Column, Figure, Rate, register

SECTION = "advisory"
SURVEY_COLUMNS = (
    Column(_("问卷"), "title"),
    Column(_("开始日期"), "opened_on"),
    Column(_("状态"), "status"),
    Column(_("匿名"), "anonymous"),
)
TARGET_COLUMNS = (
    Column(_("问卷"), "survey__title"),
    Column(_("开始日期"), "survey__opened_on"),
    Column(_("企业"), "enterprise__name"),
    Column(_("行政区划代码"), "region_code"),
)
RESPONSE_COLUMNS = (
    Column(_("问卷"), "survey__title"),
    Column(_("开始日期"), "survey__opened_on"),
    Column(_("版本"), "version"),
    Column(_("来源"), "source"),
)

FIGURES = [
    Figure(key="surveys.run", label=_("开展问卷调查"), unit=_("次"), section=SECTION, model="surveys.Survey",
           path_field="org_path", date_field="opened_on", columns=SURVEY_COLUMNS,
           description=_("期间内发布的问卷")),
    Figure(key="surveys.wanjia", label=_("万家民营企业评营商环境调查"), unit=_("次"), section=SECTION,
           model="surveys.Survey", path_field="org_path", date_field="opened_on", filters={"template": "wanjia"},
           columns=SURVEY_COLUMNS),
    Figure(key="surveys.targets", label=_("问卷调查对象企业"), unit=_("家次"), section=SECTION,
           model="surveys.SurveyTarget", path_field="org_path", date_field="survey__opened_on",
           columns=TARGET_COLUMNS),
    Figure(key="surveys.responses", label=_("回收问卷"), unit=_("份"), section=SECTION, model="surveys.Response",
           path_field="org_path", date_field="survey__opened_on", columns=RESPONSE_COLUMNS,
           description=_("含线下导入和开放链接的答卷")),
    Figure(key="surveys.target_responses", label=_("调查对象回收问卷"), unit=_("份"), section=SECTION,
           model="surveys.Response", path_field="org_path", date_field="survey__opened_on",
           filters={"targeted": True}, columns=RESPONSE_COLUMNS),
    Rate("surveys.response_rate", _("问卷回收率"), SECTION, "surveys.target_responses", "surveys.targets",
         description=_("调查对象企业的答卷 / 调查对象企业")),
]  # fmt: skip

register(*FIGURES)
