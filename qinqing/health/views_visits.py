"""Visits (进企业、解难题): tasks from the result list, the visit record, and problems turned into appeals."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qinqing.core.errors import Refused
from qinqing.core.pagination import CappedPaginator
from qinqing.core.permissions import requires
from qinqing.orgs.models import Organization

from . import actions, forms
from .filters import VisitFilter
from .permissions import MANAGE, VIEW, get_visit, visible_results, visible_visits
from .views import _staff


@requires(VIEW)
def visit_list(request):
    qs = visible_visits(request.user).select_related("enterprise", "assignee", "appeal", "result")
    flt = VisitFilter(request.GET or None, queryset=qs)
    page = CappedPaginator(flt.qs, 50).get_page(request.GET.get("page"))
    return render(request, "health/visits.html", {"filter": flt, "page": page})


@requires(MANAGE)
@require_POST
def visit_new(request):
    """Create visit tasks for the results ticked on the result list."""
    ids = [int(v) for v in request.POST.getlist("results") if v.isdigit()][:500]
    chosen = list(visible_results(request.user).filter(pk__in=ids))
    form = forms.VisitCreateForm(request.POST, staff=_staff(request.user))
    try:
        if not form.is_valid():
            raise ValidationError({f: e for f, e in form.errors.items()})
        created = actions.create_visits(actor=request.user, results=chosen, due_on=form.cleaned_data["due_on"],
                                        assignee=form.cleaned_data["assignee"])  # fmt: skip
    except (ValidationError, Refused) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        return redirect("health:results")
    messages.success(request, _("已创建 %(n)s 个走访任务") % {"n": len(created)})
    return redirect("health:visits")


def _departments(user):
    return Organization.objects.filter(kind="department", path__startswith=user.org.path).order_by("path")


@requires(VIEW)
def visit_detail(request, pk: int):
    task = get_visit(request.user, pk)
    record = forms.VisitRecordForm(initial={"visited_on": actions.today()})
    appeal = forms.VisitAppealForm(departments=_departments(request.user), initial={"problem": task.problems})
    if request.method == "POST" and request.user.has_perm(MANAGE):
        record = forms.VisitRecordForm(request.POST)
        if record.is_valid():
            try:
                actions.record_visit(task, actor=request.user, **record.cleaned_data)
            except ValidationError as exc:
                forms.apply_errors(record, exc)
            except Refused as exc:
                record.add_error(None, str(exc))
            else:
                messages.success(request, _("走访已记录"))
                return redirect("health:visit_detail", task.pk)
    return render(request, "health/visit_detail.html", {
        "task": task, "record": record, "appeal_form": appeal, "can_manage": request.user.has_perm(MANAGE),
    })  # fmt: skip


@requires(MANAGE)
@require_POST
def visit_appeal(request, pk: int):
    task = get_visit(request.user, pk)
    form = forms.VisitAppealForm(request.POST, departments=_departments(request.user))
    try:
        if not form.is_valid():
            raise ValidationError({"department": _("请选择责任部门")})
        appeal = actions.visit_to_appeal(task, actor=request.user, department=form.cleaned_data["department"],
                                         problem=form.cleaned_data["problem"])  # fmt: skip
    except (ValidationError, Refused) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("已转为诉求 %(number)s，交由责任部门办理") % {"number": appeal.number})
    return redirect("health:visit_detail", task.pk)
