"""Check-up pages: the list, the request, the check-up page with each role's next step (assignment, self-check,
visit, risk points and report, 整改 feedback, follow-up call, appeal), and the report downloads. Views are thin:
scoped reads from permissions, one action per POST. Rounds, links, talks and the questionnaire in views_admin."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qinqing.core.errors import Refused
from qinqing.core.pagination import CappedPaginator
from qinqing.core.permissions import requires
from qinqing.core.roles import Role
from qinqing.registry.masking import show_mobile

from . import actions, exports, forms
from .choices import OPEN, Level, Status
from .models import Question
from .permissions import (
    HANDLE,
    MANAGE,
    REQUEST,
    RESPOND,
    VIEW,
    get_checkup,
    get_risk,
    visible_checkups,
)


def run(request, form, call, success: str):
    """Call the action; on a field or state refusal put the message on the form (or the page) and return None."""
    try:
        result = call()
    except ValidationError as exc:
        if form is not None:
            forms.apply_errors(form, exc)
        else:
            messages.error(request, "；".join(exc.messages))
        return None
    except Refused as exc:
        if form is not None:
            form.add_error(None, str(exc))
        else:
            messages.error(request, str(exc))
        return None
    messages.success(request, success)
    return result


def filter_checkups(params, qs):
    """The one filter of the check-up list, shared by the page and the API."""
    status = params.get("status") or ""
    level = params.get("level") or ""
    q = (params.get("q") or "").strip()[:50]
    if status in Status.values:
        qs = qs.filter(status=status)
    if level in Level.values:
        qs = qs.filter(pk__in=qs.filter(risks__level=level).values("pk"))
    if q:
        qs = qs.filter(number=q) | qs.filter(enterprise__name__contains=q)
    return qs


@requires(VIEW)
def checkup_list(request):
    qs = filter_checkups(request.GET, visible_checkups(request.user))
    qs = qs.select_related("enterprise", "lawyer", "law_firm", "chamber").order_by("-requested_on", "-pk")
    page = CappedPaginator(qs, 30).get_page(request.GET.get("page"))
    context = {"page": page, "statuses": Status.choices, "levels": Level.choices, "params": request.GET,
               "due": _due(request.user)}  # fmt: skip
    return render(request, "legal/checkup_list.html", context)


def _due(user) -> dict:
    """The lawyer's work in three piles: visits to make, reports to write, follow-up calls due."""
    if user.role != Role.LAWYER:
        return {}
    mine = visible_checkups(user).select_related("enterprise")
    today = actions.today()
    return {
        "visits": mine.filter(status=Status.ASSIGNED).order_by("visit_on")[:50],
        "reports": mine.filter(status=Status.VISITED).order_by("visited_on")[:50],
        "calls": mine.filter(status=Status.REPORTED, followup_due__lte=today).order_by("followup_due")[:50],
    }


@requires(REQUEST)
def checkup_request(request):
    user = request.user
    secretary = user.role == Role.CHAMBER_SECRETARY
    enterprise = None
    chambers = None
    if not secretary:
        from qinqing.registry.models import Enterprise

        enterprise = Enterprise.objects.filter(pk=user.enterprise_id).first()
        if enterprise is None:
            raise Http404
        chambers = actions.member_chambers(enterprise)
    form = forms.RequestForm(request.POST or None, chambers=chambers, secretary=secretary)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if secretary:
            from qinqing.registry.models import Enterprise

            enterprise = Enterprise.objects.filter(credit_code=d["credit_code"].strip().upper()).first()
            if enterprise is None:
                form.add_error("credit_code", _("未找到该统一社会信用代码的企业"))
        if enterprise is not None and not form.errors:
            checkup = run(request, form, lambda: actions.request_checkup(actor=user, enterprise=enterprise, data=d),
                          _("法治体检申请已提交，工商联将安排律师"))  # fmt: skip
            if checkup is not None:
                return redirect("legal:checkup_detail", checkup.pk)
    return render(request, "legal/request_form.html", {"form": form, "enterprise": enterprise})


def _lawyer_choices(checkup):
    """Lawyers who may take the check-up: named on (or of the firm of) an active link that fits it."""
    from qinqing.accounts.models import User

    today = actions.today()
    links = actions.active_links(today).select_related("law_firm", "chamber").prefetch_related("lawyers")
    if checkup.chamber_id:
        links = links.filter(chamber_id=checkup.chamber_id)
    choices = {}
    for link in links[:200]:
        named = list(link.lawyers.all()) or list(User.objects.filter(org=link.law_firm, role=Role.LAWYER,
                                                                      is_active=True))  # fmt: skip
        for lawyer in named:
            if lawyer.pk not in choices and actions.link_for(checkup, lawyer, today) is not None:
                choices[lawyer.pk] = f"{lawyer.name}（{link.law_firm.name}）"
    return sorted(choices.items(), key=lambda c: c[1])


@requires(VIEW)
def checkup_detail(request, pk: int):
    user = request.user
    checkup = get_checkup(user, pk)
    answers = {a.question_id: a for a in checkup.answers.all()}
    questions = Question.objects.filter(area__version_id=checkup.version_id).select_related("area")
    rows = [(q, answers.get(q.pk)) for q in questions]
    risks = list(checkup.risks.select_related("area", "appeal"))
    is_lawyer = user.has_perm(HANDLE) and checkup.lawyer_id == user.pk
    is_owner = user.has_perm(RESPOND) and checkup.enterprise_id == user.enterprise_id
    staff = user.has_perm(MANAGE)
    reported = checkup.status in (Status.REPORTED, Status.FOLLOWED)
    context = {
        "checkup": checkup,
        "rows": rows,
        "risks": risks,
        "calls": checkup.calls.select_related("lawyer"),
        "contact_phone": show_mobile(checkup.contact_phone, user),
        "assign_form": forms.AssignForm(lawyers=_lawyer_choices(checkup)) if staff and checkup.status in OPEN else None,
        "can_cancel": (staff or is_owner) and checkup.status in OPEN,
        "can_selfcheck": is_owner and checkup.status in OPEN,
        "can_visit": is_lawyer and checkup.status == Status.ASSIGNED,
        "can_report": is_lawyer and checkup.status == Status.VISITED,
        "can_follow": is_owner and reported and risks,
        "follow_choices": forms.FOLLOW_CHOICES,
        "call_form": forms.CallForm(initial={"called_on": actions.today()}) if is_lawyer and reported else None,
        "appeal_form": forms.AppealForm(departments=_departments(user)) if staff and reported else None,
        "reported": reported,
    }
    return render(request, "legal/checkup_detail.html", context)


def _departments(user):
    from qinqing.orgs.models import Organization

    return Organization.objects.filter(kind="department", path__startswith=user.org.path, is_active=True).order_by(
        "path"
    )


@requires(MANAGE)
@require_POST
def checkup_assign(request, pk: int):
    checkup = get_checkup(request.user, pk)
    form = forms.AssignForm(request.POST, lawyers=_lawyer_choices(checkup))
    if not form.is_valid():
        messages.error(request, "；".join(f"{form.fields[f].label}：{e[0]}" for f, e in form.errors.items()))
        return redirect("legal:checkup_detail", pk)
    d = form.cleaned_data
    run(request, None, lambda: actions.assign_checkup(checkup, actor=request.user, lawyer=d["lawyer"],
                                                       visit_on=d["visit_on"]), _("已安排律师并预约走访"))  # fmt: skip
    return redirect("legal:checkup_detail", pk)


@requires(VIEW)
@require_POST
def checkup_cancel(request, pk: int):
    user = request.user
    if not (user.has_perm(MANAGE) or user.has_perm(RESPOND)):
        raise Http404
    checkup = get_checkup(user, pk)
    run(request, None, lambda: actions.cancel_checkup(checkup, actor=user, reason=request.POST.get("reason")),
        _("体检已取消"))  # fmt: skip
    return redirect("legal:checkup_detail", pk)


def _questions(checkup):
    return list(Question.objects.filter(area__version_id=checkup.version_id).select_related("area"))


@requires(RESPOND)
def checkup_selfcheck(request, pk: int):
    checkup = get_checkup(request.user, pk)
    initial = {a.question_id: (a.self_answer, a.self_note) for a in checkup.answers.all()}
    form = forms.AnswersForm(request.POST or None, questions=_questions(checkup), initial_answers=initial)
    if request.method == "POST" and form.is_valid():
        call = lambda: actions.submit_selfcheck(checkup, actor=request.user, answers=form.answers())  # noqa: E731
        done = run(request, form, call, _("自查问卷已提交"))
        if done is not None:
            return redirect("legal:checkup_detail", pk)
    return render(request, "legal/answers_form.html", {"checkup": checkup, "form": form, "side": "self"})


@requires(HANDLE)
def checkup_visit(request, pk: int):
    checkup = get_checkup(request.user, pk)
    initial = {a.question_id: (a.lawyer_answer or a.self_answer, a.lawyer_note) for a in checkup.answers.all()}
    form = forms.VisitForm(request.POST or None, questions=_questions(checkup), initial_answers=initial,
                           initial={"visited_on": checkup.visit_on})  # fmt: skip
    self_answers = {a.question_id: a for a in checkup.answers.all()}
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done = run(request, form, lambda: actions.record_visit(checkup, actor=request.user,
                   visited_on=d["visited_on"], answers=form.answers(), note=d["visit_note"]),
                   _("走访已登记，请填写风险点并出具报告"))  # fmt: skip
        if done is not None:
            return redirect("legal:checkup_report", pk)
    context = {"checkup": checkup, "form": form, "side": "lawyer", "self_answers": self_answers}
    return render(request, "legal/answers_form.html", context)


@requires(HANDLE)
def checkup_report(request, pk: int):
    """The lawyer's report page: add risk points (area, level, facts, recommendation), then issue the report."""
    checkup = get_checkup(request.user, pk)
    areas = list(checkup.version.areas.all())
    form = forms.RiskForm(request.POST or None, areas=areas)
    if request.method == "POST" and form.is_valid():
        done = run(request, form, lambda: actions.add_risk(checkup, actor=request.user, data=form.cleaned_data),
                   _("风险点已添加"))  # fmt: skip
        if done is not None:
            return redirect("legal:checkup_report", pk)
    context = {"checkup": checkup, "form": form, "risks": checkup.risks.select_related("area"),
               "issue_form": forms.IssueForm(initial={"report_summary": checkup.report_summary})}  # fmt: skip
    return render(request, "legal/report_form.html", context)


@requires(HANDLE)
def risk_edit(request, pk: int):
    """The lawyer corrects a risk point (area, level, facts, recommendation) until the report is issued."""
    risk = get_risk(request.user, pk)
    checkup = risk.checkup
    initial = {"area": risk.area_id, "level": risk.level, "facts": risk.facts, "recommendation": risk.recommendation}
    form = forms.RiskForm(request.POST or None, areas=list(checkup.version.areas.all()), initial=initial)
    if request.method == "POST" and form.is_valid():
        done = run(request, form, lambda: actions.update_risk(risk, actor=request.user, data=form.cleaned_data),
                   _("风险点已修改"))  # fmt: skip
        if done is not None:
            return redirect("legal:checkup_report", checkup.pk)
    title = _("修改风险点 · %(number)s") % {"number": checkup.number}
    return render(request, "legal/simple_form.html", {"form": form, "title": title})


@requires(HANDLE)
@require_POST
def risk_delete(request, pk: int):
    risk = get_risk(request.user, pk)
    run(request, None, lambda: actions.delete_risk(risk, actor=request.user), _("风险点已删除"))
    return redirect("legal:checkup_report", risk.checkup_id)


@requires(HANDLE)
@require_POST
def report_issue(request, pk: int):
    checkup = get_checkup(request.user, pk)
    done = run(request, None, lambda: actions.issue_report(checkup, actor=request.user,
               summary=request.POST.get("report_summary")), _("法律风险评估报告已出具"))  # fmt: skip
    return redirect("legal:checkup_detail" if done is not None else "legal:checkup_report", pk)


def _download(request, pk: int, ext: str):
    checkup = get_checkup(request.user, pk)
    if checkup.report_on is None:
        raise Http404
    return exports.download(checkup, ext, actor=request.user)


@requires(VIEW)
def report_pdf(request, pk: int):
    return _download(request, pk, "pdf")


@requires(VIEW)
def report_docx(request, pk: int):
    return _download(request, pk, "docx")


@requires(RESPOND)
@require_POST
def checkup_follow(request, pk: int):
    """The enterprise's 整改 feedback on each recommendation (only the rows whose status was chosen)."""
    checkup = get_checkup(request.user, pk)
    items = {}
    for risk in checkup.risks.all():
        status = request.POST.get(f"status_{risk.pk}")
        if status:
            items[risk.pk] = (status, request.POST.get(f"reason_{risk.pk}", ""))
    run(request, None, lambda: actions.follow_risks(checkup, actor=request.user, items=items),
        _("整改情况已反馈"))  # fmt: skip
    return redirect("legal:checkup_detail", pk)


@requires(HANDLE)
@require_POST
def followup_call(request, pk: int):
    checkup = get_checkup(request.user, pk)
    form = forms.CallForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(f"{form.fields[f].label}：{e[0]}" for f, e in form.errors.items()))
        return redirect("legal:checkup_detail", pk)
    d = form.cleaned_data
    run(request, None, lambda: actions.record_call(checkup, actor=request.user, called_on=d["called_on"],
                                                    summary=d["summary"]), _("回访已登记"))  # fmt: skip
    return redirect("legal:checkup_detail", pk)


@requires(MANAGE)
@require_POST
def risk_appeal(request, pk: int):
    risk = get_risk(request.user, pk)
    appeal = run(request, None, lambda: actions.risk_to_appeal(risk, actor=request.user,
                 department=request.POST.get("department")), _("已转为诉求并交办"))  # fmt: skip
    if appeal is not None:
        messages.info(request, _("诉求编号：%(number)s") % {"number": appeal.number})
    return redirect("legal:checkup_detail", risk.checkup_id)
