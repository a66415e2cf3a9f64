"""参政议政 outputs: list with figures, record and edit (staff)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from qinqing.core.errors import Refused
from qinqing.core.pagination import CappedPaginator
from qinqing.core.permissions import requires

from . import actions
from .forms import OutputForm
from .models import AdvisoryOutput
from .permissions import MANAGE, VIEW, get_node, scoped


def _get(user, pk) -> AdvisoryOutput:
    try:
        return scoped(user, AdvisoryOutput).get(pk=pk)
    except (AdvisoryOutput.DoesNotExist, ValueError):
        raise Http404 from None


@requires(VIEW)
def output_list(request):
    qs = scoped(request.user, AdvisoryOutput).select_related("org")
    kind = request.GET.get("kind")
    if kind:
        qs = qs.filter(kind=kind)
    page = CappedPaginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "reports/output_list.html", {"page": page, "can_edit": request.user.has_perm(MANAGE)})


def _save(request, obj: AdvisoryOutput | None):
    form = OutputForm(request.POST or None, request.FILES or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        try:
            attachment = request.FILES.get("attachment")
            if obj is None:
                node = get_node(request.user, None)
                obj = actions.record_output(node, actor=request.user, attachment=attachment, **form.action_data())
            else:
                obj = actions.update_output(obj, actor=request.user, attachment=attachment, **form.action_data())
            return redirect("reports:output", pk=obj.pk)
        except Refused as exc:
            form.add_error(None, str(exc))
    title = _("录入参政议政成果") if obj is None else _("编辑参政议政成果")
    return render(request, "reports/output_form.html", {"form": form, "obj": obj, "title": title})


@requires(MANAGE)
def output_new(request):
    return _save(request, None)


@requires(VIEW)
def output_detail(request, pk: int):
    obj = _get(request.user, pk)
    if request.method == "POST" or request.GET.get("edit"):
        if not request.user.has_perm(MANAGE):
            raise Http404
        return _save(request, obj)
    return render(request, "reports/output_detail.html", {"obj": obj, "can_edit": request.user.has_perm(MANAGE)})
