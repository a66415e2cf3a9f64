"""上市后备 pages: the pipeline by tier and stage, a candidate's stages, services and criteria."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from qinqing.core.errors import Refused
from qinqing.core.pagination import CappedPaginator
from qinqing.core.permissions import requires

from . import actions, filters, forms
from .actions.listing import next_stage
from .choices import Criterion, ListingStage, Tier
from .permissions import LISTING, MANAGE, get_candidate, visible_candidates
from .views import enterprise_by_code, show_errors


@requires(LISTING)
def candidate_list(request):
    visible = visible_candidates(request.user)
    qs = filters.filter_candidates(request.GET, visible).select_related("enterprise", "officer")
    page = CappedPaginator(qs, 30).get_page(request.GET.get("page"))
    counts = {(r["tier"], r["stage"]): r["n"] for r in visible.values("tier", "stage").annotate(n=Count("pk"))}
    board = [{"tier": label, "cells": [counts.get((tier, stage), 0) for stage in ListingStage.values]}
             for tier, label in Tier.choices]  # fmt: skip
    context = {"page": page, "params": request.GET, "tiers": Tier.choices, "stages": ListingStage.choices,
               "board": board, "can_manage": request.user.has_perm(MANAGE)}  # fmt: skip
    return render(request, "programs/candidate_list.html", context)


@requires(MANAGE)
def candidate_new(request):
    form = forms.CandidateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        enterprise = enterprise_by_code(request.user, d.pop("credit_code"))
        if enterprise is None:
            form.add_error("credit_code", _("未找到该企业，或企业不在您的管辖范围内"))
        else:
            try:
                candidate = actions.add_candidate(actor=request.user, enterprise=enterprise, data=d)
            except ValidationError as exc:
                show_errors(form, exc)
            else:
                messages.success(request, _("已列入上市后备库"))
                return redirect("programs:candidate_detail", candidate.pk)
    return render(request, "programs/simple_form.html", {"form": form, "title": _("列入上市后备库")})


@requires(LISTING)
def candidate_detail(request, pk: int):
    candidate = get_candidate(request.user, pk)
    staff = request.user.has_perm(MANAGE)
    upcoming = next_stage(candidate.stage)
    context = {
        "candidate": candidate,
        "steps": candidate.steps.select_related("officer"),
        "services": candidate.services.select_related("officer"),
        "criteria": [Criterion(c).label for c in candidate.criteria if c in Criterion.values],
        "can_manage": staff,
        "upcoming": ListingStage(upcoming).label if upcoming else None,
        "stage_form": forms.StageForm(initial={"stage": upcoming, "on": actions.today()}, user=request.user)
        if staff and upcoming else None,
        "service_form": forms.ServiceForm(initial={"on": actions.today()}, user=request.user) if staff else None,
        "tier_form": forms.ReclassifyForm(initial={"tier": candidate.tier, "criteria": candidate.criteria,
                                                   "criteria_note": candidate.criteria_note}) if staff else None,
    }  # fmt: skip
    return render(request, "programs/candidate_detail.html", context)


def _post(request, pk: int, form_class, action, done: str, **form_kwargs):
    candidate = get_candidate(request.user, pk)  # out of scope: 404 before the method is looked at
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = form_class(request.POST, **form_kwargs)
    if form.is_valid():
        try:
            action(candidate, actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        except Refused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, done)
    else:
        messages.error(request, "；".join(f"{form.fields[f].label if f in form.fields else ''}：{'；'.join(e)}"
                                          for f, e in form.errors.items()))  # fmt: skip
    return redirect("programs:candidate_detail", candidate.pk)


@requires(MANAGE)
def candidate_stage(request, pk: int):
    return _post(request, pk, forms.StageForm, actions.advance_stage, _("阶段已更新"), user=request.user)


@requires(MANAGE)
def candidate_service(request, pk: int):
    return _post(request, pk, forms.ServiceForm, actions.add_service, _("服务记录已保存"), user=request.user)


@requires(MANAGE)
def candidate_tier(request, pk: int):
    return _post(request, pk, forms.ReclassifyForm, actions.reclassify, _("梯队和入库条件已更新"))
