"""Leadership figures (with charts and Excel export) and the classification editor."""

import io

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from qinqing.core.cellsafety import workbook
from qinqing.core.permissions import requires

from . import figures
from .actions.classification import save_classification, save_deadline_rule
from .filters import filter_appeals
from .models import AppealDomain, AppealType, DeadlineRule
from .permissions import CLASSIFY, FIGURES, visible_appeals


def _scoped(request):
    """The appeals behind the page, or the rollup rows that hold the same counts when the filters allow."""
    qs, params = filter_appeals(visible_appeals(request.user), request.GET)
    dimension = request.GET.get("by", "department")
    if dimension not in figures.DIMENSIONS:
        dimension = "department"
    rolled = figures.rollup_source(request.user, request.GET)
    return (qs if rolled is None else rolled), params, dimension


def _rows(request, qs, dimension: str) -> tuple[list[dict], list[dict]]:
    """The rows of ``dimension`` and the department rows (the league), the latter from the department rollup when
    the filters allow (figures.department_source); one aggregate when grouping by department."""
    base_path = request.user.org.path
    departments = figures.department_source(request.user, request.GET)
    dept_rows = figures.by_dimension(departments if departments is not None else qs, "department", base_path=base_path)
    rows = dept_rows if dimension == "department" else figures.by_dimension(qs, dimension, base_path=base_path)
    return rows, dept_rows


@requires(FIGURES)
def figures_page(request):
    qs, params, dimension = _scoped(request)
    rows, dept_rows = _rows(request, qs, dimension)
    chart = {
        "labels": [r["label"] for r in rows[:20]],
        "received": [r["received"] for r in rows[:20]],
        "satisfaction": [r["satisfaction_rate"] for r in rows[:20]],
        "reply": [r["reply_rate"] for r in rows[:20]],
    }
    context = {
        "total": figures.totals_from(rows),
        "rows": rows,
        "rates": figures.RATES,
        "dimension": dimension,
        "dimensions": {k: v[2] for k, v in figures.DIMENSIONS.items()},
        "league": figures.league_from(dept_rows)[:20],
        "department_regions": figures.departments_by_region(dept_rows) if dimension == "region" else [],
        "chart": chart,
        "params": params,
        "query": request.GET.urlencode(),
    }
    return render(request, "appeals/figures.html", context)


@requires(FIGURES)
def figures_export(request):
    qs, _params, dimension = _scoped(request)
    rows, dept_rows = _rows(request, qs, dimension)
    buffer = io.BytesIO()
    book = workbook(buffer, {"in_memory": True})  # text as text: no formula from a department name
    sheet = book.add_worksheet(_("诉求统计"))
    head = [
        str(figures.DIMENSIONS[dimension][2]),
        _("登记量"),
        _("受理量"),
        _("已办结"),
        *[str(label) for _k, label, _n, _d in figures.RATES],
    ]
    bold = book.add_format({"bold": True})
    sheet.write_row(0, 0, head, bold)
    for i, r in enumerate(rows, start=1):
        sheet.write_row(
            i, 0, [r["label"], r["received"], r["accepted"], r["closed"], *[r[k] for k, *_ in figures.RATES]]
        )
    total = figures.totals_from(rows)
    sheet.write_row(
        len(rows) + 1,
        0,
        [_("合计"), total["received"], total["accepted"], total["closed"], *[total[k] for k, *_ in figures.RATES]],
        bold,
    )
    sheet.set_column(0, 0, 28)
    league_sheet = book.add_worksheet(_("承办单位排行榜"))
    league_head = [
        _("名次"),
        _("承办单位"),
        _("所属地区"),
        _("交办量"),
        _("首次联系及时率"),
        _("按时答复率"),
        _("满意率"),
        _("解决率"),
        _("综合得分"),
    ]
    league_sheet.write_row(0, 0, league_head, bold)
    for i, r in enumerate(figures.league_from(dept_rows), start=1):
        league_sheet.write_row(
            i,
            0,
            [
                i,
                r["label"],
                r["region"],
                r["received"],
                *[r[k] for k in ("contact_rate", "reply_rate", "satisfaction_rate", "solve_rate")],
                r["score"],
            ],
        )
    league_sheet.set_column(1, 2, 28)
    if dimension == "region":
        regions = book.add_worksheet(_("按承办单位所属地区"))
        regions.write_row(
            0,
            0,
            [_("承办单位所属地区"), _("交办量"), _("已办结"), *[str(label) for _k, label, _n, _d in figures.RATES]],
            bold,
        )
        for i, r in enumerate(figures.departments_by_region(dept_rows), start=1):
            regions.write_row(i, 0, [r["label"], r["received"], r["closed"], *[r[k] for k, *_ in figures.RATES]])
        regions.set_column(0, 0, 28)
    book.close()
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = "attachment; filename*=UTF-8''appeal-figures.xlsx"
    return response


@requires(CLASSIFY)
def classification(request):
    from .forms import ClassificationForm, DeadlineRuleForm

    is_rule = request.POST.get("kind") == "rule"
    form = ClassificationForm(request.POST if request.method == "POST" and not is_rule else None)
    rule_form = DeadlineRuleForm(request.POST if is_rule else None)
    if is_rule and rule_form.is_valid():
        save_deadline_rule(actor=request.user, **rule_form.cleaned_data)
        messages.success(request, _("时限规则已保存（只对之后登记的诉求生效）"))
        return redirect("appeals:classification")
    if request.method == "POST" and not is_rule and form.is_valid():
        kind = request.POST.get("kind")
        if kind in ("type", "domain"):
            save_classification(kind, actor=request.user, **form.cleaned_data)
            messages.success(request, _("已保存"))
            return redirect("appeals:classification")
        form.add_error(None, _("请选择保存为类型还是领域"))
    return render(
        request,
        "appeals/classification.html",
        {
            "form": form,
            "rule_form": rule_form,
            "rules": DeadlineRule.objects.select_related("appeal_type", "domain"),
            "types": AppealType.objects.all(),
            "domains": AppealDomain.objects.all(),
        },
    )
