"""Annual summary pages: open a node's summary for a year, edit the text around live figures, finalise,
reopen, download .docx/.pdf."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from qinqing.core.errors import Refused
from qinqing.core.permissions import requires

from . import actions, exports, summary
from .models import AnnualSummary
from .permissions import MANAGE, VIEW, get_node, scoped, visible_nodes

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _year(value) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 1990 <= year <= 2999:
        raise Http404
    return year


@requires(VIEW)
def summary_list(request):
    if request.GET.get("org") and request.GET.get("year"):
        node = get_node(request.user, request.GET["org"])
        try:
            year = int(request.GET["year"])
        except ValueError:
            messages.error(request, _("年度应为四位数字"))
            return redirect("reports:summaries")
        return redirect("reports:summary", code=node.code, year=year)
    context = {
        "summaries": scoped(request.user, AnnualSummary).select_related("org")[:200],
        "nodes": visible_nodes(request.user).only("code", "name").order_by("path")[:500],
        "this_year": timezone.localdate().year - 1,
        "default_org": request.user.org.code if request.user.org else "",
    }
    return render(request, "reports/summary_list.html", context)


def _load(request, code: str, year):
    node = get_node(request.user, code)
    year = _year(year)
    return node, year, AnnualSummary.objects.filter(org=node, year=year).first()


@requires(VIEW)
def summary_detail(request, code: str, year):
    node, year, saved = _load(request, code, year)
    can_edit = request.user.has_perm(MANAGE)
    if request.method == "POST":
        if not can_edit:
            raise Http404
        op = request.POST.get("op", "save")
        try:
            if op == "save":
                texts = {
                    k: request.POST.get(f"text_{k}", "") for k in summary.ALL_SECTIONS if f"text_{k}" in request.POST
                }
                actions.save_summary(node, year, actor=request.user, texts=texts)
                messages.success(request, _("已保存"))
            elif op == "finalise":
                saved = saved or actions.save_summary(node, year, actor=request.user, texts={})
                actions.finalise_summary(saved, actor=request.user)
                messages.success(request, _("已定稿：数据已固定"))
            elif op == "reopen" and saved:
                actions.reopen_summary(saved, actor=request.user)
                messages.success(request, _("已撤销定稿，数据恢复实时"))
        except Refused as exc:
            messages.error(request, str(exc))
        return redirect("reports:summary", code=node.code, year=year)
    doc = summary.document(node, year, saved)
    context = {
        "doc": doc,
        "node": node,
        "year": year,
        "saved": saved,
        "can_edit": can_edit and not doc["final"],
        "can_reopen": can_edit and doc["final"],
        "figure_keys": [(k, v.label) for k, v in doc["live"].items()],
    }
    return render(request, "reports/summary_detail.html", context)


@requires(VIEW)
def summary_export(request, code: str, year, fmt: str):
    node, year, saved = _load(request, code, year)
    if fmt not in ("docx", "pdf"):
        raise Http404
    doc = summary.document(node, year, saved)
    base = request.build_absolute_uri("/").rstrip("/")
    if fmt == "docx":
        response = HttpResponse(exports.docx_bytes(doc, base), content_type=DOCX)
    else:
        response = HttpResponse(exports.pdf_bytes(doc, base), content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''summary-{node.code}-{year}.{fmt}"
    return response
