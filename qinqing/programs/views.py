"""万企兴万村 pages: pairings, their projects and yearly funds, the county ledger (台账) export, and the programs'
figures. Donations in views_donations, the listing pipeline in views_listing. Views are thin: scoped reads from
permissions, one action per POST."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from qinqing.core import audit
from qinqing.core import figures as registry
from qinqing.core.badinput import BadInput, int_param
from qinqing.core.errors import Refused
from qinqing.core.pagination import CappedPaginator
from qinqing.core.permissions import requires
from qinqing.registry.permissions import visible_enterprises

from . import actions, exports, filters, forms
from .choices import PartyKind, ProjectKind
from .models import ProjectYear
from .permissions import (
    FIGURES,
    MANAGE,
    VIEW,
    can_report,
    get_pairing,
    get_project,
    visible_pairings,
)


def show_errors(form, exc: ValidationError) -> None:
    """An action's errors on the form; the enterprise the action names is the form's credit-code field."""
    if hasattr(exc, "error_dict") and "enterprise" in exc.error_dict and "credit_code" in form.fields:
        exc = ValidationError({("credit_code" if k == "enterprise" else k): v for k, v in exc.error_dict.items()})
    forms.apply_errors(form, exc)


def enterprise_by_code(user, code: str):
    code = (code or "").strip().upper()
    return visible_enterprises(user).filter(credit_code=code).first() if code else None


@requires(VIEW)
def pairing_list(request):
    qs = filters.filter_pairings(request.GET, visible_pairings(request.user))
    qs = qs.select_related("enterprise", "chamber").annotate(project_count=Count("projects"))
    qs = qs.order_by("-started_on", "-pk")
    page = CappedPaginator(qs, 30).get_page(request.GET.get("page"))
    context = {"page": page, "params": request.GET, "party_kinds": PartyKind.choices,
               "project_kinds": ProjectKind.choices, "can_manage": request.user.has_perm(MANAGE),
               "can_export": request.user.has_perm(FIGURES)}  # fmt: skip
    return render(request, "programs/pairing_list.html", context)


def _pairing_form(request, pairing=None):
    initial = None
    if pairing is not None:
        initial = {"party_kind": pairing.party_kind, "chamber": pairing.chamber_id, "county_code": pairing.county_code,
                   "credit_code": pairing.enterprise.credit_code if pairing.enterprise_id else "",
                   "village": pairing.village, "started_on": pairing.started_on, "ended_on": pairing.ended_on,
                   "contact": pairing.contact, "note": pairing.note}  # fmt: skip
    form = forms.PairingForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        d["enterprise"] = enterprise_by_code(request.user, d.pop("credit_code"))
        if d["party_kind"] == PartyKind.ENTERPRISE and d["enterprise"] is None and form.cleaned_data["credit_code"]:
            form.add_error("credit_code", _("未找到该企业，或企业不在您的管辖范围内"))
        else:
            try:
                pairing = actions.save_pairing(actor=request.user, data=d, pairing=pairing)
            except ValidationError as exc:
                show_errors(form, exc)
            except Refused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("结对信息已保存"))
                return redirect("programs:pairing_detail", pairing.pk)
    return render(request, "programs/pairing_form.html", {"form": form, "pairing": pairing})


@requires(MANAGE)
def pairing_new(request):
    return _pairing_form(request)


@requires(MANAGE)
def pairing_edit(request, pk: int):
    return _pairing_form(request, get_pairing(request.user, pk))


@requires(VIEW)
def pairing_detail(request, pk: int):
    pairing = get_pairing(request.user, pk)
    projects = list(pairing.projects.prefetch_related("years"))
    totals = ProjectYear.objects.filter(project__pairing=pairing).aggregate(
        committed=Sum("committed"), spent=Sum("spent"), employed=Sum("employed")
    )
    reporter = can_report(request.user, pairing)
    context = {"pairing": pairing, "projects": projects, "totals": totals,
               "can_manage": request.user.has_perm(MANAGE), "can_report": reporter,
               "project_form": forms.ProjectForm() if reporter else None,
               "year_form": forms.YearForm(initial={"year": actions.today().year}) if reporter else None}  # fmt: skip
    return render(request, "programs/pairing_detail.html", context)


@requires(VIEW)
def project_new(request, pk: int):
    pairing = get_pairing(request.user, pk)
    form = forms.ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_project(pairing, actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            forms.apply_errors(form, exc)
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("帮扶项目已登记"))
            return redirect("programs:pairing_detail", pairing.pk)
    return render(request, "programs/simple_form.html",
                  {"form": form, "title": _("登记帮扶项目"), "subtitle": str(pairing)})  # fmt: skip


@requires(VIEW)
def project_year(request, pk: int):
    project = get_project(request.user, pk)
    form = forms.YearForm(request.POST or None, initial={"year": actions.today().year})
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_year(project, actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            forms.apply_errors(form, exc)
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("年度资金已保存"))
            return redirect("programs:pairing_detail", project.pairing_id)
    return render(request, "programs/simple_form.html",
                  {"form": form, "title": _("填报年度资金"), "subtitle": project.name})  # fmt: skip


def ledger_response(user, params) -> HttpResponse:
    """The county's 台账 (.xlsx): every pairing the user sees with a village in that county, its projects and years;
    audited. Shared by the page and the API."""
    county = filters.county_param(params)
    if not county:
        raise BadInput(_("请选择“县级区划代码”"))
    try:
        region = actions.check_county(county)
    except ValidationError:
        raise BadInput(_("“县级区划代码”不是现行的县级区划：%(code)s") % {"code": county}) from None
    year = int_param(params, "year", _("年度"), minimum=1949, maximum=9999)
    pairings = filters.filter_pairings(params, visible_pairings(user))
    rows = exports.ledger_rows(pairings, year)
    title = _("%(county)s万企兴万村结对帮扶台账") % {"county": region.name}
    if year:
        title = f"{title}（{year}）"
    body = exports.ledger_xlsx(title, rows)
    audit.record("programs.export_ledger", actor=user, object_type="programs.pairing",
                 object_repr=title, after={"county": county, "year": year, "rows": len(rows)})  # fmt: skip
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="ledger-{county}{"-" + str(year) if year else ""}.xlsx"'
    return response


@requires(FIGURES)
def ledger_export(request):
    return ledger_response(request.user, request.GET)


@requires(FIGURES)
def figures_page(request):
    """The programs' figures for the user's node, this year or a chosen one, each linked to its records."""
    from qinqing.reports import drilldown

    year = int_param(request.GET, "year", _("年度"), minimum=1949, maximum=9999) or actions.today().year
    period = registry.Period.year(year)
    org = request.user.org
    cards = []
    for figure in registry.all_figures(domain="programs"):
        value = figure.value(org.path, period)
        if isinstance(value, dict):
            value = value["value"]
        cards.append({"label": figure.label, "unit": figure.unit, "value": value, "description": figure.description,
                      "url": drilldown.url(figure.key, org.code, period)})  # fmt: skip
    return render(request, "programs/figures.html", {"cards": cards, "year": year, "org": org})
