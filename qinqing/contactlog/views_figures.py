"""亲清日志 figures for leaders and reviewers (their subtree), and the records behind each (same scope)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render

from qinqing.core.badinput import BadInput, date_param
from qinqing.core.figures import Period, Rate
from qinqing.core.pagination import CappedPaginator
from qinqing.core.permissions import requires
from qinqing.reports import drilldown

from . import figures
from .actions import today
from .permissions import FIGURES


def period_of(params) -> Period:
    """The period of the page's from/to parameters (default: this year); BadInput naming a bad date."""
    from django.utils.translation import gettext as _

    year = today().year
    start = date_param(params, "from", _("起始日期")) or dt.date(year, 1, 1)
    end = date_param(params, "to", _("截止日期")) or dt.date(year, 12, 31)
    if end < start:
        raise BadInput(_("“截止日期”不能早于起始日期"))
    return Period(start, end)


def scope_of(user) -> str:
    org = getattr(user, "org", None)
    if org is None or not org.path:
        raise Http404
    return org.path


def figure_rows(scope: str, period: Period) -> list[dict]:
    return [{"figure": f, "is_rate": isinstance(f, Rate), "value": figures.value(f, scope, period)}
            for f in figures.FIGURES]  # fmt: skip


@requires(FIGURES)
def figures_page(request):
    scope, period = scope_of(request.user), period_of(request.GET)
    rows = figure_rows(scope, period)
    query = urlencode({"from": period.start, "to": period.end})
    chart = [{"name": str(r["figure"].label).split("：")[-1], "value": r["value"]}
             for r in rows if r["figure"].key.startswith("contactlog.contacts_")]  # fmt: skip
    return render(request, "contactlog/figures.html", {"rows": rows, "period": period, "query": query,
                                                       "chart": chart})  # fmt: skip


@requires(FIGURES)
def figure_records(request, key: str):
    figure = figures.BY_KEY.get(key)
    if figure is None or isinstance(figure, Rate):
        raise Http404
    scope, period = scope_of(request.user), period_of(request.GET)
    page = CappedPaginator(drilldown.raw_rows(figure, scope, period), 50).get_page(request.GET.get("page"))
    return render(request, "contactlog/figure_records.html", {
        "figure": figure, "headers": drilldown.headers(figure), "page": page,
        "rows": list(drilldown.format_rows(figure, page.object_list)),
        "value": figure.value(scope, period), "query": urlencode({"from": period.start, "to": period.end}),
    })  # fmt: skip
