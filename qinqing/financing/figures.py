"""Financing figures, declared with the one figure registry (qinqing.core.figures).

Flows count on the day they happened: events on their date, needs on the day stated, referrals on the day
pushed, intentions/credit/loans/refusals on the day the stage was recorded (StageEvent.on). Each figure's
drill-down is exactly its records, and the financing figures page narrows both by bank, region, industry and
size with the same lookups (DIMENSIONS), so a figure and its list always agree.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qinqing.core.figures import Column, Figure, Period, Rate, register

from .choices import Source, Stage

SECTION = "economy"

# Per model: how to narrow its records by bank, region, industry (门类 letter or code prefix) and size.
DIMENSIONS = {
    "financing.FinancingNeed": {"bank": "referrals__bank_id", "region": "region_code", "industry": "industry_code",
                                "size": "size_class"},
    "financing.NeedReferral": {"bank": "bank_id", "region": "need__region_code", "industry": "need__industry_code",
                               "size": "need__size_class"},
    "financing.StageEvent": {"bank": "referral__bank_id", "region": "referral__need__region_code",
                             "industry": "referral__need__industry_code", "size": "referral__need__size_class"},
    "financing.MatchEvent": {"bank": "banks__id"},
    "financing.MatchEvent_banks": {"bank": "organization_id"},
    "financing.MatchEvent_attending": {"region": "enterprise__region_code", "industry": "enterprise__industry_code",
                                       "size": "enterprise__size_class"},
}  # fmt: skip

NEED_COLUMNS = (
    Column(_("需求编号"), "number"),
    Column(_("企业"), "enterprise__name"),
    Column(_("提出日期"), "stated_on"),
    Column(_("来源"), "source"),
    Column(_("进展"), "stage"),
)
STEP_COLUMNS = (
    Column(_("需求编号"), "referral__need__number"),
    Column(_("企业"), "referral__need__enterprise__name"),
    Column(_("金融机构"), "referral__bank__name"),
    Column(_("进展"), "stage"),
    Column(_("日期"), "on"),
)
REFERRAL_COLUMNS = (
    Column(_("需求编号"), "need__number"),
    Column(_("企业"), "need__enterprise__name"),
    Column(_("金融机构"), "bank__name"),
    Column(_("推送日期"), "pushed_on"),
    Column(_("进展"), "stage"),
)
EVENT_COLUMNS = (Column(_("名称"), "title"), Column(_("日期"), "date"), Column(_("地点"), "place"))


def _reach(key: str):
    """A distinct-enterprise figure's value from the reach rollup (rollups.REACH; the direct query when the
    period does not start on the first of a month)."""

    def compute(scope_path: str, period: Period):
        from .rollups import REACH

        return REACH.value(key, scope_path, period)

    return compute


def _steps(name, label, stage, unit, *, measure="count", where=None, columns=STEP_COLUMNS, description=""):
    distinct = measure.startswith("distinct:")
    return Figure(
        key=f"financing.{name}",
        label=label,
        unit=unit,
        section=SECTION,
        model="financing.StageEvent",
        path_field="referral__org_path",
        date_field="on",
        measure=measure,
        filters={"stage": stage},
        where=where,
        columns=columns,
        description=description,
        compute=_reach(f"financing.{name}") if distinct else None,
        rollup=None if distinct else ("financing_steps", name),
    )


def _amount_columns(header):
    return (*STEP_COLUMNS, Column(header, "amount", amount=True))


FIGURES = [
    Figure(key="financing.events", label=_("银企对接会场次"), unit=_("场"), section=SECTION,
           model="financing.MatchEvent", path_field="org_path", date_field="date", columns=EVENT_COLUMNS),
    Figure(key="financing.event_banks", label=_("参会银行"), unit=_("家次"), section=SECTION,
           model="financing.MatchEvent_banks", path_field="matchevent__org_path", date_field="matchevent__date",
           columns=(Column(_("对接会"), "matchevent__title"), Column(_("日期"), "matchevent__date"),
                    Column(_("银行"), "organization__name"))),
    Figure(key="financing.event_enterprises", label=_("参会企业"), unit=_("家次"), section=SECTION,
           model="financing.MatchEvent_attending", path_field="matchevent__org_path",
           date_field="matchevent__date",
           columns=(Column(_("对接会"), "matchevent__title"), Column(_("日期"), "matchevent__date"),
                    Column(_("企业"), "enterprise__name"))),
    Figure(key="financing.needs", label=_("融资需求"), unit=_("笔"), section=SECTION, model="financing.FinancingNeed",
           path_field="org_path", date_field="stated_on", columns=NEED_COLUMNS, rollup=("financing_needs", "needs")),
    Figure(key="financing.need_amount", label=_("需求金额"), unit=_("万元"), section=SECTION,
           model="financing.FinancingNeed", path_field="org_path", date_field="stated_on", measure="sum:amount",
           columns=(*NEED_COLUMNS, Column(_("金额（万元）"), "amount", amount=True)),
           rollup=("financing_needs", "amount")),
    Figure(key="financing.visited", label=_("走访收集需求企业"), unit=_("家"), section=SECTION,
           model="financing.FinancingNeed", path_field="org_path", date_field="stated_on",
           measure="distinct:enterprise_id", filters={"source__in": [Source.VISIT, Source.IMPORT]},
           columns=NEED_COLUMNS, description=_("工作人员走访或导入登记了需求的企业"),
           compute=_reach("financing.visited")),
    Figure(key="financing.need_enterprises", label=_("提出需求企业"), unit=_("家"), section=SECTION,
           model="financing.FinancingNeed", path_field="org_path", date_field="stated_on",
           measure="distinct:enterprise_id", columns=NEED_COLUMNS, compute=_reach("financing.need_enterprises")),
    Figure(key="financing.recommended", label=_("推荐至银行"), unit=_("笔"), section=SECTION,
           model="financing.NeedReferral", path_field="org_path", date_field="pushed_on", columns=REFERRAL_COLUMNS,
           rollup=("financing_referrals", "referrals")),
    Figure(key="financing.matched_enterprises", label=_("已对接企业"), unit=_("家"), section=SECTION,
           model="financing.NeedReferral", path_field="org_path", date_field="pushed_on",
           measure="distinct:need__enterprise_id", columns=REFERRAL_COLUMNS,
           description=_("需求已推送至至少一家银行的企业"),
           compute=_reach("financing.matched_enterprises")),
    _steps("intention_amount", _("意向金额"), Stage.INTENDED, _("万元"), measure="sum:amount",
           columns=_amount_columns(_("意向金额（万元）"))),
    _steps("credited", _("授信户数"), Stage.CREDITED, _("户"), measure="distinct:referral__need__enterprise_id"),
    _steps("credit_amount", _("授信金额"), Stage.CREDITED, _("万元"), measure="sum:amount",
           columns=_amount_columns(_("授信金额（万元）"))),
    _steps("lent", _("放款户数"), Stage.LENT, _("户"), measure="distinct:referral__need__enterprise_id"),
    _steps("loan_amount", _("放款金额"), Stage.LENT, _("万元"), measure="sum:amount",
           columns=_amount_columns(_("放款金额（万元）"))),
    _steps("credit_loan_amount", _("信用贷款放款金额"), Stage.LENT, _("万元"), measure="sum:amount",
           where=Q(referral__is_credit_loan=True), columns=_amount_columns(_("放款金额（万元）"))),
    _steps("first_loans", _("首贷户数"), Stage.LENT, _("户"), measure="distinct:referral__need__enterprise_id",
           where=Q(referral__need__is_first_loan=True)),
    _steps("refused", _("未获贷"), Stage.REFUSED, _("笔"),
           columns=(*STEP_COLUMNS, Column(_("未获贷原因"), "referral__refusal_reason__name"))),
    Rate("financing.credit_loan_share", _("信用贷占比"), SECTION, "financing.credit_loan_amount",
         "financing.loan_amount"),
    Rate("financing.need_rate", _("走访企业提出需求率"), SECTION, "financing.need_enterprises", "financing.visited"),
    Rate("financing.match_rate", _("需求对接率"), SECTION, "financing.matched_enterprises",
         "financing.need_enterprises"),
    Rate("financing.delivery_rate", _("对接获贷率"), SECTION, "financing.lent", "financing.matched_enterprises"),
]  # fmt: skip

register(*FIGURES)

# The keys of the page's cards, in the funnel's order, then the rest.
FUNNEL = ["financing.needs", "financing.recommended", "financing.intention_amount", "financing.credited",
          "financing.lent"]  # fmt: skip


def dimension_q(figure: Figure, dims: dict) -> Q | None:
    """The Q narrowing a figure's records by the chosen dimensions; None when a dimension does not apply."""
    lookups = DIMENSIONS.get(figure.model, {})
    q = Q()
    for dim, value in dims.items():
        if not value:
            continue
        lookup = lookups.get(dim)
        if lookup is None:
            return None
        if dim in ("region", "industry"):
            q &= Q(**{f"{lookup}__startswith": value})
        else:
            q &= Q(**{lookup: value})
    return q


def records(figure: Figure, scope_path: str, period: Period, dims: dict):
    """The figure's drill-down records narrowed by the dimensions (None: the figure has no such dimension)."""
    q = dimension_q(figure, dims)
    if q is None:
        return None
    qs = figure.drilldown(scope_path, period).filter(q)
    if dims.get("bank") and figure.model in ("financing.FinancingNeed", "financing.MatchEvent"):
        qs = figure.drilldown(scope_path, period).filter(pk__in=qs.values("pk"))  # one row per record
    return qs


def value(figure, scope_path: str, period: Period, dims: dict):
    from decimal import Decimal

    if isinstance(figure, Rate):
        from qinqing.core.figures import get

        num = value(get(figure.numerator), scope_path, period, dims)
        den = value(get(figure.denominator), scope_path, period, dims)
        if num is None or den is None:
            return None
        pct = round(100.0 * float(num) / float(den), 2) if den else None
        return {"value": pct, "numerator": num, "denominator": den}
    if not any(dims.values()):
        return figure.value(scope_path, period)
    qs = records(figure, scope_path, period, dims)
    if qs is None:
        return None
    result = qs.aggregate(v=figure.aggregate_expression())["v"]
    if result is None:
        return Decimal(0) if figure.measure.startswith("sum:") else 0
    return result


def refusal_reasons(scope_path: str, period: Period, dims: dict) -> list[tuple[str, int]]:
    from django.db.models import Count

    from qinqing.core.figures import get

    if not any(dims.values()):
        return _rolled_reasons(scope_path, period)
    qs = records(get("financing.refused"), scope_path, period, dims)
    if qs is None:
        return []
    rows = qs.values("referral__refusal_reason__name").annotate(n=Count("pk")).order_by("-n")
    return [(r["referral__refusal_reason__name"] or "—", r["n"]) for r in rows]


def _rolled_reasons(scope_path: str, period: Period) -> list[tuple[str, int]]:
    """refusal_reasons without dimensions, from the step rollup (the refused steps per reason)."""
    from django.db.models import Sum

    from .models import RefusalReason
    from .rollups import STEPS

    rows = STEPS.rows(scope_path, period.start, period.end).filter(refused__gt=0).values("reason")
    counts = {r["reason"]: r["n"] for r in rows.annotate(n=Sum("refused")).order_by()}
    names = dict(RefusalReason.objects.filter(pk__in=counts).values_list("pk", "name"))
    by_name: dict[str, int] = {}
    for pk, n in counts.items():
        name = names.get(pk) or "—"
        by_name[name] = by_name.get(name, 0) + n
    return sorted(by_name.items(), key=lambda item: -item[1])


def _condition(figure: Figure, period: Period) -> Q:
    """The figure's own conditions (filters, where, its date range) as one Q, for conditional aggregation."""
    from django.apps import apps
    from django.db.models import DateTimeField

    from qinqing.core.figures import _resolve_field

    q = Q(**figure.filters)
    if figure.where is not None:
        q &= figure.where(period) if callable(figure.where) else figure.where
    if figure.date_field:
        model = apps.get_model(figure.model)
        is_dt = isinstance(_resolve_field(model, figure.date_field), DateTimeField)
        lookup = f"{figure.date_field}__date" if is_dt else figure.date_field
        q &= Q(**{f"{lookup}__lte": period.end}) if figure.stock else Q(**{f"{lookup}__gte": period.start,
                                                                            f"{lookup}__lte": period.end})  # fmt: skip
    return q


def values_batch(scope_path: str, period: Period, dims: dict) -> dict:
    """Every financing figure at once: without dimensions from the rollups (rolled_values), with them from the
    records (direct_values); the same values as each figure's drill-down (tests/test_rollups.py)."""
    from qinqing.core.figures import all_figures

    figures = all_figures(domain="financing")
    if not any(dims.values()):
        return _with_rates(figures, rolled_values(figures, scope_path, period))
    return direct_values(scope_path, period, dims)


def direct_values(scope_path: str, period: Period, dims: dict) -> dict:
    """values_batch from the records (conditional aggregates): the only way with dimensions, and the
    reference the rollups are compared with (tests, bench/financing)."""
    from collections import defaultdict
    from decimal import Decimal

    from django.apps import apps
    from django.db.models import Count, Sum

    from qinqing.core.figures import all_figures

    figures = all_figures(domain="financing")
    groups: dict[tuple, list] = defaultdict(list)
    out: dict = {}
    for figure in figures:
        if isinstance(figure, Rate):
            continue
        if dimension_q(figure, dims) is None:
            out[figure.key] = None
            continue
        groups[(figure.model, figure.path_field)].append(figure)
    for (label, path_field), members in groups.items():
        model = apps.get_model(label)
        q = dimension_q(members[0], dims)
        base = model._default_manager.filter(**{f"{path_field}__startswith": scope_path})
        if dims.get("bank") and label in ("financing.FinancingNeed", "financing.MatchEvent"):
            base = base.filter(pk__in=model._default_manager.filter(q).values("pk"))
        else:
            base = base.filter(q)
        aggregates = {}
        for i, figure in enumerate(members):
            kind, _sep, field = figure.measure.partition(":")
            condition = _condition(figure, period)
            if kind == "count":
                aggregates[f"f{i}"] = Count("pk", filter=condition)
            elif kind == "distinct":
                aggregates[f"f{i}"] = Count(field, distinct=True, filter=condition)
            else:
                aggregates[f"f{i}"] = Sum(field, filter=condition)
        result = base.aggregate(**aggregates)
        for i, figure in enumerate(members):
            value = result[f"f{i}"]
            if value is None:
                value = Decimal(0) if figure.measure.startswith("sum:") else 0
            out[figure.key] = value
    return _with_rates(figures, out)


def _with_rates(figures, out: dict) -> dict:
    for figure in figures:
        if isinstance(figure, Rate):
            num, den = out.get(figure.numerator), out.get(figure.denominator)
            if num is None or den is None:
                out[figure.key] = None
            else:
                pct = round(100.0 * float(num) / float(den), 2) if den else None
                out[figure.key] = {"value": pct, "numerator": num, "denominator": den}
    return out


def rolled_values(figures, scope_path: str, period: Period) -> dict:
    """Every financing figure of a scope and period without dimensions, from the rollups (rollups.py): one
    query per rollup table, the reach table for the distinct counts, the direct query for the 对接会 figures
    (a few hundred rows a year) and for distinct counts the reach cannot answer (a period not starting on the
    first of a month). Equal to Figure.value of each (tests/test_rollups.py)."""
    from decimal import Decimal

    from django.db.models import Sum

    from qinqing.core import rollups

    from .rollups import REACH

    out: dict = {}
    by_rollup: dict[str, list] = {}
    reach = REACH.values(scope_path, period) if REACH.answers(scope_path, period) else {}
    for figure in figures:
        if isinstance(figure, Rate):
            continue
        if figure.rollup is not None:
            by_rollup.setdefault(figure.rollup[0], []).append(figure)
        elif figure.key in reach:
            out[figure.key] = reach[figure.key]
        else:
            out[figure.key] = figure.value(scope_path, period)
    for name, members in by_rollup.items():
        rollup = rollups.get(name)
        columns = {figure.rollup[1] for figure in members}
        totals = rollup.rows(scope_path, period.start, period.end).aggregate(**{c: Sum(c) for c in columns})
        for figure in members:
            value = totals[figure.rollup[1]]
            out[figure.key] = value if value is not None else (Decimal(0) if figure.rollup[1] in rollup.sums else 0)
    return out
