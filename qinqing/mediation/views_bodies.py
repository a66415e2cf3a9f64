"""Mediation bodies and rosters, the exchange with the courts (export and import), and the figures rolled up
the tree. Views are thin: scoped reads from permissions, one action per POST."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from qinqing.accounts.models import User
from qinqing.core import audit
from qinqing.core import figures as registry
from qinqing.core.badinput import date_param, int_param
from qinqing.core.errors import Refused
from qinqing.core.permissions import requires
from qinqing.core.roles import Role
from qinqing.core.uploads import DEFAULT_MAX_BYTES
from qinqing.core.uploads import check as check_upload
from qinqing.orgs.models import Organization

from . import actions, exchange, forms
from . import figures as med_figures
from .choices import CaseType, Source, Status
from .models import RosterEntry
from .permissions import BODIES, FIGURES, REGISTER, VIEW, get_body, managed_bodies, visible_bodies, visible_cases


@requires(VIEW)
def body_list(request):
    bodies = visible_bodies(request.user).select_related("organization")
    return render(request, "mediation/body_list.html", {"bodies": bodies, "can_manage": request.user.has_perm(BODIES)})


def _nodes(user):
    org = user.org
    if org is None:
        return Organization.objects.none()
    return Organization.objects.filter(path__startswith=org.path, kind__in=("chamber", "fic"), is_active=True).order_by(
        "path"
    )


@requires(BODIES)
def body_new(request):
    nodes = _nodes(request.user)
    form = forms.BodyForm(request.POST or None, organizations=nodes)
    if request.method == "POST" and form.is_valid():
        organization = nodes.filter(pk=form.cleaned_data["organization"]).first()
        try:
            body = actions.save_body(actor=request.user, organization=organization, data=form.cleaned_data)
        except ValidationError as exc:
            forms.apply_errors(form, exc)
        else:
            messages.success(request, _("调解组织已创建"))
            return redirect("mediation:body_detail", body.pk)
    return render(request, "mediation/body_form.html", {"form": form})


def _managed(user, pk):
    body = managed_bodies(user).filter(pk=int_param({"pk": str(pk)}, "pk", "id") or 0).first()
    if body is None:
        raise Http404
    return body


@requires(BODIES)
def body_edit(request, pk: int):
    body = _managed(request.user, pk)
    initial = {k: getattr(body, k) for k in ("name", "kind", "phone", "address", "established_on")}
    form = forms.BodyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_body(actor=request.user, organization=None, body=body, data=form.cleaned_data)
        except ValidationError as exc:
            forms.apply_errors(form, exc)
        else:
            messages.success(request, _("调解组织已保存"))
            return redirect("mediation:body_detail", body.pk)
    return render(request, "mediation/body_form.html", {"form": form, "body": body})


def _candidates(body):
    node = body.organization
    area = node.parent.path if node.kind == "chamber" and node.parent_id else node.path
    return User.objects.filter(role=Role.MEDIATOR, is_active=True, org__path__startswith=area).select_related("org")


@requires(VIEW)
def body_detail(request, pk: int):
    body = get_body(request.user, pk)
    can_manage = managed_bodies(request.user).filter(pk=body.pk).exists() and request.user.has_perm(BODIES)
    form = forms.RosterForm(candidates=_candidates(body)) if can_manage else None
    roster = body.roster.select_related("user", "user__org").order_by("-is_active", "id")
    cases = visible_cases(request.user).filter(body=body)
    return render(request, "mediation/body_detail.html", {
        "body": body, "roster": roster, "form": form, "can_manage": can_manage,
        "open_cases": cases.filter(status="open").count(), "all_cases": cases.count(),
    })  # fmt: skip


@requires(BODIES)
def roster_add(request, pk: int):
    body = _managed(request.user, pk)
    if request.method != "POST":  # looked up first: an object outside the user's scope answers 404 on any method
        return HttpResponseNotAllowed(["POST"])
    form = forms.RosterForm(request.POST, candidates=_candidates(body))
    if not form.is_valid():
        messages.error(request, "；".join(f"{form.fields[k].label}：{'，'.join(v)}" for k, v in form.errors.items()))
        return redirect("mediation:body_detail", body.pk)
    d = form.cleaned_data
    user = _candidates(body).filter(pk=d["user"]).first()
    try:
        actions.add_to_roster(body, actor=request.user, user=user, specialities=d["specialities"], title=d["title"])
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("%(name)s 已列入调解员名册") % {"name": user.name})
    return redirect("mediation:body_detail", body.pk)


@requires(BODIES)
def roster_remove(request, pk: int, entry: int):
    body = _managed(request.user, pk)
    if request.method != "POST":  # looked up first: an object outside the user's scope answers 404 on any method
        return HttpResponseNotAllowed(["POST"])
    item = RosterEntry.objects.filter(body=body, pk=entry).select_related("body").first()
    if item is None:
        raise Http404
    try:
        actions.remove_from_roster(item, actor=request.user)
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已移出调解员名册"))
    return redirect("mediation:body_detail", body.pk)


# --- exchange with the courts ---------------------------------------------------------------------


def export_queryset(user, params):
    qs = visible_cases(user)
    body = int_param(params, "body", _("调解组织"))
    if body:
        qs = qs.filter(body_id=body)
    start = date_param(params, "from", _("起始日期"))
    end = date_param(params, "to", _("截止日期"))
    if start:
        qs = qs.filter(received_on__gte=start)
    if end:
        qs = qs.filter(received_on__lte=end)
    court = (params.get("court") or "").strip()[:100]
    if court:
        qs = qs.filter(court_name=court)
    return qs


def export_response(user, params, fmt: str) -> HttpResponse:
    qs = export_queryset(user, params)
    if fmt == "json":
        content, ctype = exchange.export_json(qs), "application/json; charset=utf-8"
    else:
        content, ctype = exchange.export_xlsx(qs), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    audit.record("mediation.export_exchange", actor=user, object_type="mediation.case",
                 object_repr=_("法院委派/委托案件交换文件"),
                 after={"format": fmt, "cases": exchange.exportable(qs).count(), "version": exchange.VERSION,
                        **{k: params.get(k) for k in ("body", "from", "to", "court") if params.get(k)}})  # fmt: skip
    response = HttpResponse(content, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="mediation-exchange-v{exchange.VERSION}.{fmt}"'
    return response


@requires(REGISTER)
def exchange_page(request):
    user = request.user
    bodies = managed_bodies(user).filter(is_active=True)
    result = None
    if request.method == "POST":
        body = bodies.filter(pk=int_param(request.POST, "body", _("调解组织")) or 0).first()
        upload = request.FILES.get("file")
        if body is None:
            messages.error(request, _("请选择导入到哪个调解组织"))
        elif upload is None:
            messages.error(request, _("请选择交换文件"))
        else:
            result = _import(request, body, upload)
    return render(request, "mediation/exchange.html", {"bodies": bodies, "result": result,
                                                       "version": exchange.VERSION})  # fmt: skip


def import_upload(user, body, upload) -> exchange.ImportResult:
    """Check the upload, read it, import it; an unreadable file is one error, nothing changes."""
    name = upload.name or ""
    if (upload.size or 0) > DEFAULT_MAX_BYTES:
        return exchange.ImportResult(errors=[_("交换文件不能超过 %(mb)s MB") % {"mb": DEFAULT_MAX_BYTES // 2**20}])
    try:
        if name.lower().endswith(".xlsx"):
            check_upload(upload, label=_("交换文件"))
        records = exchange.read_file(name, upload.read())
    except (ValidationError, exchange.UnreadableFile) as exc:
        message = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        return exchange.ImportResult(errors=[message])
    return exchange.import_records(records, body=body, actor=user, visible_cases=visible_cases(user))


def _import(request, body, upload):
    result = import_upload(request.user, body, upload)
    if result.ok:
        messages.success(request, _("导入完成：新建 %(c)s 件，更新 %(u)s 件，未变 %(n)s 件")
                         % {"c": result.created, "u": result.updated, "n": result.unchanged})  # fmt: skip
    else:
        messages.error(request, _("导入文件有 %(n)s 处错误，未作任何修改") % {"n": len(result.errors)})
    return result


@requires(REGISTER)
def exchange_export(request, fmt: str):
    if fmt not in ("json", "xlsx"):
        raise Http404
    return export_response(request.user, request.GET, fmt)


LABELS = {"source": dict(Source.choices), "case_type": dict(CaseType.choices), "status": dict(Status.choices)}

# --- figures --------------------------------------------------------------------------------------


def figure_table(node, period) -> dict:
    """The figures of a node and of each node directly below it (rolled up: each value counts the subtree)."""
    children = list(
        Organization.objects.filter(parent=node, kind__in=("fic", "chamber"), is_active=True).order_by("path")
    )
    keys = [*med_figures.HEADLINE, "mediation.closed", "mediation.days_total", *med_figures.SOURCE_KEYS,
            *med_figures.TYPE_KEYS, "mediation.court_referred", "mediation.failed", "mediation.returned",
            "mediation.settled_amount"]  # fmt: skip
    figures = [registry.get(k) for k in dict.fromkeys(keys)]

    def values(path):
        out = {f.key: f.value(path, period) for f in figures}
        out["average_days"] = med_figures.average_days(path, period)
        return out

    own = values(node.path)
    rows = []
    for child in children:
        v = values(child.path)
        if v["mediation.cases"] or v["mediation.closed"]:
            rows.append({"node": child, "values": v})
    return {"own": own, "rows": rows, "figures": figures}


def _cell(key: str, values: dict) -> dict:
    figure = registry.get(key)
    value = values[key]
    if isinstance(figure, registry.Rate):
        return {"key": key, "label": figure.label, "rate": True, "value": value["value"],
                "numerator": value["numerator"], "denominator": value["denominator"]}  # fmt: skip
    return {"key": key, "label": figure.label, "unit": figure.unit, "value": value, "rate": False}


TREE_KEYS = ["mediation.cases", "mediation.court_referred", "mediation.amount", "mediation.settled",
             "mediation.settlement_rate", "mediation.confirmed"]  # fmt: skip


@requires(FIGURES)
def figures_page(request):
    node = request.user.org
    if node is None:
        raise Http404
    today = actions.today()
    start = date_param(request.GET, "from", _("起始日期")) or today.replace(month=1, day=1)
    end = date_param(request.GET, "to", _("截止日期")) or today.replace(month=12, day=31)
    if end < start:
        start, end = end, start
    period = registry.Period(start, end)
    table = figure_table(node, period)
    own = table["own"]

    def short(key):
        return str(registry.get(key).label).split("：")[-1]

    chart = {
        "sources": [{"name": short(k), "value": own[k]} for k in med_figures.SOURCE_KEYS],
        "types": [{"name": short(k), "value": own[k]} for k in med_figures.TYPE_KEYS],
    }
    headline = [*med_figures.HEADLINE, "mediation.court_referred", "mediation.failed", "mediation.returned",
                "mediation.settled_amount", "mediation.closed", "mediation.days_total"]  # fmt: skip
    return render(request, "mediation/figures.html", {
        "node": node, "period": period, "chart": chart,
        "cards": [_cell(k, own) for k in headline],
        "average_days": own["average_days"],
        "sources": [{**_cell(k, own), "label": short(k)} for k in med_figures.SOURCE_KEYS],
        "types": [{**_cell(k, own), "label": short(k)} for k in med_figures.TYPE_KEYS],
        "tree_head": [registry.get(k).label for k in TREE_KEYS],
        "tree": [{"node": r["node"], "cells": [_cell(k, r["values"]) for k in TREE_KEYS],
                  "average_days": r["values"]["average_days"]} for r in table["rows"]],
        "query": f"from={period.start}&to={period.end}",
    })  # fmt: skip


@requires(FIGURES)
def figure_records(request, key: str):
    """The records behind one mediation figure for the user's subtree and period (what the figure counts)."""
    try:
        figure = registry.get(key)
    except KeyError:
        raise Http404 from None
    if not key.startswith("mediation.") or isinstance(figure, registry.Rate) or request.user.org is None:
        raise Http404
    today = actions.today()
    start = date_param(request.GET, "from", _("起始日期")) or today.replace(month=1, day=1)
    end = date_param(request.GET, "to", _("截止日期")) or today.replace(month=12, day=31)
    period = registry.Period(min(start, end), max(start, end))
    qs = figure.drilldown(request.user.org.path, period).order_by(*figure.order_by)
    from qinqing.core.pagination import CappedPaginator

    lookups = [c.lookup for c in figure.columns]
    page = CappedPaginator(qs.values_list(*lookups), 50).get_page(request.GET.get("page"))
    labels = [LABELS.get(lookup, {}) for lookup in lookups]
    page.object_list = [[names.get(v, v) for names, v in zip(labels, row, strict=True)] for row in page.object_list]
    return render(request, "mediation/figure_records.html", {
        "figure": figure, "headers": [c.header for c in figure.columns], "page": page,
        "value": figure.value(request.user.org.path, period), "period": period,
    })  # fmt: skip
