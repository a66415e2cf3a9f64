"""Programs figures (社会服务), declared with the one figure registry (qinqing.core.figures).

Pairings and projects are positions (in force at the period's end); funds and people employed count in the year
they were recorded for (ProjectYear.year_start, 1 January); donations on the day given; the listing pipeline is
the candidates' current tier and stage among those that entered by the period's end, and listings on the day
listed. Every figure is a count or a sum of its drill-down rows, rolled up the tree by org_path.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qinqing.core.figures import Column, Figure, Rate, register

from .choices import ListingStage, PartyKind, Tier

SECTION = "society"

PAIRING_COLUMNS = (
    Column(_("结对主体类型"), "party_kind"),
    Column(_("企业"), "enterprise__name"),
    Column(_("商会"), "chamber__name"),
    Column(_("村所在县（市、区）"), "county_name"),
    Column(_("行政村"), "village"),
    Column(_("结对日期"), "started_on"),
)
PROJECT_COLUMNS = (
    Column(_("项目名称"), "name"),
    Column(_("项目类型"), "kind"),
    Column(_("行政村"), "pairing__village"),
    Column(_("启动日期"), "started_on"),
)
YEAR_COLUMNS = (
    Column(_("项目名称"), "project__name"),
    Column(_("项目类型"), "project__kind"),
    Column(_("行政村"), "project__pairing__village"),
    Column(_("年度"), "year"),
)
DONATION_COLUMNS = (
    Column(_("登记编号"), "number"),
    Column(_("捐赠企业"), "enterprise__name"),
    Column(_("捐赠形式"), "form"),
    Column(_("受赠方"), "recipient"),
    Column(_("捐赠日期"), "donated_on"),
)
CANDIDATE_COLUMNS = (
    Column(_("企业"), "enterprise__name"),
    Column(_("梯队"), "tier"),
    Column(_("阶段"), "stage"),
    Column(_("进入本阶段日期"), "stage_on"),
    Column(_("入库日期"), "entered_on"),
)


def _in_force(period) -> Q:
    """A pairing still running at some point of the period (not ended before it began)."""
    return Q(ended_on__isnull=True) | Q(ended_on__gte=period.start)


def _pairings(name, label, *, filters=None, description=""):
    return Figure(key=f"programs.{name}", label=label, unit=_("个"), section=SECTION, model="programs.Pairing",
                  path_field="org_path", date_field="started_on", stock=True, where=_in_force,
                  filters=filters or {}, columns=PAIRING_COLUMNS, description=description)  # fmt: skip


def _years(name, label, unit, field, header):
    return Figure(key=f"programs.{name}", label=label, unit=unit, section=SECTION, model="programs.ProjectYear",
                  path_field="org_path", date_field="year_start", measure=f"sum:{field}",
                  columns=(*YEAR_COLUMNS, Column(header, field, amount=True)),
                  description=_("按项目年度填报数汇总"))  # fmt: skip


def _donations(name, label, unit, *, measure="count", filters=None):
    columns = DONATION_COLUMNS
    if measure.startswith("sum:"):
        columns = (*DONATION_COLUMNS, Column(_("金额或折价（万元）"), "amount", amount=True))
    return Figure(key=f"programs.{name}", label=label, unit=unit, section=SECTION, model="programs.Donation",
                  path_field="org_path", date_field="donated_on", measure=measure, filters=filters or {},
                  columns=columns)  # fmt: skip


def _pipeline(name, label, filters):
    return Figure(key=f"programs.{name}", label=label, unit=_("家"), section=SECTION,
                  model="programs.ListingCandidate", path_field="org_path", date_field="entered_on", stock=True,
                  filters=filters, columns=CANDIDATE_COLUMNS,
                  description=_("期末前入库、目前处于该梯队或阶段的上市后备企业"))  # fmt: skip


FIGURES = [
    _pairings("pairings", _("村企结对"), description=_("期末前结对、期内仍在帮扶的企业（商会）与行政村结对数")),
    _pairings("enterprise_pairings", _("企业结对"), filters={"party_kind": PartyKind.ENTERPRISE}),
    _pairings("chamber_pairings", _("商会结对"), filters={"party_kind": PartyKind.CHAMBER}),
    Figure(key="programs.projects", label=_("帮扶项目"), unit=_("个"), section=SECTION, model="programs.Project",
           path_field="org_path", date_field="started_on", stock=True, columns=PROJECT_COLUMNS,
           description=_("期末前启动的帮扶项目")),
    _years("funds_committed", _("承诺投入资金"), _("万元"), "committed", _("承诺投入资金（万元）")),
    _years("funds_spent", _("实际到位资金"), _("万元"), "spent", _("实际到位资金（万元）")),
    _years("people_employed", _("带动就业"), _("人"), "employed", _("带动就业（人）")),
    Rate("programs.funds_spent_rate", _("资金到位率"), SECTION, "programs.funds_spent", "programs.funds_committed"),
    _donations("donations", _("捐赠"), _("笔")),
    _donations("donation_amount", _("捐赠金额"), _("万元"), measure="sum:amount"),
    _donations("major_donations", _("100万元以上捐赠"), _("笔"), filters={"major": True}),
    _donations("major_donation_amount", _("100万元以上捐赠金额"), _("万元"), measure="sum:amount",
               filters={"major": True}),
    _pipeline("pipeline", _("上市后备企业"), {}),
    *[_pipeline(f"pipeline_{tier}", label, {"tier": tier}) for tier, label in Tier.choices],
    *[_pipeline(f"pipeline_{stage}", _("%(stage)s阶段企业") % {"stage": label}, {"stage": stage})
      for stage, label in ListingStage.choices],
    Figure(key="programs.listed", label=_("新增上市企业"), unit=_("家"), section=SECTION,
           model="programs.ListingCandidate", path_field="org_path", date_field="listed_on",
           filters={"stage": ListingStage.LISTED}, columns=CANDIDATE_COLUMNS, description=_("期内上市的后备企业")),
]  # fmt: skip

register(*FIGURES)
