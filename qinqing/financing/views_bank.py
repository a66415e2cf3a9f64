"""Bank officer pages (only referrals pushed to their institution), referral detail and steps, batches."""

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

from . import actions, exports, forms, importing
from .choices import Stage
from .models import FixTask
from .permissions import HANDLE, MANAGE, VIEW, get_batch, get_referral, visible_batches, visible_referrals
from .views import _xlsx, list_template


def filter_referrals(request, qs):
    stage = request.GET.get("stage") or ""
    if stage in Stage.values:
        qs = qs.filter(stage=stage)
    if request.GET.get("overdue"):
        qs = qs.filter(answered_on__isnull=True, answer_due__lt=actions.today()).exclude(
            stage__in=[Stage.LENT, Stage.REFUSED]
        )
    q = (request.GET.get("q") or "").strip()
    if q:
        qs = qs.filter(need__number=q) | qs.filter(need__enterprise__name__contains=q)
    return qs


@requires(HANDLE)
def bank_list(request):
    qs = filter_referrals(request, visible_referrals(request.user)).select_related("need", "need__enterprise")
    page = CappedPaginator(qs.order_by("-pushed_on", "-pk"), 30).get_page(request.GET.get("page"))
    template = list_template(request, "bank_list.html", "_bank_rows.html")
    context = {"page": page, "stages": Stage.choices, "params": request.GET, "today": actions.today()}
    return render(request, template, context)


@requires(VIEW)
def referral_detail(request, pk: int):
    user = request.user
    referral = get_referral(user, pk)
    steps = referral.events.select_related("event").order_by("on", "pk")
    task = FixTask.objects.filter(referral=referral).first()
    return render(
        request,
        "financing/referral_detail.html",
        {
            "referral": referral,
            "need": referral.need,
            "steps": steps,
            "task": task,
            "stage_form": forms.StageForm() if user.has_perm(HANDLE) and referral.stage not in actions.FINAL else None,
            "rerecommend_form": forms.RerecommendForm()
            if user.has_perm(MANAGE) and referral.stage == Stage.REFUSED
            else None,
        },
    )


@requires(HANDLE)
def referral_stage(request, pk: int):
    referral = get_referral(request.user, pk)
    form = forms.StageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_stage(referral, actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            forms.apply_errors(form, exc)
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("办理进展已登记"))
            return redirect("financing:referral_detail", referral.pk)
    return render(request, "financing/stage_form.html", {"form": form, "referral": referral})


@requires(HANDLE)
@require_POST
def referral_complete(request, pk: int):
    referral = get_referral(request.user, pk)
    try:
        actions.mark_complete(referral, actor=request.user)
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已确认材料齐全，答复期限为 %(due)s") % {"due": referral.answer_due})
    return redirect("financing:referral_detail", referral.pk)


@requires(MANAGE)
@require_POST
def referral_rerecommend(request, pk: int):
    referral = get_referral(request.user, pk)
    form = forms.RerecommendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择金融机构"))
        return redirect("financing:referral_detail", referral.pk)
    try:
        fresh = actions.rerecommend(
            referral, actor=request.user, bank=form.cleaned_data["bank"], note=form.cleaned_data["note"]
        )
    except (Refused, ValidationError) as exc:
        messages.error(request, str(exc) if isinstance(exc, Refused) else "；".join(exc.messages))
        return redirect("financing:referral_detail", referral.pk)
    messages.success(request, _("已再次推荐至 %(bank)s") % {"bank": fresh.bank.name})
    return redirect("financing:referral_detail", fresh.pk)


@requires(HANDLE)
def feedback_import(request):
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = importing.import_feedback(form.cleaned_data["file"], actor=request.user)
        except importing.UnreadableFile as exc:
            form.add_error("file", str(exc))
        else:
            if result.ok:
                messages.success(request, _("已登记 %(n)s 条办理进展") % {"n": result.done})
                return redirect("financing:bank")
    return render(
        request,
        "financing/import.html",
        {"form": form, "result": result, "heading": _("导入银行反馈表"), "template_url": "financing:feedback_template"},
    )


@requires(HANDLE)
def feedback_template(request):
    return _xlsx(importing.template_xlsx(importing.FEEDBACK_COLUMNS), _("银行反馈表模板"))


@requires(VIEW)
def referral_export(request):
    user = request.user
    if not (user.has_perm(HANDLE) or user.has_perm(MANAGE)):
        raise Http404
    qs = filter_referrals(request, visible_referrals(user))
    head, rows = exports.referral_rows(qs)
    audit.record(
        "financing.export_referrals",
        actor=user,
        object_type="financing.needreferral",
        object_repr=_("推荐记录导出"),
        after={"rows": len(rows), "filters": dict(request.GET.items())},
    )
    return _xlsx(exports.to_xlsx(_("推荐记录"), head, rows), _("推荐记录"))


@requires(VIEW)
def batch_list(request):
    qs = visible_batches(request.user).select_related("bank", "fic", "chamber")
    page = CappedPaginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, list_template(request, "batch_list.html", "_batch_rows.html"), {"page": page})


@requires(VIEW)
def batch_detail(request, pk: int):
    batch = get_batch(request.user, pk)
    referrals = visible_referrals(request.user).filter(batch=batch).select_related("need", "need__enterprise")
    return render(request, "financing/batch_detail.html", {"batch": batch, "referrals": referrals})
