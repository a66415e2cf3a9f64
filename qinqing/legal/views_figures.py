"""The legal figures page (the tree below the user's node, per law firm and per chamber) and the list of records
behind every figure and every cell of the breakdowns."""

import datetime as dt
from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render

from qinqing.core import figures as registry
from qinqing.core.pagination import CappedPaginator
from qinqing.core.permissions import requires
from qinqing.orgs.models import Organization

from . import figures as legal_figures
from .permissions import FIGURES

DIMS = ("law_firm", "chamber")


def params(getter) -> tuple[registry.Period, dict]:
    today = dt.date.today()
    try:
        start = dt.date.fromisoformat(getter("start") or f"{today.year}-01-01")
        end = dt.date.fromisoformat(getter("end") or f"{today.year}-12-31")
    except ValueError:
        start, end = dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
    if end < start:
        start, end = end, start
    dims = {dim: v for dim in DIMS if (v := (getter(dim) or "").strip()).isdigit() and len(v) < 12}
    return registry.Period(start, end), dims


def scope(user) -> str:
    if user.org is None:
        raise Http404
    return user.org.path


@requires(FIGURES)
def figures_page(request):
    period, dims = params(request.GET.get)
    path = scope(request.user)
    rows = [{"figure": f, "value": legal_figures.value(f, path, period, dims), "is_rate": isinstance(f, registry.Rate)}
            for f in registry.all_figures(domain="legal")]  # fmt: skip
    query = urlencode({"start": period.start, "end": period.end, **dims})
    headers = [registry.get(k).label for k in legal_figures.BREAKDOWN]
    context = {
        "rows": rows, "period": period, "dims": dims, "query": query, "headers": headers,
        "keys": legal_figures.BREAKDOWN,
        "by_firm": legal_figures.breakdown("law_firm", path, period),
        "by_chamber": legal_figures.breakdown("chamber", path, period),
        "dim_names": dict(Organization.objects.filter(pk__in=[int(v) for v in dims.values()])
                          .values_list("pk", "name")),
    }  # fmt: skip
    return render(request, "legal/figures.html", context)


@requires(FIGURES)
def figure_records(request, key: str):
    try:
        figure = registry.get(key)
    except KeyError:
        raise Http404 from None
    if not key.startswith("legal.") or isinstance(figure, registry.Rate):
        raise Http404
    period, dims = params(request.GET.get)
    path = scope(request.user)
    qs = legal_figures.records(figure, path, period, dims)
    if qs is None:
        raise Http404
    lookups = [c.lookup for c in figure.columns]
    page = CappedPaginator(qs.order_by(*figure.order_by).values_list(*lookups), 50).get_page(request.GET.get("page"))
    value = legal_figures.value(figure, path, period, dims)
    query = urlencode({"start": period.start, "end": period.end, **dims})
    context = {"figure": figure, "value": value, "headers": [c.header for c in figure.columns], "page": page,
               "query": query, "count": page.paginator.count}  # fmt: skip
    return render(request, "legal/figure_records.html", context)
