"""N强 lists by 营业收入, 纳税总额, 研发投入 or 从业人数 for a year and a subtree, from the registry's yearly figures.

Rule (printed on every list):
- the population is the subtree's enterprises with a figure for the metric that year;
- excluded and counted in the note: enterprises flagged 严重失信, then those flagged 非民营控股, then (of the
  rest) those without a figure for that year;
- ordered by the value, largest first; equal values share a rank (standard competition ranking 1, 2, 2, 4)
  and are listed by 统一社会信用代码 ascending;
- the list holds every enterprise whose rank is within N (so a tie at the N-th place keeps all tied firms).

Two queries find the cut-off value and the entries; the exclusion counts are one aggregate.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qinqing.core.cellsafety import csv_writer
from qinqing.registry.models import Enterprise, EnterpriseYearFigures

METRICS = {
    "revenue": ("revenue_wan", gettext_lazy("营业收入（万元）"), gettext_lazy("营业收入")),
    "tax": ("tax_wan", gettext_lazy("纳税总额（万元）"), gettext_lazy("纳税总额")),
    "rnd": ("rd_spend_wan", gettext_lazy("研发投入（万元）"), gettext_lazy("研发投入")),
    "employees": ("employees", gettext_lazy("从业人数（人）"), gettext_lazy("从业人数")),
}


class RankingError(ValueError):
    pass


@dataclass
class Ranking:
    metric: str
    year: int
    top: int
    scope_path: str
    entries: list[dict] = field(default_factory=list)
    population: int = 0  # enterprises in the subtree
    ranked: int = 0  # eligible, with a figure
    excluded_dishonest: int = 0
    excluded_non_private: int = 0
    excluded_no_figure: int = 0
    data_date: dt.datetime | None = None

    @property
    def field(self) -> str:
        return METRICS[self.metric][0]

    @property
    def value_header(self) -> str:
        return str(METRICS[self.metric][1])

    @property
    def title(self) -> str:
        return _("%(year)s年%(metric)s%(n)s强") % {"year": self.year, "metric": METRICS[self.metric][2], "n": self.top}

    def rule(self) -> str:
        return _(
            "按%(metric)s从高到低排序；数值相同者名次并列（如1、2、2、4），并列者按统一社会信用代码升序排列；"
            "名次在前%(n)s名以内的企业全部列入。"
        ) % {"metric": METRICS[self.metric][2], "n": self.top}

    def note(self) -> str:
        return _(
            "范围内企业%(population)s家，参与排名%(ranked)s家；未列入：严重失信%(dishonest)s家，"
            "非民营控股%(non_private)s家，%(year)s年无%(metric)s数据%(missing)s家。"
        ) % {
            "population": self.population,
            "ranked": self.ranked,
            "dishonest": self.excluded_dishonest,
            "non_private": self.excluded_non_private,
            "year": self.year,
            "metric": METRICS[self.metric][2],
            "missing": self.excluded_no_figure,
        }


def standard_ranks(values: list) -> list[int]:
    """Competition ranks of values already sorted descending: equal values share the first rank."""
    ranks: list[int] = []
    for i, v in enumerate(values):
        ranks.append(ranks[-1] if i and v == values[i - 1] else i + 1)
    return ranks


def compute(metric: str, year: int, top: int, scope_path: str = "/") -> Ranking:
    if metric not in METRICS:
        raise RankingError(_("指标应为 %(choices)s 之一") % {"choices": "、".join(METRICS)})
    if top < 1:
        raise RankingError(_("名次数N应为正整数"))
    ranking = Ranking(metric, year, top, scope_path)
    name = ranking.field
    enterprises = Enterprise.objects.filter(org_path__startswith=scope_path)
    dishonest = Q(serious_dishonesty=True)
    non_private = Q(non_private_controlled=True) & ~dishonest
    flagged = Q(serious_dishonesty=True) | Q(non_private_controlled=True)
    with_figure = EnterpriseYearFigures.objects.filter(year=year, **{f"{name}__isnull": False}).values("enterprise_id")
    counts = enterprises.aggregate(
        population=Count("pk"),
        dishonest=Count("pk", filter=dishonest),
        non_private=Count("pk", filter=non_private),
        missing=Count("pk", filter=~flagged & ~Q(pk__in=with_figure)),
    )
    ranking.population = counts["population"]
    ranking.excluded_dishonest = counts["dishonest"]
    ranking.excluded_non_private = counts["non_private"]
    ranking.excluded_no_figure = counts["missing"]
    ranking.ranked = ranking.population - ranking.excluded_dishonest - ranking.excluded_non_private - counts["missing"]
    eligible = EnterpriseYearFigures.objects.filter(
        year=year,
        enterprise__org_path__startswith=scope_path,
        enterprise__serious_dishonesty=False,
        enterprise__non_private_controlled=False,
        **{f"{name}__isnull": False},
    )
    cut = list(eligible.order_by(f"-{name}").values_list(name, flat=True)[top - 1 : top])
    if cut:
        eligible = eligible.filter(**{f"{name}__gte": cut[0]})
    rows = list(
        eligible.order_by(f"-{name}", "enterprise__credit_code").values_list(
            "enterprise__credit_code", "enterprise__name", name, "updated_at"
        )
    )
    ranks = standard_ranks([r[2] for r in rows])
    ranking.entries = [
        {"rank": rank, "credit_code": code, "name": ent_name, "value": value}
        for rank, (code, ent_name, value, _updated) in zip(ranks, rows, strict=True)
        if rank <= top
    ]
    ranking.data_date = max((r[3] for r in rows), default=None) or timezone.now()
    return ranking


def format_value(value) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")
    return "" if value is None else str(value)


def headers(value_header: str) -> list[str]:
    return [_("名次"), _("统一社会信用代码"), _("企业名称"), value_header]


def write_csv(entries: list[dict], value_header: str, fh) -> None:
    writer = csv_writer(fh)  # an enterprise name cannot start a formula
    writer.writerow(headers(value_header))
    for e in entries:
        writer.writerow([e["rank"], e["credit_code"], e["name"], format_value(e["value"])])
