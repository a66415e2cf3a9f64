"""亲清日志 pages: the list, logging and correcting an entry, its detail (audited reads), matters and their
appeals, the reviewer's queue and conclusion, and the negative list.

POST-only steps look the object up first, so a GET from someone who cannot read it is 404 like any other
request of theirs (not a 405 that would confirm the entry exists)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from qinqing.core import audit
from qinqing.core.errors import Refused
from qinqing.core.pagination import CappedPaginator
from qinqing.core.permissions import requires
from qinqing.registry.models import Enterprise

from . import actions, forms
from .choices import Purpose
from .filters import filter_entries
from .permissions import (
    LOG,
    MANAGE_LIST,
    REVIEW,
    VIEW,
    can_appeal,
    can_edit,
    can_review,
    get_conduct,
    get_entry,
    get_matter,
    review_queue,
    visible_conduct,
    visible_entries,
)


def _list_rows(qs):
    return qs.select_related("logged_by", "org").prefetch_related(
        Prefetch("enterprises", queryset=Enterprise.objects.only("id", "name"))
    )


@requires(VIEW)
def entry_list(request):
    qs = filter_entries(visible_entries(request.user), request.GET, request.user)
    page = CappedPaginator(_list_rows(qs), 30).get_page(request.GET.get("page"))
    return render(request, "contactlog/entry_list.html", {
        "page": page, "purposes": Purpose.choices, "params": request.GET, "can_log": request.user.has_perm(LOG),
    })  # fmt: skip


@requires(REVIEW)
def review_list(request):
    page = CappedPaginator(_list_rows(review_queue(request.user).order_by("date", "pk")), 30).get_page(
        request.GET.get("page")
    )
    return render(request, "contactlog/review_list.html", {"page": page})


def _gift_initial(entry):
    return [{"description": g.description, "value": g.value, "returned": g.returned, "handling": g.handling}
            for g in entry.gifts.all()]  # fmt: skip


def _entry_page(request, entry=None):
    user = request.user
    departments = actions.candidate_departments(user)
    initial = None
    if entry is not None:
        initial = {f: getattr(entry, f) for f in actions.ENTRY_FIELDS}
        initial["enterprise_names"] = "\n".join(entry.enterprises.values_list("name", flat=True))
    post = request.POST if request.method == "POST" else None
    form = forms.EntryForm(post, initial=initial)
    gifts = forms.GiftFormSet(post, prefix="gifts", initial=_gift_initial(entry) if entry else None)
    matters = None if entry else forms.MatterFormSet(post, prefix="matters", form_kwargs={"departments": departments})
    if post is not None and form.is_valid() and gifts.is_valid() and (matters is None or matters.is_valid()):
        try:
            candidates = actions.candidate_enterprises(user)
            enterprises = form.resolve_enterprises(candidates)
            data = {**form.cleaned_data, "enterprises": enterprises, "gifts": forms.filled_rows(gifts, "gifts")}
            if matters is not None:
                data["matters"] = _matter_rows(forms.filled_rows(matters, "matters"), enterprises)
            entry = actions.save_entry(actor=user, data=data, entry=entry)
        except ValidationError as exc:
            forms.apply_errors(form, exc)
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            if entry.is_flagged:
                messages.warning(request, _("亲清日志已保存。该次接触触及负面清单，已提交纪检监督审查。"))
            else:
                messages.success(request, _("亲清日志已保存"))
            return redirect("contactlog:entry_detail", entry.pk)
    return render(request, "contactlog/entry_form.html", {"form": form, "gifts": gifts, "matters": matters,
                                                          "entry": entry})  # fmt: skip


def _matter_rows(rows, enterprises) -> list[dict]:
    """Matters from the form: the enterprise named by name or credit code must be one of the participants."""
    by_token = {e.name: e for e in enterprises} | {e.credit_code: e for e in enterprises}
    out = []
    for i, row in enumerate(rows, start=1):
        token = (row.get("enterprise") or "").strip()
        enterprise = by_token.get(token) or by_token.get(token.upper())
        if token and enterprise is None:
            raise ValidationError({"matters": _("第%(row)s项反映事项：反映企业须是参加企业之一") % {"row": i}})
        out.append({"text": row.get("text"), "enterprise": enterprise, "department": row.get("department")})
    return out


@requires(LOG)
def entry_new(request):
    return _entry_page(request)


@requires(LOG)
def entry_edit(request, pk: int):
    entry = get_entry(request.user, pk)
    if not can_edit(request.user, entry):
        messages.error(request, _("只能修改本人记录、尚无审查结论的亲清日志"))
        return redirect("contactlog:entry_detail", entry.pk)
    return _entry_page(request, entry)


def record_read(user, entry) -> None:
    """Reading an entry is audited: it is a record of an official's conduct."""
    audit.record("contactlog.read_entry", obj=entry, actor=user)


@requires(VIEW)
def entry_detail(request, pk: int):
    user = request.user
    entry = get_entry(user, pk)
    record_read(user, entry)
    mine = entry.logged_by_id == user.pk
    matter_form = None
    if mine and user.has_perm(LOG):
        matter_form = forms.MatterForm(departments=actions.candidate_departments(user), prefix="matter")
    return render(request, "contactlog/entry_detail.html", {
        "entry": entry,
        "enterprises": entry.enterprises.all(),
        "gifts": entry.gifts.all(),
        "matters": entry.matters.select_related("enterprise", "department", "appeal"),
        "can_edit": can_edit(user, entry),
        "can_appeal": can_appeal(user, entry),
        "can_review": can_review(user, entry),
        "review_form": forms.ReviewForm(prefix="review") if can_review(user, entry) else None,
        "matter_form": matter_form,
    })  # fmt: skip


@requires(LOG)
def matter_add(request, pk: int):
    entry = get_entry(request.user, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = forms.MatterForm(request.POST, departments=actions.candidate_departments(request.user), prefix="matter")
    if form.is_valid():
        try:
            rows = _matter_rows([form.cleaned_data], list(entry.enterprises.all()))
            actions.add_matter(entry, actor=request.user, data=rows[0])
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        except Refused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("反映事项已添加"))
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect("contactlog:entry_detail", entry.pk)


@requires(LOG)
def matter_appeal(request, pk: int):
    matter = get_matter(request.user, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        appeal = actions.matter_to_appeal(matter, actor=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已转为诉求 %(number)s") % {"number": appeal.number})
    return redirect("contactlog:entry_detail", matter.entry_id)


@requires(REVIEW)
def entry_review(request, pk: int):
    entry = get_entry(request.user, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = forms.ReviewForm(request.POST, prefix="review")
    if form.is_valid():
        try:
            actions.conclude_review(entry, actor=request.user, conclusion=form.cleaned_data["conclusion"],
                                    text=form.cleaned_data["conclusion_text"])  # fmt: skip
        except ValidationError as exc:
            forms.apply_errors(form, exc)
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("审查结论已记录"))
            return redirect("contactlog:entry_detail", entry.pk)
    record_read(request.user, entry)
    return render(request, "contactlog/entry_detail.html", {
        "entry": entry, "enterprises": entry.enterprises.all(), "gifts": entry.gifts.all(),
        "matters": entry.matters.select_related("enterprise", "department", "appeal"),
        "can_review": True, "review_form": form,
    }, status=400)  # fmt: skip


@requires(VIEW)
def conduct_list(request):
    items = visible_conduct(request.user)
    return render(
        request, "contactlog/conduct_list.html", {"items": items, "can_manage": request.user.has_perm(MANAGE_LIST)}
    )


def _conduct_page(request, item=None):
    initial = None
    if item is not None:
        initial = {f: getattr(item, f) for f in ("name", "description", "rule", "threshold", "order", "is_active")}
    form = forms.ConductForm(request.POST or None, initial=initial, editing=item is not None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_conduct_item(actor=request.user, data=form.cleaned_data, item=item)
        except ValidationError as exc:
            forms.apply_errors(form, exc)
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("负面清单已保存"))
            return redirect("contactlog:conduct")
    return render(request, "contactlog/conduct_form.html", {"form": form, "item": item})


@requires(MANAGE_LIST)
def conduct_new(request):
    return _conduct_page(request)


@requires(MANAGE_LIST)
def conduct_edit(request, pk: int):
    return _conduct_page(request, get_conduct(request.user, pk))
