"""Appeal pages: list (every role, scoped), register, detail with the timeline and the next steps,
one POST endpoint per step (dispatching to actions), tracking by number, duplicate suggestions."""

import re

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qinqing.core.pagination import CappedPaginator, SearchPaginator
from qinqing.core.permissions import requires
from qinqing.orgs.models import Organization
from qinqing.registry.permissions import visible_enterprises

from . import actions, contacts, duplicates, forms, steps
from . import workflow as wf
from .filters import filter_appeals
from .models import Appeal, ExtensionRequest
from .permissions import (
    MANAGE,
    SUBMIT,
    VIEW,
    get_appeal,
    get_appeal_by_number,
    is_foreign,
    readable_appeals,
    visible_appeals,
)


@requires(VIEW)
def appeal_list(request):
    qs, params = filter_appeals(visible_appeals(request.user), request.GET)
    page = _page_by_ids(qs, request.GET.get("page"), SearchPaginator if params["q"] else CappedPaginator)
    template = "appeals/partials/_rows.html" if request.htmx else "appeals/list.html"
    return render(request, template, {"page": page, "params": params, "states": wf.STATE_LABELS})


def _page_by_ids(qs, number, paginator=CappedPaginator):
    """The page's ids first, then its 30 rows by id, in the same order.

    The ids of a filtered, sorted scope are read from an index alone on PostgreSQL (migrations 0013 and 0015: newest
    first per state, of the late ones, or with the searched columns, the scope tested on the index entries), so only
    the page's rows are read from the table; selecting the rows themselves read every matching row of the scope
    before sorting them (a county's thousands of appeals in one state, of a search word, or overdue)."""
    page = paginator(qs.values_list("pk", flat=True), 30).get_page(number)
    ids = list(page.object_list)
    rows = Appeal.objects.select_related("enterprise", "lead_department", "appeal_type", "domain").in_bulk(ids)
    page.object_list = [rows[pk] for pk in ids if pk in rows]  # one deleted in between is left out
    return page


def _may_register(user) -> bool:
    return user.has_perm(SUBMIT) or user.has_perm(MANAGE)


@requires(VIEW)
def appeal_new(request):
    user = request.user
    if not _may_register(user):
        raise Http404
    form = forms.AppealForm(request.POST or None, request.FILES or None, role=user.role)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        enterprise = _enterprise_for(user, data.get("credit_code", ""), form, provisional=data.get("provisional"))
        if enterprise is not None:
            try:
                appeal = register_with_enterprise(
                    enterprise,
                    actor=user,
                    appeal_type=data["appeal_type"],
                    domain=data["domain"],
                    title=data["title"],
                    description=data["description"],
                    channel=data.get("channel") or "online",
                    contact_name=data["contact_name"],
                    contact_phone=data["contact_phone"],
                    files=data["files"],
                    submission_key=data.get("submission_key", ""),
                )
            except actions.AppealError as exc:
                form.add_error(None, str(exc))
            else:
                if not getattr(appeal, "replayed", False):
                    messages.success(request, _("诉求已登记，编号 %(number)s") % {"number": appeal.number})
                return redirect("appeals:detail", appeal.pk)
    return render(request, "appeals/new.html", {"form": form})


class NewEnterprise(str):
    """The name of an enterprise to register provisionally together with the appeal (staff intake)."""


def register_with_enterprise(enterprise, **kwargs):
    """register_appeal, first creating the provisional enterprise when intake asked for one; both or
    neither are saved (a refused appeal, or a repeated submission, leaves no stray enterprise)."""
    from django.core.exceptions import ValidationError

    from qinqing.registry.provisional import create_provisional_enterprise

    if not isinstance(enterprise, NewEnterprise):
        return actions.register_appeal(enterprise=enterprise, **kwargs)
    with transaction.atomic():
        try:
            created = create_provisional_enterprise(actor=kwargs["actor"], name=str(enterprise))
        except ValidationError as exc:
            raise actions.AppealError("；".join(exc.messages)) from None
        appeal = actions.register_appeal(enterprise=created, **kwargs)
        if getattr(appeal, "replayed", False):
            transaction.set_rollback(True)  # the first submission made its own provisional record
        return appeal


def _enterprise_for(user, credit_code: str, form, *, provisional: bool = False):
    from qinqing.registry.models import Enterprise

    if user.role == wf.ENTERPRISE:
        return user.enterprise
    text = credit_code.strip()
    qs = visible_enterprises(user) if user.role == wf.STAFF else Enterprise.objects.all()
    enterprise = qs.filter(credit_code=text.upper()).first()
    if enterprise is not None or not text:
        if enterprise is None:
            form.add_error("credit_code", _("请填写企业的统一社会信用代码或名称"))
        return enterprise
    # Not a known code: look the text up as the enterprise's name (exact first, then a unique part).
    by_name = list(qs.filter(name=text)[:2]) or list(qs.filter(name__icontains=text).order_by("name")[:6])
    if len(by_name) == 1:
        return by_name[0]
    if by_name:
        names = "、".join(f"{e.name}（{e.credit_code}）" for e in by_name[:5])
        facts = {"text": text, "names": names}
        form.add_error("credit_code", _("有多家企业名称含“%(text)s”：%(names)s，请填写完整名称或信用代码") % facts)
    elif provisional and user.role == wf.STAFF:
        if re.fullmatch(r"[0-9A-Za-z]{18}", text):
            form.add_error("credit_code", _("临时登记请填写企业名称（该信用代码的企业不在企业库中）"))
            return None
        return NewEnterprise(text)
    else:
        facts = {"text": text}
        message = _("未找到信用代码或名称为“%(text)s”的企业（或不在您的管辖范围内）") % facts
        if user.role == wf.STAFF:
            message += _("；如企业尚未入库，请勾选“按企业名称临时登记”后再提交")
        form.add_error("credit_code", message)
    return None


@requires(VIEW)
def similar(request):
    """HTMX partial: likely duplicates and related appeals while staff type the description."""
    text = f"{request.GET.get('title', '')} {request.GET.get('description', '')}".strip()
    user = request.user
    credit_code = request.GET.get("credit_code", "")
    if user.role == wf.ENTERPRISE and user.enterprise_id:
        credit_code = user.enterprise.credit_code
    domain = request.GET.get("domain", "")
    matches = duplicates.suggest(
        visible_appeals(user),
        text,
        credit_code=credit_code,
        domain=int(domain) if domain.isdigit() else None,
        today=actions.today(),
    )
    return render(request, "appeals/partials/_similar.html", {"matches": matches})


def _departments(user):
    return steps.departments_for(user)


def _step_forms(appeal, user) -> dict:
    """The forms for the steps this user may take now (the buttons on the detail page)."""
    role = user.role
    result = {}
    co_handler = role == wf.LIAISON and appeal.co_departments.filter(pk=user.org_id).exists()
    for t in wf.allowed(appeal.status, role, paused=appeal.is_paused):
        if role == wf.LIAISON and t.name == "co_note":
            if not co_handler:
                continue
        elif role == wf.LIAISON and appeal.lead_department_id != user.org_id:
            continue
        if role == wf.ENTERPRISE and t.name not in ("close", "rehandle", "supply"):
            continue
        result[t.name] = t
    return result


def _merged_timelines(appeal, user) -> list[tuple]:
    """The histories of the duplicates merged into this appeal (and into those), each labelled with its
    number. Only duplicates this user may see themselves are shown (another enterprise's stays hidden)."""
    public_only = user.role in (wf.ENTERPRISE, wf.SECRETARY)
    result, frontier, seen = [], [appeal.pk], {appeal.pk}
    visible = visible_appeals(user)
    while frontier and len(seen) < 50:
        children = list(
            visible.filter(merged_into_id__in=frontier).exclude(pk__in=seen).select_related("enterprise").order_by("pk")
        )
        frontier = [c.pk for c in children]
        seen.update(frontier)
        for child in children:
            events = child.events.select_related("actor")
            result.append((child, events.filter(public=True) if public_only else events))
    return result


@requires(VIEW)
def appeal_detail(request, pk: int):
    appeal = get_appeal(request.user, pk)
    user = request.user
    foreign = is_foreign(user, appeal)  # the master of a merge, opened by the merged enterprise: read-only
    events = appeal.events.select_related("actor")
    if user.role in (wf.ENTERPRISE, wf.SECRETARY):
        events = events.filter(public=True)
    steps = {} if foreign else _step_forms(appeal, user)
    merged_timelines = [] if foreign else _merged_timelines(appeal, user)
    departments = _departments(user) if user.role == wf.STAFF else Organization.objects.none()
    context = {
        "appeal": appeal,
        "foreign": foreign,
        "own_merged": visible_appeals(user).filter(merged_into=appeal) if foreign else [],
        "contact": contacts.shown_contact(appeal, user),
        "events": events,
        "steps": steps,
        "callback": "close" in steps,
        "assign_form": forms.AssignForm(departments=departments, initial=_suggested(appeal, departments))
        if "assign" in steps
        else None,
        "return_form": forms.ReturnForm(
            departments=Organization.objects.filter(kind="department", path__startswith=appeal.fic.path)
        )
        if "return" in steps
        else None,
        "callback_form": forms.CallbackForm() if "close" in steps else None,
        "extension_form": forms.ExtensionForm() if "request_extension" in steps and _may_extend(appeal) else None,
        "round_extension_days": _round_extension_days(appeal),
        "pending_extensions": appeal.extensions.filter(status=ExtensionRequest.PENDING)
        if "decide_extension" in steps
        else [],
        "extensions": appeal.extensions.all(),
        "attachments": [] if foreign else appeal.attachments.all(),
        "co_departments": appeal.co_departments.all(),
        "related": [] if foreign else appeal.related.filter(pk__in=visible_appeals(user).values("pk"))[:20],
        "merged_timelines": merged_timelines,
    }
    return render(request, "appeals/detail.html", context)


def _suggested(appeal, departments) -> dict:
    """After a 退回, the department the returning liaison suggested is preselected for staff."""
    event = appeal.events.filter(action="return").order_by("-created_at", "-id").first()
    pk = (event.data or {}).get("suggested_department") if event else None
    if pk and departments.filter(pk=pk).exists():
        return {"lead_department": pk}
    return {}


def _may_extend(appeal) -> bool:
    """The extension form only when a request could succeed: none pending and the reply not yet late."""
    if appeal.reply_due and actions.today() > appeal.reply_due:
        return False
    return not appeal.extensions.filter(status=ExtensionRequest.PENDING).exists()


def _round_extension_days(appeal) -> int:
    """Working days granted in the current handling round (a 重办 or new 交办 starts the deadline afresh)."""
    approved = appeal.extensions.filter(status=ExtensionRequest.APPROVED)
    if appeal.assigned_at:
        approved = approved.filter(created_at__gte=appeal.assigned_at)
    return sum(approved.values_list("days", flat=True))


@require_POST
@requires(VIEW)
def reveal_contact(request, pk: int):
    """The appeal's contact name and phone in full, for staff and handling departments; audited."""
    appeal = get_appeal(request.user, pk)
    try:
        contact = contacts.reveal(appeal, actor=request.user)
    except actions.AppealError:
        raise Http404 from None
    return render(request, "appeals/partials/_contact.html", {"contact": contact, "appeal": appeal})


@requires(VIEW)
def track(request):
    """Follow an appeal by its number (the enterprise's 诉求查询)."""
    number = request.GET.get("number", "").strip()
    if number:
        appeal = get_appeal_by_number(request.user, number)
        return redirect("appeals:detail", appeal.pk)
    return render(request, "appeals/track.html", {})


@require_POST
@requires(VIEW)
def appeal_step(request, pk: int, op: str):
    """Apply one step; on a refusal or bad input show the Chinese message and change nothing."""
    appeal = get_appeal(request.user, pk)
    try:
        form = steps.run_step(request.user, appeal, op, request.POST, request.FILES)
    except actions.AppealError as exc:
        messages.error(request, str(exc))
    else:
        if form is not None:
            messages.error(request, _("输入有误：%(errors)s") % {"errors": steps.form_errors(form)})
        else:
            messages.success(request, _("操作成功"))
    url = reverse("appeals:detail", args=[pk])
    if not readable_appeals(request.user).filter(pk=pk).exists():
        # e.g. a liaison who has just returned the appeal: it has left their list, so go back to the list
        messages.info(request, _("诉求 %(number)s 已不在您的办理范围内") % {"number": appeal.number})
        url = reverse("appeals:list")
    if request.htmx:
        response = redirect(url)
        response["HX-Redirect"] = url
        return response
    return redirect(url)
