"""Health-check pages: the staff's result list (走访名单), the diagnosis, the enterprise's own figures and
questionnaire, and scoring runs. Views parse input and call one action."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qinqing.core import audit
from qinqing.core.errors import Refused
from qinqing.core.pagination import CappedPaginator
from qinqing.core.permissions import requires
from qinqing.core.roles import Role

from . import actions, diagnosis, forms
from .filters import ResultFilter
from .models import FinancialSupplement, QuestionnaireAnswers
from .permissions import MANAGE, VIEW, can_state, get_enterprise, get_run, visible_results, visible_runs


@requires(VIEW)
def results(request):
    """Staff: every current result of the subtree, low and falling first on the 走访名单 filter."""
    if request.user.role == Role.ENTERPRISE:
        return redirect("health:mine")
    qs = visible_results(request.user).select_related("enterprise", "version")
    flt = ResultFilter(request.GET or None, queryset=qs)
    page = CappedPaginator(flt.qs.order_by("total", "enterprise__name"), 50).get_page(request.GET.get("page"))
    return render(request, "health/results.html", {
        "filter": flt, "page": page, "can_manage": request.user.has_perm(MANAGE), "query": request.GET.urlencode(),
        "visit_form": forms.VisitCreateForm(staff=_staff(request.user)),
    })  # fmt: skip


def _staff(user):
    from qinqing.accounts.models import User

    if user.org is None:
        return User.objects.none()
    return User.objects.filter(role=Role.FIC_STAFF, org__path__startswith=user.org.path, is_active=True).order_by(
        "username"
    )


@requires(VIEW)
def mine(request):
    if not request.user.enterprise_id:
        raise Http404
    return diagnosis_page(request, request.user.enterprise_id)


@requires(VIEW)
def diagnosis_page(request, pk: int):
    enterprise = get_enterprise(request.user, pk)
    result = enterprise.health_results.filter(is_current=True).select_related("version").first()
    answers = QuestionnaireAnswers.objects.filter(enterprise=enterprise).first()
    context = {"enterprise": enterprise, "result": result, "can_state": can_state(request.user, enterprise)}
    if result is not None:
        view = diagnosis.build(result, answers.answers if answers else None)
        context.update(view=view, chart=diagnosis.radar(view), services=diagnosis.suggestions(view, enterprise))
    if request.user.role != Role.ENTERPRISE:
        audit.record("health.view_diagnosis", obj=enterprise, actor=request.user,
                     after={"result": result.pk if result else None})  # fmt: skip
    return render(request, "health/diagnosis.html", context)


@requires(VIEW)
def supplement(request, pk: int):
    """补充财务数据 for one year (GET ?year= shows what is stored)."""
    enterprise = get_enterprise(request.user, pk)
    if not can_state(request.user, enterprise):
        raise Http404
    years = enterprise.year_figures.order_by("-year")
    default_year = years.values_list("year", flat=True).first() or actions.today().year - 1
    try:
        year = int(request.GET.get("year") or default_year)
    except ValueError:
        year = default_year
    stored = FinancialSupplement.objects.filter(enterprise=enterprise, year=year).first()
    initial = {"year": year, **{f: getattr(stored, f) for f in actions.SUPPLEMENT_LABELS}} if stored else {"year": year}
    form = forms.SupplementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.save_supplement(enterprise, actor=request.user, year=data["year"], data=data)
        except ValidationError as exc:
            forms.apply_errors(form, exc)
        else:
            messages.success(request, _("已保存 %(year)s 年补充财务数据，下次体检评分时生效") % {"year": data["year"]})
            return redirect("health:diagnosis", enterprise.pk)
    rows = FinancialSupplement.objects.filter(enterprise=enterprise).order_by("-year")
    return render(request, "health/supplement.html",
                  {"enterprise": enterprise, "form": form, "years": years, "rows": rows})  # fmt: skip


@requires(VIEW)
def questionnaire(request, pk: int):
    enterprise = get_enterprise(request.user, pk)
    if not can_state(request.user, enterprise):
        raise Http404
    stored = QuestionnaireAnswers.objects.filter(enterprise=enterprise).first()
    form = forms.QuestionnaireForm(request.POST or None, answers=stored.answers if stored else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.answer_questionnaire(enterprise, actor=request.user, answers=form.cleaned_data)
        except ValidationError as exc:
            forms.apply_errors(form, exc)
        else:
            messages.success(request, _("问卷已保存，下次体检评分时生效"))
            return redirect("health:diagnosis", enterprise.pk)
    return render(request, "health/questionnaire.html", {"enterprise": enterprise, "form": form})


@requires(VIEW)
def runs(request):
    if request.user.role not in (Role.FIC_STAFF, Role.FIC_LEADER):
        raise Http404
    page = CappedPaginator(visible_runs(request.user).select_related("version", "job", "started_by"), 30).get_page(
        request.GET.get("page")
    )
    return render(request, "health/runs.html", {
        "page": page, "can_manage": request.user.has_perm(MANAGE), "active": actions.active_version(),
    })  # fmt: skip


@requires(MANAGE)
@require_POST
def run_start(request):
    try:
        run = actions.start_run(actor=request.user)
    except Refused as exc:
        messages.error(request, str(exc))
        return redirect("health:runs")
    messages.success(request, _("已开始体检评分，完成后结果自动更新"))
    return redirect("health:run_detail", run.pk)


@requires(VIEW)
def run_detail(request, pk: int):
    run = get_run(request.user, pk)
    return render(request, "health/run_detail.html", {"run": run, "job": run.job})
