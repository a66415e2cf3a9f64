"""Financing pages for enterprises, FIC staff and chamber secretaries: needs, screening, lists, pushes,
products and the 整会授信 batch. Bank pages in views_bank, events and fix tasks in views_events, figures in
views_figures. Views are thin: scoped reads from permissions, one action per POST."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qinqing.core import audit
from qinqing.core.errors import Refused
from qinqing.core.pagination import CappedPaginator
from qinqing.core.permissions import requires
from qinqing.core.roles import Role
from qinqing.registry.permissions import visible_enterprises

from . import actions, exports, forms, importing, products
from .choices import Criterion, Guarantee, ListState, Purpose, Stage
from .models import FinancingNeed
from .permissions import (
    MANAGE,
    PRODUCTS,
    RECOMMEND,
    STATE,
    VIEW,
    VIEW_PRODUCTS,
    get_need,
    get_product,
    visible_needs,
    visible_products,
    visible_referrals,
)


def _filter_needs(request, qs):
    state = request.GET.get("list_state") or ""
    stage = request.GET.get("stage") or ""
    q = (request.GET.get("q") or "").strip()
    if state in ListState.values:
        qs = qs.filter(list_state=state)
    if stage in Stage.values:
        qs = qs.filter(stage=stage)
    if q:
        qs = qs.filter(number=q) | qs.filter(enterprise__name__contains=q)
    return qs


def list_template(request, page: str, rows: str) -> str:
    """The rows partial when htmx asks for the list's rows (a filter changed, another page), else the whole
    page: the same URL serves both, so the page works without JavaScript."""
    return f"financing/partials/{rows}" if request.htmx and request.htmx.target == "rows" else f"financing/{page}"


@requires(VIEW)
def need_list(request):
    if request.user.role == Role.BANK_OFFICER:
        return redirect("financing:bank")
    qs = _filter_needs(request, visible_needs(request.user)).select_related("enterprise")
    page = CappedPaginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        list_template(request, "need_list.html", "_need_rows.html"),
        {"page": page, "list_states": ListState.choices, "stages": Stage.choices, "params": request.GET},
    )


def _need_data(cleaned: dict) -> dict:
    data = dict(cleaned)
    data["preferred_banks"] = list(cleaned.get("preferred_banks") or [])
    return data


@requires(VIEW)
def need_new(request):
    user = request.user
    staff = user.has_perm(MANAGE)
    if not (staff or user.has_perm(STATE)):
        raise Http404
    form = forms.NeedForm(request.POST or None, staff=staff)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if staff:
            enterprise = visible_enterprises(user).filter(credit_code=d["credit_code"].strip().upper()).first()
            if enterprise is None:
                form.add_error("credit_code", _("未找到该企业，或企业不在您的管辖范围内"))
        else:
            from qinqing.registry.models import Enterprise

            enterprise = Enterprise.objects.filter(pk=user.enterprise_id).first()
        if enterprise is not None:
            try:
                need = actions.state_need(actor=user, enterprise=enterprise, data=_need_data(d))
            except ValidationError as exc:
                forms.apply_errors(form, exc)
            except Refused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("融资需求 %(number)s 已提交") % {"number": need.number})
                return redirect("financing:need_detail", need.pk)
    return render(request, "financing/need_form.html", {"form": form})


@requires(VIEW)
def need_detail(request, pk: int):
    user = request.user
    need = get_need(user, pk)
    referrals = visible_referrals(user).filter(need=need).select_related("bank", "refusal_reason")
    fits = None
    if user.role in (Role.ENTERPRISE, Role.FIC_STAFF, Role.FIC_LEADER):
        fits = products.fits_for_need(need)
    context = {
        "need": need,
        "referrals": referrals,
        "fits": [f for f in fits if f.verdict in ("eligible", "near_miss")] if fits is not None else None,
        "screen_form": forms.ScreenForm() if user.has_perm(MANAGE) else None,
        "registry_criteria": actions.registry_criteria(need.enterprise),
        "criteria": Criterion.choices,
        "can_manage": user.has_perm(MANAGE),
        "can_withdraw": user.has_perm(STATE) and need.list_state not in (ListState.WITHDRAWN,),
    }
    return render(request, "financing/need_detail.html", context)


@requires(MANAGE)
@require_POST
def need_screen(request, pk: int):
    need = get_need(request.user, pk)
    form = forms.ScreenForm(request.POST)
    form.is_valid()
    attested = {k: v for k, v in form.cleaned_data.items() if k in Criterion.values and v is not None}
    try:
        actions.screen_need(need, actor=request.user, attested=attested, note=form.cleaned_data.get("screening_note"))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("筛查结果已保存"))
    return redirect("financing:need_detail", need.pk)


@requires(STATE)
@require_POST
def need_withdraw(request, pk: int):
    need = get_need(request.user, pk)
    try:
        actions.withdraw_need(need, actor=request.user)
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("需求已撤回"))
    return redirect("financing:need_detail", need.pk)


@requires(MANAGE)
def lists(request):
    """申报清单 and 推荐清单: recommend declared needs, push recommended ones to a bank in a batch."""
    needs = visible_needs(request.user).select_related("enterprise")
    declared = needs.filter(list_state=ListState.DECLARED)[:500]
    recommended = needs.filter(list_state=ListState.RECOMMENDED).exclude(referrals__isnull=False)[:500]
    return render(
        request,
        "financing/lists.html",
        {"declared": declared, "recommended": recommended, "push_form": forms.PushForm()},
    )


def _chosen(request) -> list[FinancingNeed]:
    ids = [i for i in request.POST.getlist("need") if i.isdigit()]
    return list(visible_needs(request.user).filter(pk__in=ids))


@requires(MANAGE)
@require_POST
def lists_recommend(request):
    try:
        n = actions.recommend_needs(_chosen(request), actor=request.user)
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(n)s 笔需求已列入推荐清单") % {"n": n})
    return redirect("financing:lists")


@requires(MANAGE)
@require_POST
def lists_push(request):
    form = forms.PushForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择金融机构"))
        return redirect("financing:lists")
    try:
        batch = actions.push_batch(
            actor=request.user, bank=form.cleaned_data["bank"], needs=_chosen(request), note=form.cleaned_data["note"]
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已推送 %(n)s 笔需求") % {"n": batch.referrals.count()})
        return redirect("financing:batch_detail", batch.pk)
    return redirect("financing:lists")


@requires(MANAGE)
def need_import(request):
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = importing.import_needs(form.cleaned_data["file"], actor=request.user)
        except importing.UnreadableFile as exc:
            form.add_error("file", str(exc))
        else:
            if result.ok:
                messages.success(request, _("已导入 %(n)s 笔需求") % {"n": result.done})
                return redirect("financing:needs")
    return render(
        request,
        "financing/import.html",
        {"form": form, "result": result, "heading": _("导入融资需求"), "template_url": "financing:need_template"},
    )


@requires(MANAGE)
def need_template(request):
    return _xlsx(importing.template_xlsx(importing.NEED_COLUMNS), _("融资需求导入模板"))


def _xlsx(content: bytes, title: str) -> HttpResponse:
    from django.utils.http import content_disposition_header

    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition_header(True, f"{title}.xlsx")
    return response


@requires(VIEW)
def need_export(request):
    user = request.user
    if not (user.has_perm(MANAGE) or user.role == Role.FIC_LEADER):
        raise Http404
    qs = _filter_needs(request, visible_needs(user))
    head, rows = exports.need_rows(qs, with_contact=user.has_perm(MANAGE))
    audit.record(
        "financing.export_needs",
        actor=user,
        object_type="financing.financingneed",
        object_repr=_("融资需求导出"),
        after={"rows": len(rows), "filters": dict(request.GET.items())},
    )
    return _xlsx(exports.to_xlsx(_("融资需求"), head, rows), _("融资需求"))


# --- products -------------------------------------------------------------------------------------


@requires(VIEW_PRODUCTS)
def product_list(request):
    qs = visible_products(request.user).select_related("bank").order_by("bank__path", "name")
    page = CappedPaginator(qs, 30).get_page(request.GET.get("page"))
    template = list_template(request, "product_list.html", "_product_rows.html")
    return render(request, template, {"page": page, "can_edit": request.user.has_perm(PRODUCTS)})


@requires(VIEW_PRODUCTS)
def product_detail(request, pk: int):
    product = get_product(request.user, pk)
    from qinqing.eligibility import rules
    from qinqing.policies.labels import value_names

    tree = rules.describe_tree(product.rule or {"op": "all", "items": []}, value_names([product.rule]))
    return render(
        request,
        "financing/product_detail.html",
        {
            "product": product,
            "tree": tree,
            "guarantees": [Guarantee(g).label for g in product.guarantees if g in Guarantee.values],
            "can_edit": request.user.has_perm(PRODUCTS) and product.bank_id == request.user.org_id,
        },
    )


def _product_page(request, product=None):
    initial = None
    if product is not None:
        fields = ("name", "amount_min", "amount_max", "term_min", "term_max", "rate_min", "rate_max", "guarantees",
                  "repayment", "rule", "materials", "approval_days", "is_active")  # fmt: skip
        initial = {f: getattr(product, f) for f in fields}
    form = forms.ProductForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            product = actions.save_product(actor=request.user, data=form.cleaned_data, product=product)
        except ValidationError as exc:
            forms.apply_errors(form, exc)
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("产品已保存"))
            return redirect("financing:product_detail", product.pk)
    return render(request, "financing/product_form.html", {"form": form, "product": product})


@requires(PRODUCTS)
def product_new(request):
    return _product_page(request)


@requires(PRODUCTS)
def product_edit(request, pk: int):
    product = get_product(request.user, pk)
    if product.bank_id != request.user.org_id:
        raise Http404
    return _product_page(request, product)


# --- chamber 整会授信 ------------------------------------------------------------------------------


def _chamber_members(user, q: str = ""):
    """The chamber's current enterprise members, the list the secretary picks from."""
    from qinqing.registry.models import Member

    members = Member.objects.filter(organization=user.org, enterprise__isnull=False, left_on__isnull=True)
    if q:
        members = members.filter(enterprise__name__contains=q)
    return members.select_related("enterprise").order_by("enterprise__name", "pk")


def _picked_entries(request, members) -> list[dict]:
    """One entry per member ticked on the page, with its need fields; a bad value names the enterprise."""
    by_id = {str(m.enterprise_id): m.enterprise for m in members}
    entries = []
    for key in request.POST.getlist("pick"):
        enterprise = by_id.get(key)
        if enterprise is None:
            raise ValidationError({"pick": _("只能推荐本商会的在册会员企业")})
        amount = request.POST.get(f"amount_{key}", "").strip()
        try:
            Decimal(amount)
        except InvalidOperation:
            raise ValidationError(
                {"pick": _("“%(name)s”：融资金额（万元）应为数字") % {"name": enterprise.name}}
            ) from None
        entries.append({
            "enterprise": enterprise, "amount": amount, "term_months": request.POST.get(f"term_{key}", "").strip(),
            "purpose": request.POST.get(f"purpose_{key}", ""), "guarantee": request.POST.get(f"guarantee_{key}", ""),
            "chamber_note": request.POST.get(f"note_{key}", "").strip(),
        })  # fmt: skip
    return entries


@requires(RECOMMEND)
def chamber_batch(request):
    form = forms.ChamberForm(request.POST or None)
    q = request.GET.get("q", "").strip()[:50]
    members = list(_chamber_members(request.user, q))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            entries = _picked_entries(request, _chamber_members(request.user))
            batch = actions.chamber_recommend(
                actor=request.user, bank=d["bank"], entries=entries, note=d["note"], credit_line=d["credit_line"]
            )
        except ValidationError as exc:
            forms.apply_errors(form, exc)
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已推荐 %(n)s 家会员企业") % {"n": batch.referrals.count()})
            return redirect("financing:batch_detail", batch.pk)
    picked = set(request.POST.getlist("pick"))
    rows = [
        {
            "member": m,
            "key": str(m.enterprise_id),
            "picked": str(m.enterprise_id) in picked,
            **{
                f: request.POST.get(f"{f}_{m.enterprise_id}", "")
                for f in ("amount", "term", "purpose", "guarantee", "note")
            },
        }
        for m in members
    ]
    context = {"form": form, "rows": rows, "q": q, "purposes": Purpose.choices, "guarantees": Guarantee.choices}
    return render(request, "financing/chamber_batch.html", context)
