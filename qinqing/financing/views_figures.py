"""Leaders' financing figures by bank, region, industry, size and period, the funnel, the list behind each
figure, and the Excel export (audited)."""

import datetime as dt
from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from qinqing.core import audit
from qinqing.core import figures as registry
from qinqing.core.pagination import CappedPaginator
from qinqing.core.permissions import requires
from qinqing.orgs.models import Organization
from qinqing.registry.choices import SizeClass

from . import figures as fin_figures
from .permissions import FIGURES
from .views import _xlsx, list_template

DIMS = ("bank", "region", "industry", "size")


def _params(request) -> tuple[registry.Period, dict]:
    today = dt.date.today()
    try:
        start = dt.date.fromisoformat(request.GET.get("start") or f"{today.year}-01-01")
        end = dt.date.fromisoformat(request.GET.get("end") or f"{today.year}-12-31")
    except ValueError:
        start, end = dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
    if end < start:
        start, end = end, start
    dims = {}
    for dim in DIMS:
        value = (request.GET.get(dim) or "").strip()
        if dim == "bank" and not value.isdigit():
            value = ""
        dims[dim] = value[:12]
    return registry.Period(start, end), dims


def _scope(request) -> str:
    org = request.user.org
    if org is None:
        raise Http404
    return org.path


def _rows(scope: str, period, dims):
    rows = []
    values = fin_figures.values_batch(scope, period, dims)
    for figure in registry.all_figures(domain="financing"):
        value = values[figure.key]
        rows.append({"figure": figure, "value": value, "is_rate": isinstance(figure, registry.Rate)})
    return rows


@requires(FIGURES)
def figures_page(request):
    scope = _scope(request)
    period, dims = _params(request)
    rows = _rows(scope, period, dims)
    by_key = {r["figure"].key: r["value"] for r in rows}
    funnel = [
        {"name": str(registry.get(key).label), "value": float(by_key[key] or 0)}
        for key in (
            "financing.need_enterprises",
            "financing.matched_enterprises",
            "financing.credited",
            "financing.lent",
        )
        if by_key.get(key) is not None
    ]
    query = urlencode({"start": period.start, "end": period.end, **{k: v for k, v in dims.items() if v}})
    return render(
        request,
        "financing/figures.html",
        {
            "rows": rows,
            "query": query,
            "period": period,
            "dims": dims,
            "banks": Organization.objects.filter(kind="bank").order_by("path"),
            "sizes": SizeClass.choices,
            "chart": {"funnel": funnel},
            "reasons": fin_figures.refusal_reasons(scope, period, dims),
        },
    )


@requires(FIGURES)
def figure_records(request, key: str):
    try:
        figure = registry.get(key)
    except KeyError:
        raise Http404 from None
    if not key.startswith("financing.") or isinstance(figure, registry.Rate):
        raise Http404
    scope = _scope(request)
    period, dims = _params(request)
    qs = fin_figures.records(figure, scope, period, dims)
    if qs is None:
        raise Http404
    lookups = [c.lookup for c in figure.columns]
    qs = qs.order_by(*figure.order_by)
    page = CappedPaginator(qs.values_list(*lookups), 50).get_page(request.GET.get("page"))
    return render(
        request,
        list_template(request, "figure_records.html", "_record_rows.html"),
        {
            "figure": figure,
            "headers": [c.header for c in figure.columns],
            "page": page,
            "value": fin_figures.value(figure, scope, period, dims),
            "query": urlencode({"start": period.start, "end": period.end, **{k: v for k, v in dims.items() if v}}),
        },
    )


@requires(FIGURES)
def figures_export(request):
    scope = _scope(request)
    period, dims = _params(request)
    rows = _rows(scope, period, dims)
    head = [_("指标"), _("数值"), _("单位"), _("分子"), _("分母")]
    out = []
    for r in rows:
        f, v = r["figure"], r["value"]
        if r["is_rate"]:
            out.append([str(f.label), "" if not v or v["value"] is None else v["value"], "%",
                        "" if not v else v["numerator"], "" if not v else v["denominator"]])  # fmt: skip
        else:
            out.append([str(f.label), "" if v is None else v, str(f.unit), "", ""])
    audit.record(
        "financing.export_figures",
        actor=request.user,
        object_type="financing.figures",
        object_repr=_("银企对接统计导出"),
        after={"start": period.start, "end": period.end, **dims},
    )
    return _xlsx(_xlsx_bytes(head, out), _("银企对接统计"))


def _xlsx_bytes(head, rows) -> bytes:
    from .exports import to_xlsx

    return to_xlsx(_("银企对接统计"), head, rows)
