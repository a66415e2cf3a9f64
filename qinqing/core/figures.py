"""The one figure registry: every figure a page, dashboard, statistic, report or API shows is declared once.

Each domain declares its figures in its own ``figures.py`` with ``register(Figure(...), ...)`` at import time;
the registry imports every installed ``qinqing.<app>.figures`` module on first use, so a new domain adds
figures without touching the reports code.

A figure is defined by the records behind it, which makes the traceability rule hold by construction:

- ``records(period)`` returns the (unscoped) queryset of the records the figure counts for a period; by
  default the model's rows whose ``date_field`` falls in the period (``stock=True``: on or before its end);
- the registry scopes it to an organisation subtree with ``path_field__startswith``;
- the value is ``COUNT(*)`` of those rows (``measure="count"``), ``COUNT(DISTINCT field)``
  (``measure="distinct:<field>"``) or ``SUM(field)`` (``measure="sum:<field>"``), computed by one aggregate
  query; a ``Rate`` is numerator / denominator of two registered figures, shown with both;
- the drill-down list is exactly the scoped records, with ``columns`` for the page and its CSV export, so its
  row count (counts) or the sum of its amount column (sums) equals the figure.

``compute`` may supply a faster equivalent; ``rollup=(name, column)`` reads the value from a rollup table kept by
the domain's actions (qinqing.core.rollups: the column summed over the rows of the subtree and period), and
``reading=rollups.Reading(...)`` from several columns with a filter on the rollup's keys, positions summed over
every day up to the period's end. The drill-down stays the records, and the traceability test compares the two.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db.models import Count, DateTimeField, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from qinqing.core.discovery import domain_modules

# The canonical sections of an FIC's annual work summary (DOMAIN.md §8); every figure names one.
SECTIONS: dict[str, Any] = {
    "politics": _("政治引领"),
    "advisory": _("参政议政"),
    "economy": _("服务经济"),
    "organisation": _("组织建设"),
    "society": _("社会服务"),
    "self": _("自身建设"),
}


@dataclass(frozen=True)
class Period:
    """A closed interval of calendar days."""

    start: dt.date
    end: dt.date

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    def previous_year(self) -> Period:
        """The same days one year earlier (29 February becomes the 28th)."""

        def back(d: dt.date) -> dt.date:
            try:
                return d.replace(year=d.year - 1)
            except ValueError:
                return d.replace(year=d.year - 1, day=28)

        return Period(back(self.start), back(self.end))


@dataclass(frozen=True)
class Column:
    """One column of a drill-down list and its CSV export: a header and an ORM lookup (or a callable on a row)."""

    header: Any
    lookup: str
    amount: bool = False  # the column the figure sums (exactly one for measure="sum:…")


@dataclass(frozen=True)
class Figure:
    key: str  # "<domain>.<name>", e.g. "appeals.received"
    label: Any  # Chinese, gettext_lazy
    unit: Any  # 个, 家, 场, 人次, 万元, 件 …
    section: str  # a key of SECTIONS
    model: str  # "app_label.ModelName"
    path_field: str  # ORM lookup ending on an organisation path, e.g. "org_path" or "enterprise__org_path"
    date_field: str | None = None  # the day the record counts on; None: every record regardless of period
    measure: str = "count"  # "count" | "distinct:<field>" | "sum:<field>"
    filters: dict = field(default_factory=dict)  # extra ORM filters (kwargs) on the records
    where: Any = None  # an extra Q (or a callable Period -> Q) on the records, for conditions kwargs cannot say
    records: Callable[[Period], QuerySet] | None = None  # overrides model/date_field/filters when given
    distinct_rows: bool = False  # the drill-down lists each row of its columns once (a distinct count's list)
    stock: bool = False  # True: records dated on or before the period's end (a position, not a flow)
    columns: tuple[Column, ...] = ()
    description: Any = ""  # what exactly is counted, shown beside the figure
    compute: Callable[[str, Period], Any] | None = None  # optional faster equivalent
    rollup: tuple[str, str] | None = None  # (rollup name, column): the value from qinqing.core.rollups
    reading: Any = None  # a qinqing.core.rollups.Reading: signed sums of rollup columns, positions to the end
    order_by: tuple[str, ...] = ("-pk",)
    permission: str = ""  # who may read it (e.g. "contactlog.view_figures"); empty: everyone reading reports

    def base_queryset(self, period: Period) -> QuerySet:
        if self.records is not None:
            return self.records(period)
        qs = apps.get_model(self.model)._default_manager.filter(self.condition(period))
        return qs.distinct() if self.distinct_rows else qs

    def condition(self, period: Period) -> Q:
        """The records of a period as one Q on ``model`` (not for figures declared with ``records``), so a
        dashboard can aggregate several periods in one query with ``filter=`` conditions."""
        if self.records is not None:
            raise ValueError(f"figure {self.key} selects its records with a function")
        q = Q(**self.filters) if self.filters else Q()
        if self.where is not None:
            q &= self.where(period) if callable(self.where) else self.where
        if self.date_field:
            q &= self.date_condition(period)
        return q

    def date_condition(self, period: Period) -> Q:
        """The period's days alone (``date_field`` in the period; ``stock``: on or before its end)."""
        lookup = self.date_field
        start, end_exclusive = period.start, period.end + dt.timedelta(days=1)
        if isinstance(_resolve_field(apps.get_model(self.model), lookup), DateTimeField):
            # Local-day boundaries as instants: the same rows as ``__date`` but a plain range an index can
            # serve (``__date`` converts every row's timestamp, seconds on a few hundred thousand rows).
            start, end_exclusive = _day_start(start), _day_start(end_exclusive)
        if self.stock:
            return Q(**{f"{lookup}__lt": end_exclusive})
        return Q(**{f"{lookup}__gte": start, f"{lookup}__lt": end_exclusive})

    def aggregate_expression_where(self, condition: Q):
        """The measure restricted to the rows matching ``condition`` (conditional aggregation)."""
        if self.measure == "count":
            return Count("pk", filter=condition)
        kind, _sep, name = self.measure.partition(":")
        if kind == "distinct":
            return Count(name, distinct=True, filter=condition)
        if kind == "sum":
            return Sum(name, filter=condition)
        raise ValueError(f"unknown measure {self.measure!r} on figure {self.key}")

    def drilldown(self, scope_path: str, period: Period) -> QuerySet:
        """The records behind the figure for a subtree and a period: what its list page and CSV show."""
        return self.base_queryset(period).filter(**{f"{self.path_field}__startswith": scope_path})

    def aggregate_expression(self):
        if self.measure == "count":
            return Count("pk")
        kind, _sep, name = self.measure.partition(":")
        if kind == "distinct":
            return Count(name, distinct=True)
        if kind == "sum":
            return Sum(name)
        raise ValueError(f"unknown measure {self.measure!r} on figure {self.key}")

    def value(self, scope_path: str, period: Period):
        if self.compute is not None:
            return self.compute(scope_path, period)
        if self.reading is not None:
            return self.reading.value(scope_path, period)
        if self.rollup is not None:
            from . import rollups

            name, column = self.rollup
            return rollups.get(name).total(column, scope_path, period)
        return self.direct_value(scope_path, period)

    def direct_value(self, scope_path: str, period: Period):
        """The figure from its records, one aggregate query (the reference the rollups are compared with)."""
        qs = self.drilldown(scope_path, period)
        if self.measure.startswith("distinct:") and qs.query.distinct and not qs.query.distinct_fields:
            # COUNT(DISTINCT x) is the same with or without duplicate rows removed first; the drill-down's
            # DISTINCT (a subquery over every column) tripled its cost (activities' job enterprises 327 -> 94 ms).
            qs = qs.all()
            qs.query.distinct = False
        result = qs.aggregate(v=self.aggregate_expression())["v"]
        if result is None:
            return Decimal(0) if self.measure.startswith("sum:") else 0
        return result


@dataclass(frozen=True)
class Rate:
    """A percentage of two registered figures; always shown with its numerator and denominator."""

    key: str
    label: Any
    section: str
    numerator: str
    denominator: str
    unit: Any = "%"
    description: Any = ""
    permission: str = ""  # as Figure.permission

    def value(self, scope_path: str, period: Period) -> dict:
        num = get(self.numerator).value(scope_path, period)
        den = get(self.denominator).value(scope_path, period)
        pct = round(100.0 * float(num) / float(den), 2) if den else None
        return {"value": pct, "numerator": num, "denominator": den}


_REGISTRY: dict[str, Figure | Rate] = {}
_discovered = False


def register(*figures: Figure | Rate) -> None:
    """Declare figures (called at import time from a domain's figures.py). A key is declared once."""
    for figure in figures:
        existing = _REGISTRY.get(figure.key)
        if existing is not None and existing != figure:
            raise ValueError(f"figure {figure.key} is declared twice")
        if figure.section not in SECTIONS:
            raise ValueError(f"figure {figure.key}: unknown section {figure.section!r}")
        _REGISTRY[figure.key] = figure


def discover() -> None:
    """Import every installed qinqing app's figures module once (they register on import)."""
    global _discovered
    if _discovered:
        return
    for _config, _module in domain_modules("figures"):
        pass  # importing a domain's figures module registers its declarations
    _discovered = True


def get(key: str) -> Figure | Rate:
    discover()
    try:
        return _REGISTRY[key]
    except KeyError:
        raise KeyError(f"no figure {key!r} is registered") from None


def all_figures(section: str | None = None, domain: str | None = None) -> list[Figure | Rate]:
    """Registered figures in declaration order, optionally of one section or one domain (key prefix)."""
    discover()
    out: Iterable[Figure | Rate] = _REGISTRY.values()
    if section is not None:
        out = [f for f in out if f.section == section]
    if domain is not None:
        out = [f for f in out if f.key.split(".", 1)[0] == domain]
    return list(out)


def rollup_readings(figures: Iterable[Figure | Rate]) -> dict[str, Any]:
    """{key: Reading} of the figures read from rollups by a ``reading`` (for ``rollups.read_many``: one query per
    rollup table for all of them)."""
    return {f.key: f.reading for f in figures if isinstance(f, Figure) and f.reading is not None and f.compute is None}


def readable(figure: Figure | Rate, user) -> bool:
    """Whether the user may see the figure (its own permission, on top of the page's or API's)."""
    return not figure.permission or bool(user is not None and user.has_perm(figure.permission))


def visible_figures(user, section: str | None = None, domain: str | None = None) -> list[Figure | Rate]:
    """all_figures() without those the user may not read: what every page, dashboard and API lists."""
    return [f for f in all_figures(section, domain) if readable(f, user)]


def public_figures(section: str | None = None, domain: str | None = None) -> list[Figure | Rate]:
    """Figures without a permission of their own: what a document read by anybody (the annual summary) cites."""
    return [f for f in all_figures(section, domain) if not f.permission]


def get_visible(key: str, user) -> Figure | Rate:
    """get(key) for a user; KeyError when unknown or not readable by them (the same answer: 404)."""
    figure = get(key)
    if not readable(figure, user):
        raise KeyError(f"no figure {key!r} is registered")
    return figure


def _day_start(day: dt.date) -> dt.datetime:
    """Midnight of a local calendar day, as an aware instant when time zones are in use."""
    from django.utils import timezone

    moment = dt.datetime.combine(day, dt.time.min)
    return timezone.make_aware(moment) if timezone.is_naive(moment) and _use_tz() else moment


def _use_tz() -> bool:
    from django.conf import settings

    return settings.USE_TZ


def _resolve_field(model, lookup: str):
    """The model field at the end of an ORM lookup path ("enterprise__created_at")."""
    parts = lookup.split("__")
    for name in parts[:-1]:
        model = model._meta.get_field(name).related_model
    return model._meta.get_field(parts[-1])
