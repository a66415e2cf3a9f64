"""Activity figures by kind, organiser, month and node of the tree, and the records behind each figure."""

import datetime as dt
from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from qinqing.core import figures as registry
from qinqing.core.pagination import CappedPaginator
from qinqing.core.permissions import requires
from qinqing.orgs.models import Organization

from . import figures as act_figures
from .choices import Kind
from .permissions import FIGURES, visible_activities

TABLE_FIGURES = ("activities.activities", "activities.sessions", "activities.attendances", "activities.enterprises",
                 "activities.jobs", "activities.intentions")  # fmt: skip


def params(request) -> tuple[registry.Period, dict]:
    today = timezone.localdate()
    try:
        start = dt.date.fromisoformat(request.GET.get("start") or f"{today.year}-01-01")
        end = dt.date.fromisoformat(request.GET.get("end") or f"{today.year}-12-31")
    except ValueError:
        start, end = dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
    if end < start:
        start, end = end, start
    kind = request.GET.get("kind") or ""
    organiser = request.GET.get("organiser") or ""
    dims = {"kind": kind if kind in Kind.values else "",
            "organiser": int(organiser) if organiser.isdigit() and len(organiser) < 10 else ""}  # fmt: skip
    return registry.Period(start, end), dims


def scope(request) -> str:
    org = request.user.org
    if org is None:
        raise Http404
    return org.path


def _table(scope_path, period, dims, by: str, labels: dict) -> list[dict]:
    figures = [registry.get(key) for key in TABLE_FIGURES]
    columns = {f.key: act_figures.breakdown(f, scope_path, period, dims, by) for f in figures}
    groups = sorted({g for col in columns.values() for g in col}, key=lambda g: (g is None, str(g)))
    return [{"label": labels.get(g, g), "group": g, "values": [columns[f.key].get(g, 0) for f in figures]}
            for g in groups]  # fmt: skip


@requires(FIGURES)
def figures_page(request):
    scope_path = scope(request)
    period, dims = params(request)
    rows = []
    for figure in registry.all_figures(domain="activities"):
        rows.append({"figure": figure, "value": act_figures.value(figure, scope_path, period, dims),
                     "is_rate": isinstance(figure, registry.Rate)})  # fmt: skip
    organisers = Organization.objects.filter(pk__in=visible_activities(request.user).values("organiser_id"))
    names = dict(organisers.values_list("pk", "name"))
    paths = dict(Organization.objects.filter(path__startswith=scope_path).values_list("path", "name"))
    region_labels = {p: n for p, n in paths.items()}
    tables = [
        ("kind", _table(scope_path, period, dims, "kind", dict(Kind.choices))),
        ("region", _table(scope_path, period, dims, "region", region_labels)),
        ("organiser", _table(scope_path, period, dims, "organiser", names)),
        ("month", _table(scope_path, period, dims, "month", {})),
    ]
    for _by, table in tables:
        for row in table:
            if isinstance(row["label"], dt.date):
                row["label"] = row["label"].strftime("%Y-%m")
    query = urlencode({"start": period.start, "end": period.end, **{k: v for k, v in dims.items() if v}})
    return render(request, "activities/figures.html", {
        "rows": rows, "tables": tables, "headers": [registry.get(k).label for k in TABLE_FIGURES],
        "period": period, "dims": dims, "kinds": Kind.choices, "organisers": sorted(names.items(), key=lambda i: i[1]),
        "query": query,
        "chart": {"kinds": [{"name": str(r["label"]), "value": r["values"][0]} for r in tables[0][1]]},
    })  # fmt: skip


@requires(FIGURES)
def figure_records(request, key: str):
    try:
        figure = registry.get(key)
    except KeyError:
        raise Http404 from None
    if not key.startswith("activities.") or isinstance(figure, registry.Rate):
        raise Http404
    scope_path = scope(request)
    period, dims = params(request)
    qs = act_figures.records(figure, scope_path, period, dims).order_by(*figure.order_by)
    page = CappedPaginator(qs.values_list(*[c.lookup for c in figure.columns]), 50).get_page(request.GET.get("page"))
    kinds = dict(Kind.choices)
    return render(request, "activities/figure_records.html", {
        "figure": figure, "headers": [c.header for c in figure.columns],
        "rows": [[kinds.get(v, v) if isinstance(v, str) else v for v in row] for row in page], "page": page,
        "value": act_figures.value(figure, scope_path, period, dims),
        "query": urlencode({"start": period.start, "end": period.end, **{k: v for k, v in dims.items() if v}}),
    })  # fmt: skip
