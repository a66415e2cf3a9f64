"""The drill-down behind a figure: its records as rows of its declared columns, for the page, CSV and API.

Rows come from one ``values_list`` over the figure's own records (``Figure.drilldown``), so the list and
its CSV hold exactly the rows the figure counts, and the amount column sums to it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from qinqing.core import figure_values
from qinqing.core.cellsafety import csv_writer
from qinqing.core.figures import Figure, Period, Rate, _resolve_field


def url(key: str, org_code: str, period: Period, *, csv_export: bool = False) -> str:
    """The list page (or CSV) of a figure for a node and a period."""
    name = "reports:figure_csv" if csv_export else "reports:figure"
    query = urlencode({"org": org_code, "from": period.start.isoformat(), "to": period.end.isoformat()})
    return f"{reverse(name, args=[key])}?{query}"


def headers(figure: Figure) -> list[str]:
    return [str(c.header) for c in figure.columns] or [_("编号")]


def _formatters(figure: Figure) -> list:
    model = figure.base_queryset(Period.year(2000)).model
    out = []
    for column in figure.columns:
        field = _resolve_field(model, column.lookup)
        choices = dict(field.flatchoices) if getattr(field, "choices", None) else None
        out.append(choices)
    return out


def display(value, choices=None) -> str:
    if value is None:
        return ""
    if choices is not None:
        return str(choices.get(value, value))
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def raw_rows(figure: Figure, scope_path: str, period: Period):
    """The drill-down as a values_list queryset (for paging)."""
    lookups = [c.lookup for c in figure.columns] or ["pk"]
    return figure.drilldown(scope_path, period).order_by(*figure.order_by).values_list(*lookups)


def format_rows(figure: Figure, values_rows: Iterable) -> Iterator[list[str]]:
    formats = _formatters(figure) if figure.columns else [None]
    for values in values_rows:
        yield [display(v, f) for v, f in zip(values, formats, strict=True)]


def rows(figure: Figure, scope_path: str, period: Period) -> Iterator[list[str]]:
    return format_rows(figure, raw_rows(figure, scope_path, period).iterator(chunk_size=2000))


def amount_index(figure: Figure) -> int | None:
    for i, column in enumerate(figure.columns):
        if column.amount:
            return i
    return None


def write_csv(figure: Figure, scope_path: str, period: Period, fh) -> int:
    """The drill-down as CSV (UTF-8 with BOM for Excel); returns the number of data rows."""
    writer = csv_writer(fh)  # a name from the records cannot start a formula
    writer.writerow(headers(figure))
    n = 0
    for row in rows(figure, scope_path, period):
        writer.writerow(row)
        n += 1
    return n


def write_rate_csv(rate: Rate, scope_path: str, period: Period, fh) -> None:
    """A rate's CSV: its numerator and denominator (each with its own drill-down) and the percentage."""
    from qinqing.core.figures import get

    v = rate.value(scope_path, period)
    writer = csv_writer(fh)
    writer.writerow([_("项目"), _("指标编码"), _("指标"), _("数值")])
    writer.writerow([_("分子"), rate.numerator, str(get(rate.numerator).label), display(v["numerator"])])
    writer.writerow([_("分母"), rate.denominator, str(get(rate.denominator).label), display(v["denominator"])])
    writer.writerow([_("比率（%）"), rate.key, str(rate.label), display(v["value"])])


def value_of(figure: Figure | Rate, scope_path: str, period: Period) -> dict:
    """A figure's value as the pages and API show it (rates with numerator and denominator)."""
    if isinstance(figure, Rate):
        return figure.value(scope_path, period)
    return {"value": figure.value(scope_path, period)}


def plain(value) -> int | float | None:
    if isinstance(value, Decimal):
        return float(value)
    return value


def values(figures: Iterable[Figure | Rate], scope_path: str, period: Period) -> dict[str, dict]:
    """Every figure's value for one node and period (one query per model or rollup table for the figures that
    share one, qinqing.core.figure_values); a rate reuses its parts' values."""
    figures = list(figures)
    totals = figure_values.totals(figures, scope_path, [period])
    plain_values = {key: per_period[0] for key, per_period in totals.items()}
    out: dict[str, dict] = {key: {"value": value} for key, value in plain_values.items()}
    for f in figures:
        if isinstance(f, Rate):
            num = plain_values.get(f.numerator)
            den = plain_values.get(f.denominator)
            if num is None or den is None:
                out[f.key] = f.value(scope_path, period)
            else:
                out[f.key] = {
                    "value": round(100.0 * float(num) / float(den), 2) if den else None,
                    "numerator": num,
                    "denominator": den,
                }
    return out
