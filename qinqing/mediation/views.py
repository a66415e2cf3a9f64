"""Mediation case pages: the list (overdue flagged, parties masked), registration, the case page with its
sessions, extensions and outcome steps, and the 调解协议书 download. Bodies, exchange and figures live in
views_bodies. Views are thin: scoped reads from permissions, one action per POST."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qinqing.accounts.models import User
from qinqing.core import audit
from qinqing.core.badinput import int_param
from qinqing.core.errors import Refused
from qinqing.core.pagination import CappedPaginator
from qinqing.core.permissions import requires

from . import actions, agreement, contacts, forms
from .choices import (
    CLOSED,
    COURT_SOURCES,
    CaseType,
    Confirmation,
    FailedNext,
    PartyKind,
    PartyRole,
    SessionMode,
    Source,
    Status,
)
from .models import Party, RosterEntry
from .permissions import (
    HANDLE,
    REGISTER,
    VIEW,
    get_case,
    handles,
    managed_bodies,
    registers,
    sees_contacts,
    visible_cases,
)


def filter_cases(params, qs):
    """The one filter of the case list, shared by the page and the API."""
    status = params.get("status") or ""
    if status in Status.values:
        qs = qs.filter(status=status)
    source = params.get("source") or ""
    if source == "court":
        qs = qs.filter(source__in=COURT_SOURCES)
    elif source in Source.values:
        qs = qs.filter(source=source)
    case_type = params.get("case_type") or ""
    if case_type in CaseType.values:
        qs = qs.filter(case_type=case_type)
    body = int_param(params, "body", _("调解组织"))
    if body:
        qs = qs.filter(body_id=body)
    if params.get("overdue") == "1":
        qs = qs.filter(status=Status.OPEN, deadline__lt=actions.today())
    q = (params.get("q") or "").strip()[:60]
    if q:
        qs = qs.filter(number=q) | qs.filter(court_case_number=q)
    return qs


@requires(VIEW)
def case_list(request):
    user = request.user
    qs = filter_cases(request.GET, visible_cases(user)).select_related("body", "mediator")
    qs = qs.prefetch_related(Prefetch("parties", queryset=Party.objects.only("case_id", "role", "kind", "name")))
    page = CappedPaginator(qs, 30).get_page(request.GET.get("page"))
    today = actions.today()
    rows = [{"case": c, "parties": contacts.list_label(c.parties.all()),
             "overdue": c.status == Status.OPEN and c.deadline < today} for c in page]  # fmt: skip
    overdue = visible_cases(user).filter(status=Status.OPEN, deadline__lt=today).count()
    return render(request, "mediation/case_list.html", {
        "page": page, "rows": rows, "params": request.GET, "statuses": Status.choices, "sources": Source.choices,
        "types": CaseType.choices, "overdue_count": overdue, "can_register": user.has_perm(REGISTER),
    })  # fmt: skip


def _mediators(bodies):
    ids = RosterEntry.objects.filter(body__in=bodies, is_active=True).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True).order_by("name")


@requires(REGISTER)
def case_new(request):
    bodies = managed_bodies(request.user).filter(is_active=True)
    form = forms.CaseForm(request.POST or None, bodies=bodies, mediators=_mediators(bodies),
                          initial={"received_on": actions.today()})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        mediator = User.objects.filter(pk=d["mediator"]).first() if d["mediator"] else None
        try:
            case = actions.register_case(actor=request.user, body=d["body"], data=d, parties=form.parties(),
                                         mediator=mediator)  # fmt: skip
        except ValidationError as exc:
            forms.apply_errors(form, exc)
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("调解案件 %(number)s 已登记") % {"number": case.number})
            return redirect("mediation:case_detail", case.pk)
    return render(request, "mediation/case_form.html", {"form": form})


@requires(VIEW)
def case_detail(request, pk: int):
    case = get_case(request.user, pk)
    parties = [contacts.shown(p, full=False) for p in case.parties.select_related("enterprise")]
    return render(request, "mediation/case_detail.html", _detail_context(request.user, case, parties))


@requires(HANDLE)
def reveal_contacts(request, pk: int):
    """The parties in full for those who handle the case (masked by default); every reveal is audited."""
    case = get_case(request.user, pk)
    if request.method != "POST":  # looked up first: an object outside the user's scope answers 404 on any method
        return HttpResponseNotAllowed(["POST"])
    try:
        parties = contacts.reveal(case, actor=request.user)
    except Refused:
        raise Http404 from None
    context = _detail_context(request.user, case, parties, revealed=True)
    if request.htmx:
        return render(request, "mediation/partials/_parties.html", context)
    return render(request, "mediation/case_detail.html", context)


def _detail_context(user, case, parties, *, revealed: bool = False) -> dict:
    can_handle = handles(user, case)
    return {
        "case": case,
        "parties": parties,
        "can_reveal": sees_contacts(user, case) and not revealed and bool(parties),
        "sessions": case.sessions.all(),
        "extensions": case.extensions.all(),
        "can_handle": can_handle,
        "can_register": registers(user, case),
        "is_open": case.status == Status.OPEN,
        "overdue": case.status == Status.OPEN and case.deadline < actions.today(),
        "court": case.source in COURT_SOURCES,
        "mediators": _mediators([case.body]) if registers(user, case) else (),
        "modes": SessionMode.choices,
        "failed_next": FailedNext.choices[1:],
        "party_roles": PartyRole.choices,
        "party_kinds": PartyKind.choices,
        "today": actions.today(),
        "confirmation": Confirmation,
        "can_download": case.status == Status.SETTLED and (can_handle or _is_party(user, case)),
        "closed": CLOSED,
    }


def _is_party(user, case) -> bool:
    return bool(user.enterprise_id) and case.parties.filter(enterprise_id=user.enterprise_id).exists()


# step → (action, who may take it, success message)
STEPS = {
    "session": (actions.log_session, handles, gettext_lazy("调解记录已保存")),
    "settle": (actions.settle, handles, gettext_lazy("已登记调解成功")),
    "fail": (actions.fail, handles, gettext_lazy("已登记调解不成")),
    "withdraw": (actions.withdraw, handles, gettext_lazy("已登记撤回")),
    "return": (actions.return_to_court, handles, gettext_lazy("已登记超期退回法院")),
    "request_confirmation": (actions.request_confirmation, handles, gettext_lazy("已登记申请司法确认")),
    "confirmation": (actions.record_confirmation, handles, gettext_lazy("已登记法院的司法确认结果")),
    "lawsuit": (actions.record_lawsuit, handles, gettext_lazy("已登记立案案号")),
    "extend": (actions.extend_deadline, registers, gettext_lazy("已按法院同意延长调解期限")),
    "party": (actions.add_party, registers, gettext_lazy("当事人已添加")),
}


@requires(VIEW)
def case_step(request, pk: int, step: str):
    case = get_case(request.user, pk)
    if request.method != "POST":  # looked up first: an object outside the user's scope answers 404 on any method
        return HttpResponseNotAllowed(["POST"])
    if step == "assign":
        return _assign(request, case)
    if step not in STEPS:
        raise Http404
    action, allowed, done = STEPS[step]
    if not allowed(request.user, case):
        raise Http404
    try:
        action(case, actor=request.user, data=request.POST)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("mediation:case_detail", case.pk)


def _assign(request, case):
    if not registers(request.user, case):
        raise Http404
    mediator = User.objects.filter(pk=int_param(request.POST, "mediator", _("调解员")) or 0).first()
    try:
        actions.assign_mediator(case, actor=request.user, mediator=mediator)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已指派调解员 %(name)s") % {"name": mediator.name})
    return redirect("mediation:case_detail", case.pk)


def agreement_response(request, case) -> HttpResponse:
    """The 调解协议书 (.docx) of a settled case, for those who handle it or are a party; audited."""
    if case.status != Status.SETTLED or not (handles(request.user, case) or _is_party(request.user, case)):
        raise Http404
    content = agreement.agreement_docx(case)
    audit.record("mediation.download_agreement", obj=case, actor=request.user, object_repr=case.number)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = f'attachment; filename="{case.number}.docx"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@requires(VIEW)
def case_agreement(request, pk: int):
    return agreement_response(request, get_case(request.user, pk))
