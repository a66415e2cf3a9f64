"""Report pages: the dashboard, the figures page, each figure's drill-down list and CSV."""

from __future__ import annotations

import io

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qinqing.core.figures import Rate, get_visible, visible_figures
from qinqing.core.pagination import CappedPaginator
from qinqing.core.permissions import requires

from . import drilldown, snapshots
from .periods import PRESETS, from_params
from .permissions import MANAGE, VIEW, get_node, visible_nodes


def _scope(request):
    node = get_node(request.user, request.GET.get("org"))
    period, preset, errors = from_params(request.GET)
    return node, period, preset, errors


def _nodes(user):
    return visible_nodes(user).only("code", "name", "path").order_by("path")[:500]


def _figure(key: str, user):
    try:
        return get_visible(key, user)
    except KeyError:
        raise Http404 from None


def _target(request, page: str) -> tuple[snapshots.Target, str, list[str]]:
    node, period, preset, errors = _scope(request)
    return snapshots.Target(page, node, period, tuple(visible_figures(request.user))), preset, errors


def _counted(request, shown: snapshots.Shown, page: str) -> dict:
    """What the page says about when its figures were counted, and (for staff) the form asking a recount."""
    query = urlencode({k: v for k, v in request.GET.items() if k in {"org", "period", "from", "to", "year"}})
    return {"counted": shown, "can_recount": request.user.has_perm(MANAGE), "recount_page": page, "query": query}


@requires(VIEW)
def dashboard(request):
    target, preset, errors = _target(request, "dashboard")
    shown = snapshots.shown(target)  # kept values when counting them is expensive (a province: seconds)
    data = {**shown.data, "node": target.node}
    context = {
        **data,
        **_counted(request, shown, "dashboard"),
        "preset": preset,
        "presets": PRESETS,
        "errors": errors,
        "nodes": _nodes(request.user),
        "chart_data": data["charts"],
    }
    return render(request, "reports/dashboard.html", context)


@requires(VIEW)
def figures_page(request):
    target, preset, errors = _target(request, "figures")
    node, period = target.node, target.period
    shown = snapshots.shown(target)
    values = shown.data
    rows = []
    for f in target.figures:
        v = values[f.key]
        rows.append(
            {
                "figure": f,
                "is_rate": isinstance(f, Rate),
                **v,
                "url": drilldown.url(f.key, node.code, period),
                "csv": "" if isinstance(f, Rate) else drilldown.url(f.key, node.code, period, csv_export=True),
            }
        )
    context = {
        "node": node,
        "period": period,
        "preset": preset,
        "presets": PRESETS,
        "errors": errors,
        "rows": rows,
        "nodes": _nodes(request.user),
        **_counted(request, shown, "figures"),
    }
    return render(request, "reports/figures.html", context)


@require_POST
@requires(MANAGE)
def recount(request, page: str):
    """Staff ask for a page's figures counted now (a snapshot is replaced; nothing of the records changes, so
    no audit entry). The scope comes from the query string, as the page's own."""
    if page not in snapshots.PAGES:
        raise Http404
    target, _preset, _errors = _target(request, page)
    snapshots.count(target)
    name = "reports:dashboard" if page == "dashboard" else "reports:figures"
    query = request.GET.urlencode()
    return redirect(reverse(name) + (f"?{query}" if query else ""))


@requires(VIEW)
def figure_detail(request, key: str):
    if request.GET.get("format") == "csv":
        return figure_csv(request, key)
    figure = _figure(key, request.user)
    node, period, _preset, errors = _scope(request)
    context = {"figure": figure, "node": node, "period": period, "errors": errors}
    if isinstance(figure, Rate):
        value = figure.value(node.path, period)
        context.update(
            is_rate=True,
            value=value,
            numerator=get_visible(figure.numerator, request.user),
            denominator=get_visible(figure.denominator, request.user),
            numerator_url=drilldown.url(figure.numerator, node.code, period),
            denominator_url=drilldown.url(figure.denominator, node.code, period),
        )
        return render(request, "reports/figure_detail.html", context)
    page = CappedPaginator(drilldown.raw_rows(figure, node.path, period), 50).get_page(request.GET.get("page"))
    page.object_list = list(drilldown.format_rows(figure, page.object_list))
    context.update(
        is_rate=False,
        value=figure.value(node.path, period),
        headers=drilldown.headers(figure),
        page=page,
        amount_index=drilldown.amount_index(figure),
        csv_url=drilldown.url(figure.key, node.code, period, csv_export=True),
    )
    return render(request, "reports/figure_detail.html", context)


@requires(VIEW)
def figure_csv(request, key: str):
    figure = _figure(key, request.user)
    node, period, _preset, _errors = _scope(request)
    buffer = io.StringIO()
    buffer.write("\ufeff")
    if isinstance(figure, Rate):
        drilldown.write_rate_csv(figure, node.path, period, buffer)
    else:
        drilldown.write_csv(figure, node.path, period, buffer)
    response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    name = f"{figure.key}-{node.code}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.csv"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response


def _day(request):
    import datetime as dt

    from django.utils import timezone

    raw = request.GET.get("date")
    try:
        return dt.date.fromisoformat(raw) if raw else timezone.localdate(), None
    except ValueError:
        return timezone.localdate(), _("统计日期格式应为 YYYY-MM-DD")


@requires(VIEW)
def statistics_page(request):
    from . import statistics

    node = get_node(request.user, request.GET.get("org"))
    day, error = _day(request)
    data = statistics.build(node.path, day)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            statistics.xlsx_bytes(node.name, data),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''statistics-{node.code}-{day:%Y%m%d}.xlsx"
        return response
    context = {
        "node": node,
        "data": data,
        "error": error,
        "nodes": _nodes(request.user),
        "query": request.GET.urlencode(),
    }
    return render(request, "reports/statistics.html", context)
