"""对接会 pages and fix tasks (整改任务)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qinqing.core.errors import Refused
from qinqing.core.pagination import CappedPaginator
from qinqing.core.permissions import requires
from qinqing.registry.permissions import visible_enterprises

from . import actions, forms
from .choices import FixStatus
from .permissions import (
    MANAGE,
    REASONS,
    VIEW,
    get_event,
    get_fix_task,
    visible_events,
    visible_fix_tasks,
    visible_needs,
)
from .views import list_template


@requires(VIEW)
def event_list(request):
    qs = visible_events(request.user).select_related("fic")
    page = CappedPaginator(qs, 30).get_page(request.GET.get("page"))
    template = list_template(request, "event_list.html", "_event_rows.html")
    return render(request, template, {"page": page, "can_manage": request.user.has_perm(MANAGE)})


def _enterprises(user, text: str):
    codes = [c.strip().upper() for c in (text or "").split() if c.strip()]
    found = list(visible_enterprises(user).filter(credit_code__in=codes))
    missing = sorted(set(codes) - {e.credit_code for e in found})
    if missing:
        raise ValidationError(
            {"invited_codes": _("未找到企业（或不在管辖范围内）：%(codes)s") % {"codes": "、".join(missing)}}
        )
    return found


def _event_page(request, event=None):
    initial = None
    if event is not None:
        initial = {"title": event.title, "date": event.date, "place": event.place, "banks": list(event.banks.all()),
                   "invited_codes": "\n".join(event.invited.values_list("credit_code", flat=True))}  # fmt: skip
    form = forms.EventForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            data = {**d, "banks": list(d["banks"]), "invited": _enterprises(request.user, d["invited_codes"])}
            event = actions.save_event(actor=request.user, data=data, event=event)
        except ValidationError as exc:
            forms.apply_errors(form, exc)
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("对接会已保存"))
            return redirect("financing:event_detail", event.pk)
    return render(request, "financing/event_form.html", {"form": form, "event": event})


@requires(MANAGE)
def event_new(request):
    return _event_page(request)


@requires(MANAGE)
def event_edit(request, pk: int):
    return _event_page(request, get_event(request.user, pk))


@requires(VIEW)
def event_detail(request, pk: int):
    event = get_event(request.user, pk)
    manage = request.user.has_perm(MANAGE)
    intentions = event.intentions.select_related("referral__need__enterprise", "referral__bank")
    if not manage:  # a bank sees its own intentions only; an enterprise its own
        from .permissions import visible_referrals

        intentions = intentions.filter(referral__in=visible_referrals(request.user))
    return render(
        request,
        "financing/event_detail.html",
        {
            "event": event,
            "banks": event.banks.all(),
            "invited": event.invited.all() if manage else None,
            "attending": event.attending.all() if manage else None,
            "needs": event.needs.select_related("enterprise") if manage else None,
            "intentions": intentions,
            "intention_form": forms.IntentionForm(event=event) if manage else None,
            "can_manage": manage,
        },
    )


@requires(MANAGE)
@require_POST
def event_intention(request, pk: int):
    event = get_event(request.user, pk)
    form = forms.IntentionForm(request.POST, event=event)
    if form.is_valid():
        d = form.cleaned_data
        need = visible_needs(request.user).filter(number=d["need_number"].strip()).first()
        if need is None:
            messages.error(request, _("未找到需求 %(number)s") % {"number": d["need_number"]})
        else:
            try:
                actions.sign_intention(event, actor=request.user, need=need, bank=d["bank"], amount=d["amount"],
                                       note=d["note"])  # fmt: skip
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
            except Refused as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("意向已登记"))
    else:
        messages.error(
            request, "；".join(f"{form.fields[f].label}：{e}" for f, errs in form.errors.items() for e in errs)
        )
    return redirect("financing:event_detail", event.pk)


@requires(MANAGE)
def fix_list(request):
    qs = visible_fix_tasks(request.user).select_related("need__enterprise", "department", "referral__bank")
    status = request.GET.get("status")
    if status in FixStatus.values:
        qs = qs.filter(status=status)
    page = CappedPaginator(qs, 30).get_page(request.GET.get("page"))
    template = list_template(request, "fix_list.html", "_fix_rows.html")
    return render(request, template, {"page": page, "statuses": FixStatus.choices})


@requires(MANAGE)
def fix_detail(request, pk: int):
    task = get_fix_task(request.user, pk)
    form = forms.FixTaskForm(
        request.POST or None,
        fic_path=task.need.fic.path,
        initial={"problem": task.problem, "department": task.department, "measure": task.measure},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_fix_task(task, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            forms.apply_errors(form, exc)
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("整改任务已保存"))
            return redirect("financing:fix_detail", task.pk)
    return render(request, "financing/fix_detail.html", {"task": task, "form": form, "done_form": forms.FixDoneForm()})


@requires(MANAGE)
@require_POST
def fix_appeal(request, pk: int):
    task = get_fix_task(request.user, pk)
    try:
        appeal = actions.fix_task_to_appeal(task, actor=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已转为诉求 %(number)s，交由责任部门办理") % {"number": appeal.number})
    return redirect("financing:fix_detail", task.pk)


@requires(MANAGE)
@require_POST
def fix_done(request, pk: int):
    task = get_fix_task(request.user, pk)
    form = forms.FixDoneForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({"result": _("请填写整改结果")})
        actions.complete_fix_task(task, actor=request.user, result=form.cleaned_data["result"])
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("整改已完成，可再次推荐至银行"))
    return redirect("financing:fix_detail", task.pk)


@requires(REASONS)
def reason_list(request):
    """The refusal-reason catalogue: add a reason, or edit one (?edit=<id>)."""
    from .models import RefusalReason

    editing = None
    if (request.GET.get("edit") or "").isdigit():
        editing = RefusalReason.objects.filter(pk=request.GET["edit"]).first()
    initial = None
    if editing is not None:
        initial = {f: getattr(editing, f) for f in ("code", "name", "fixable", "department_hint", "needs_text",
                                                    "is_active")}  # fmt: skip
    form = forms.ReasonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_reason(actor=request.user, data=form.cleaned_data, reason=editing)
        except ValidationError as exc:
            forms.apply_errors(form, exc)
        else:
            messages.success(request, _("原因目录已保存"))
            return redirect("financing:reasons")
    return render(
        request,
        "financing/reasons.html",
        {"reasons": RefusalReason.objects.all(), "form": form, "editing": editing},
    )
