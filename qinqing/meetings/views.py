"""Meeting pages: list with figures, plan a meeting, the meeting page (agenda, visits, fast issue entry,
hold, sign-off) and the problem / responsibility list downloads."""

from functools import partial

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qinqing.appeals import actions as appeal_actions
from qinqing.appeals.permissions import visible_appeals
from qinqing.appeals.steps import departments_for, form_errors
from qinqing.core.permissions import requires
from qinqing.registry.permissions import visible_enterprises

from . import actions, exports, forms
from .figures import meeting_figures
from .models import MeetingStatus
from .permissions import LISTS, MANAGE, VIEW, agenda_visible, get_meeting, visible_meetings


@requires(VIEW)
def meeting_list(request):
    qs = visible_meetings(request.user).select_related("fic")
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    figures = meeting_figures(qs) if request.user.has_perm(LISTS) else None
    return render(request, "meetings/list.html", {"page": page, "figures": figures})


def _enterprise(user, code: str):
    enterprise = visible_enterprises(user).filter(credit_code=(code or "").strip().upper()).first()
    if enterprise is None:
        raise actions.MeetingError(
            _("未找到统一社会信用代码为 %(code)s 的企业（或不在您的管辖范围内）") % {"code": code}
        )
    return enterprise


def _plan(user, d: dict) -> dict:
    """The plan form's cleaned data as keyword arguments for create_meeting / update_meeting."""
    codes = [c for c in d["credit_codes"].split() if c.strip()]
    return {
        "kind": d["kind"],
        "title": d["title"],
        "day": d["day"],
        "host_leader": d["host_leader"],
        "location": d["location"],
        "departments": d["departments"],
        "enterprises": [_enterprise(user, c) for c in codes],
    }


def _plan_page(request, heading: str, save, initial=None):
    """The plan form (new or edit): on a valid POST call ``save(**plan)`` and go to the meeting page."""
    form = forms.MeetingForm(request.POST or None, initial=initial, departments=departments_for(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            meeting = save(actor=request.user, **_plan(request.user, form.cleaned_data))
        except actions.MeetingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("会议信息已保存"))
            return redirect("meetings:detail", meeting.pk)
    return render(request, "meetings/new.html", {"form": form, "heading": heading})


@requires(MANAGE)
def meeting_new(request):
    return _plan_page(request, _("筹备会议"), actions.create_meeting)


@requires(MANAGE)
def meeting_edit(request, pk: int):
    meeting = get_meeting(request.user, pk)
    initial = {
        "kind": meeting.kind,
        "title": meeting.title,
        "day": meeting.date,
        "host_leader": meeting.host_leader,
        "location": meeting.location,
        "departments": list(meeting.departments.all()),
        "credit_codes": "\n".join(meeting.enterprises.values_list("credit_code", flat=True)),
    }
    return _plan_page(
        request,
        _("修改会议：%(title)s") % {"title": meeting.title},
        partial(actions.update_meeting, meeting),
        initial=initial,
    )


@requires(VIEW)
def meeting_detail(request, pk: int):
    meeting = get_meeting(request.user, pk)
    # 成果销号 happens at a later meeting that has itself been held
    later = (
        visible_meetings(request.user)
        .filter(date__gte=meeting.date)
        .exclude(pk=meeting.pk)
        .exclude(status=MeetingStatus.PLANNED)
    )
    user = request.user
    internal = user.has_perm(LISTS)
    context = {
        "meeting": meeting,
        "internal": internal,
        "agenda_visible": agenda_visible(user, meeting),
        # Invitees see the issues they may see anyway (their own; their department's).
        "issues": visible_appeals(user)
        .filter(meeting=meeting)
        .select_related("enterprise", "lead_department", "domain"),
        "visits": meeting.visits.select_related("enterprise") if internal else [],
        "departments": meeting.departments.all(),
        "enterprises": meeting.enterprises.all(),
        "agenda_form": forms.AgendaForm(initial={"agenda": meeting.agenda}),
        "visit_form": forms.VisitForm(),
        "issue_form": forms.IssueForm(),
        "hold_form": forms.HoldForm(),
        "signoff_form": forms.SignOffForm(meetings=later),
        "can_manage": request.user.has_perm(MANAGE),
        "hold_open": meeting.date <= appeal_actions.today(),  # 已召开 not before the meeting's date
    }
    return render(request, "meetings/detail.html", context)


@require_POST
@requires(MANAGE)
def meeting_step(request, pk: int, op: str):
    meeting = get_meeting(request.user, pk)
    user, post = request.user, request.POST
    form_class = {
        "agenda": forms.AgendaForm,
        "visit": forms.VisitForm,
        "issue": forms.IssueForm,
        "hold": forms.HoldForm,
    }.get(op)
    if op == "signoff":
        form = forms.SignOffForm(post, meetings=visible_meetings(user))
    elif form_class:
        form = form_class(post)
    else:
        raise Http404
    if not form.is_valid():
        messages.error(request, _("输入有误：%(errors)s") % {"errors": form_errors(form)})
        return redirect("meetings:detail", pk)
    d = form.cleaned_data
    try:
        if op == "agenda":
            actions.publish_agenda(meeting, actor=user, agenda=d["agenda"])
        elif op == "visit":
            actions.add_visit(
                meeting,
                actor=user,
                enterprise=_enterprise(user, d["credit_code"]),
                visited_on=d["visited_on"],
                notes=d["notes"],
            )
        elif op == "issue":
            appeal = actions.record_issue(
                meeting,
                actor=user,
                enterprise=_enterprise(user, d["credit_code"]),
                appeal_type=d["appeal_type"],
                domain=d["domain"],
                title=d["title"],
                solved_on_spot=d["solved_on_spot"],
                comment=d["comment"],
                submission_key=d.get("submission_key", ""),
            )
            messages.success(request, _("已登记问题 %(number)s") % {"number": appeal.number})
        elif op == "hold":
            actions.hold_meeting(meeting, actor=user, attendees=d["attendees"])
        else:
            actions.sign_off(meeting, actor=user, at_meeting=d["at_meeting"], note=d["note"])
    except actions.MeetingError as exc:
        messages.error(request, str(exc))
    return redirect("meetings:detail", pk)


@requires(LISTS)
def meeting_export(request, pk: int, kind: str, fmt: str):
    meeting = get_meeting(request.user, pk)
    if kind not in ("problems", "duties") or fmt not in ("docx", "xlsx"):
        raise Http404
    if fmt == "docx":
        data = exports.to_docx(meeting, kind)
        ctype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    else:
        data = exports.to_xlsx(meeting, kind)
        ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(data, content_type=ctype)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''meeting-{meeting.pk}-{kind}.{fmt}"
    return response
