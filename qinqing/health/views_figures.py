"""Health-check figures for a period, charts by grade and weakest dimension, and the records behind each."""

import datetime as dt
from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render

from qinqing.core import figures as registry
from qinqing.core.pagination import CappedPaginator
from qinqing.core.permissions import requires

from .indicators import DIMENSIONS, GRADES
from .permissions import FIGURES


def _period(request) -> registry.Period:
    today = dt.date.today()
    try:
        start = dt.date.fromisoformat(request.GET.get("start") or f"{today.year}-01-01")
        end = dt.date.fromisoformat(request.GET.get("end") or f"{today.year}-12-31")
    except ValueError:
        start, end = dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
    return registry.Period(min(start, end), max(start, end))


def _scope(request) -> str:
    if request.user.org is None:
        raise Http404
    return request.user.org.path


def values(scope: str, period: registry.Period) -> dict:
    return {f.key: f.value(scope, period) for f in registry.all_figures(domain="health")}


@requires(FIGURES)
def figures_page(request):
    scope, period = _scope(request), _period(request)
    found = values(scope, period)
    rows = [{"figure": f, "value": found[f.key], "is_rate": isinstance(f, registry.Rate)}
            for f in registry.all_figures(domain="health")]  # fmt: skip
    chart = {
        "grades": [{"name": str(label), "value": found[f"health.grade_{code.lower()}"]} for code, _l, label in GRADES],
        "weakest": [{"name": str(label), "value": found[f"health.weak_{code}"]} for code, label in DIMENSIONS.items()],
    }
    return render(request, "health/figures.html", {
        "rows": rows, "period": period, "chart": chart, "query": urlencode({"start": period.start, "end": period.end}),
    })  # fmt: skip


@requires(FIGURES)
def figure_records(request, key: str):
    try:
        figure = registry.get(key)
    except KeyError:
        raise Http404 from None
    if not key.startswith("health.") or isinstance(figure, registry.Rate):
        raise Http404
    scope, period = _scope(request), _period(request)
    qs = figure.drilldown(scope, period).order_by(*figure.order_by)
    page = CappedPaginator(qs.values_list(*[c.lookup for c in figure.columns]), 50).get_page(request.GET.get("page"))
    return render(request, "health/figure_records.html", {
        "figure": figure, "headers": [c.header for c in figure.columns], "page": page,
        "value": figure.value(scope, period), "query": urlencode({"start": period.start, "end": period.end}),
    })  # fmt: skip
