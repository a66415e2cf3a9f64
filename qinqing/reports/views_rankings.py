"""N强 pages: compute a list for a year and subtree, publish it as a frozen snapshot, export .xlsx/.docx."""

from __future__ import annotations

import io

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from qinqing.core.cellsafety import workbook
from qinqing.core.errors import Refused
from qinqing.core.permissions import requires

from . import actions, rankings
from .models import RankingList
from .permissions import MANAGE, VIEW, get_node, scoped, visible_nodes

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _params(request):
    node = get_node(request.user, request.GET.get("org") or request.POST.get("org"))
    src = request.POST if request.method == "POST" else request.GET
    errors = []
    metric = src.get("metric") or "revenue"
    if metric not in rankings.METRICS:
        errors.append(_("指标无效"))
        metric = "revenue"
    try:
        year = int(src.get("year") or timezone.localdate().year - 1)
    except ValueError:
        errors.append(_("年度应为四位数字"))
        year = timezone.localdate().year - 1
    try:
        top = int(src.get("top") or 100)
        if not 1 <= top <= 10000:
            raise ValueError
    except ValueError:
        errors.append(_("名次数N应为1至10000的整数"))
        top = 100
    return node, metric, year, top, errors


@requires(VIEW)
def ranking_page(request):
    node, metric, year, top, errors = _params(request)
    if request.method == "POST":
        if not request.user.has_perm(MANAGE):
            raise Http404
        if errors:
            for e in errors:
                messages.error(request, e)
            return redirect("reports:rankings")
        try:
            obj = actions.publish_ranking(node, actor=request.user, metric=metric, year=year, top=top)
        except (Refused, rankings.RankingError) as exc:
            messages.error(request, str(exc))
            return redirect("reports:rankings")
        messages.success(request, _("榜单已发布并固定"))
        return redirect("reports:ranking", pk=obj.pk)
    result = rankings.compute(metric, year, top, node.path)
    context = {
        "node": node,
        "metric": metric,
        "year": year,
        "top": top,
        "errors": errors,
        "metrics": {k: v[2] for k, v in rankings.METRICS.items()},
        "result": result,
        "nodes": visible_nodes(request.user).only("code", "name").order_by("path")[:500],
        "published": scoped(request.user, RankingList)[:50],
        "can_publish": request.user.has_perm(MANAGE),
    }
    return render(request, "reports/rankings.html", context)


def _get(user, pk) -> RankingList:
    try:
        return scoped(user, RankingList).get(pk=pk)
    except (RankingList.DoesNotExist, ValueError):
        raise Http404 from None


@requires(MANAGE)
def ranking_flags(request):
    """Set or clear an enterprise's exclusion flags by its credit code (an enterprise of the reader's subtree)."""
    from qinqing.registry.permissions import visible_enterprises

    if request.method != "POST":
        return redirect("reports:rankings")
    code = (request.POST.get("credit_code") or "").strip().upper()
    enterprise = visible_enterprises(request.user).filter(credit_code=code).first()
    if enterprise is None:
        messages.error(request, _("统一社会信用代码：未找到 %(code)s（或不在您的管辖范围内）") % {"code": code or "—"})
        return redirect("reports:rankings")
    actions.set_ranking_flags(
        enterprise,
        actor=request.user,
        serious_dishonesty=request.POST.get("serious_dishonesty") == "on",
        non_private_controlled=request.POST.get("non_private_controlled") == "on",
    )
    messages.success(request, _("已更新 %(name)s 的排除标记") % {"name": enterprise.name})
    return redirect("reports:rankings")


@requires(VIEW)
def ranking_detail(request, pk: int):
    return render(request, "reports/ranking_detail.html", {"obj": _get(request.user, pk)})


@requires(VIEW)
def ranking_export(request, pk: int, fmt: str):
    obj = _get(request.user, pk)
    head = rankings.headers(obj.value_header)
    rows = [[e["rank"], e["credit_code"], e["name"], e["value"]] for e in obj.entries]
    if fmt == "xlsx":
        buffer = io.BytesIO()
        book = workbook(buffer, {"in_memory": True})  # text as text: no formula from an enterprise name
        sheet = book.add_worksheet(_("榜单"))
        bold = book.add_format({"bold": True})
        sheet.write(0, 0, obj.title, bold)
        sheet.write_row(2, 0, head, bold)
        for i, row in enumerate(rows, start=3):
            sheet.write_row(i, 0, row)
        n = len(rows) + 4
        sheet.write(n, 0, _("排名规则：%(rule)s") % {"rule": obj.rule})
        sheet.write(n + 1, 0, _("说明：%(note)s") % {"note": obj.note})
        sheet.write(
            n + 2, 0, _("数据日期：%(date)s") % {"date": timezone.localtime(obj.data_date).strftime("%Y-%m-%d")}
        )
        sheet.set_column(1, 2, 30)
        book.close()
        response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    elif fmt == "docx":
        from docx import Document

        d = Document()
        d.add_heading(obj.title, level=0)
        table = d.add_table(rows=1, cols=4)
        for cell, text in zip(table.rows[0].cells, head, strict=True):
            cell.text = str(text)
        for row in rows:
            for cell, text in zip(table.add_row().cells, row, strict=True):
                cell.text = str(text)
        d.add_paragraph(_("排名规则：%(rule)s") % {"rule": obj.rule})
        d.add_paragraph(_("说明：%(note)s") % {"note": obj.note})
        d.add_paragraph(_("数据日期：%(date)s") % {"date": timezone.localtime(obj.data_date).strftime("%Y-%m-%d")})
        buffer = io.BytesIO()
        d.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=DOCX)
    else:
        raise Http404
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''ranking-{obj.pk}.{fmt}"
    return response
