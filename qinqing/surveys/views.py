"""Survey pages: staff build, run and read surveys; enterprises answer them (phone-first). Views are thin:
scoped reads from permissions, one action per POST."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from qinqing.core import audit
from qinqing.core.errors import Refused
from qinqing.core.pagination import CappedPaginator
from qinqing.core.permissions import AUTHENTICATED, public, requires
from qinqing.core.roles import Role
from qinqing.eligibility import rules

from . import actions, exports, forms, importing, results
from .answers import clean
from .choices import DIMENSIONS, Audience, Kind, Status
from .models import Response, SurveyTarget
from .permissions import (
    ANSWER,
    MANAGE,
    VIEW,
    answerable,
    get_by_link,
    get_managed,
    get_public,
    get_survey,
    visible_surveys,
)
from .structure import items

XLSX = exports.XLSX


@requires(AUTHENTICATED)
def survey_list(request):
    user = request.user
    if not (user.has_perm(VIEW) or user.has_perm(ANSWER)):
        raise Http404
    qs = (
        visible_surveys(user)
        .select_related("fic")
        .annotate(n=Count("responses", distinct=True))
        .order_by("-created_at", "-id")
    )
    status = request.GET.get("status") or ""
    if status in Status.values:
        qs = qs.filter(status=status)
    page = CappedPaginator(qs, 30).get_page(request.GET.get("page"))
    answered = set()
    if user.role == Role.ENTERPRISE:
        answered = {s.pk for s in page if actions.respondent_ids(s, [user.enterprise_id])}
    return render(request, "surveys/survey_list.html",
                  {"page": page, "statuses": Status.choices, "status": status, "answered": answered})  # fmt: skip


@requires(MANAGE)
def survey_new(request):
    form = forms.SurveyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            survey = actions.create_survey(
                actor=request.user, data=form.data_for_action(), template=form.cleaned_data["template"]
            )
        except ValidationError as exc:
            forms.apply_errors(form, exc)
        else:
            messages.success(request, _("问卷已创建，请添加题目"))
            return redirect("surveys:builder", survey.pk)
    return render(request, "surveys/survey_form.html", {"form": form, "survey": None})


@requires(MANAGE)
def survey_edit(request, pk: int):
    survey = get_managed(request.user, pk)
    form = forms.SurveyForm(
        request.POST or None,
        creating=False,
        initial=forms.SurveyForm.initial_for(survey),
        user=request.user,
        fixed=survey.status != Status.DRAFT,
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_survey(survey, actor=request.user, data=form.data_for_action())
        except ValidationError as exc:
            forms.apply_errors(form, exc)
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("surveys:detail", survey.pk)
    rule_tree = None
    if form.fixed and survey.audience == Audience.RULE and rules.leaves(survey.rule or {}):
        from qinqing.policies.labels import value_names

        rule_tree = rules.describe_tree(survey.rule, value_names([survey.rule]))
    return render(request, "surveys/survey_form.html", {"form": form, "survey": survey, "rule_tree": rule_tree})


def progress(survey) -> list[dict]:
    """Targets and responses by region (respondents: receipts for anonymous surveys, never response rows)."""
    from qinqing.registry.templatetags.registry_names import region_names

    targets = dict(SurveyTarget.objects.filter(survey=survey).values("region_code").annotate(n=Count("pk"))
                   .values_list("region_code", "n"))  # fmt: skip
    answered = dict(
        Response.objects.filter(survey=survey, targeted=True).values("region_code").annotate(n=Count("pk"))
        .values_list("region_code", "n")
    )  # fmt: skip
    names = region_names(list(targets))
    rows = []
    for code, n in sorted(targets.items()):
        done = answered.get(code, 0)
        suppressed = survey.anonymous and 0 < done < results.MIN_GROUP
        rows.append({"code": code, "name": names.get(code, code or _("未填")), "targets": n,
                     "answered": None if suppressed else done,
                     "rate": None if suppressed else round(100 * done / n, 1) if n else 0})  # fmt: skip
    return rows


@requires(VIEW)
def survey_detail(request, pk: int):
    survey = get_survey(request.user, pk)
    context = {
        "survey": survey,
        "items": items(survey.structure),
        "progress": progress(survey),
        "responses": Response.objects.filter(survey=survey).count(),
        "targets": SurveyTarget.objects.filter(survey=survey).count(),
        "can_manage": request.user.has_perm(MANAGE),
        "link": request.build_absolute_uri(f"/surveys/link/{survey.link_token}/") if survey.link_token else "",
        "public_link": request.build_absolute_uri(f"/surveys/public/{survey.link_token}/")
        if survey.link_token and survey.anonymous
        else "",
    }
    return render(request, "surveys/survey_detail.html", context)


@requires(MANAGE)
def builder(request, pk: int):
    survey = get_managed(request.user, pk)
    form = forms.QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_question(survey, actor=request.user, section=form.cleaned_data["section"],
                                 question=form.question())  # fmt: skip
        except ValidationError as exc:
            forms.apply_errors(form, exc)
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("题目已添加"))
            return redirect("surveys:builder", survey.pk)
    return render(request, "surveys/builder.html", {"survey": survey, "form": form, "kinds": Kind})


@requires(MANAGE)
def question_remove(request, pk: int, code: str):
    survey = get_managed(request.user, pk)
    if request.method != "POST":  # looked up first: an object outside the user's scope answers 404 on any method
        return HttpResponseNotAllowed(["POST"])
    try:
        actions.remove_question(survey, actor=request.user, code=code)
    except (ValidationError, Refused) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
    return redirect("surveys:builder", survey.pk)


def _verb(request, pk: int, verb, done: str):
    survey = get_managed(request.user, pk)
    if request.method != "POST":  # looked up first: an object outside the user's scope answers 404 on any method
        return HttpResponseNotAllowed(["POST"])
    try:
        outcome = verb(survey, actor=request.user)
    except (ValidationError, Refused) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, done % {"n": outcome if isinstance(outcome, int) else ""})
    return redirect("surveys:detail", survey.pk)


@requires(MANAGE)
def survey_open(request, pk: int):
    return _verb(request, pk, actions.open_survey, _("问卷已发布"))


@requires(MANAGE)
def survey_close(request, pk: int):
    return _verb(request, pk, actions.close_survey, _("问卷已结束"))


@requires(MANAGE)
def survey_remind(request, pk: int):
    return _verb(request, pk, actions.remind, _("已提醒 %(n)s 家未填写的企业"))


@requires(VIEW)
def survey_results(request, pk: int):
    survey = get_survey(request.user, pk)
    frame = results.read(survey)
    computed = results.compute(survey, frame)
    coded = [i for i in items(survey.structure) if i.kind in (Kind.SINGLE, Kind.SCALE)]
    code = request.GET.get("item") or (coded[0].code if coded else "")
    dimension = request.GET.get("by") or "region"
    table = None
    if code and dimension in DIMENSIONS and not computed.suppressed:
        try:
            table = results.crosstab(survey, code, dimension, frame)
        except KeyError:
            table = None
    scores = (
        results.score_table(survey, frame) if any(i.environment for i in coded) and not computed.suppressed else None
    )
    charts = {r.item.code: r.chart for r in computed.items if r.options}
    context = {"survey": survey, "results": computed, "table": table, "coded": coded, "item": code,
               "dimension": dimension, "dimensions": DIMENSIONS.items(), "scores": scores, "charts": charts,
               "min_group": results.MIN_GROUP}  # fmt: skip
    return render(request, "surveys/results.html", context)


@requires(VIEW)
def survey_export(request, pk: int):
    survey = get_survey(request.user, pk)
    body = exports.to_xlsx(survey)
    audit.record("surveys.export", obj=survey, actor=request.user, after={"anonymous": survey.anonymous})
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}.xlsx"'
    return response


@requires(MANAGE)
def survey_import(request, pk: int):
    survey = get_managed(request.user, pk)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = importing.import_responses(survey, form.cleaned_data["file"], actor=request.user)
        if result.ok:
            messages.success(request, _("已导入 %(n)s 份答卷") % {"n": result.done})
            return redirect("surveys:detail", survey.pk)
    return render(request, "surveys/import.html", {"survey": survey, "form": form, "result": result})


@requires(MANAGE)
def import_template(request, pk: int):
    survey = get_managed(request.user, pk)
    response = HttpResponse(importing.template(survey), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-template.xlsx"'
    return response


@requires(VIEW)
def response_list(request, pk: int):
    survey = get_survey(request.user, pk)
    if survey.anonymous:
        raise Http404  # anonymous answers are only ever shown in aggregate
    qs = Response.objects.filter(survey=survey).select_related("enterprise").order_by("-submitted_on", "pk")
    page = CappedPaginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request, "surveys/response_list.html", {"survey": survey, "page": page, "items": items(survey.structure)}
    )


def _raw_from_post(survey, post) -> dict:
    raw = {}
    for item in items(survey.structure):
        if item.kind == Kind.MULTIPLE:
            raw[item.code] = post.getlist(item.code)
        elif item.kind == Kind.RANKING:
            raw[item.code] = [v for v in (post.get(f"{item.code}__{n}") for n in range(1, item.top_n + 1)) if v]
        else:
            raw[item.code] = post.get(item.code, "")
    return raw


def _answer(request, survey):
    user = request.user
    if not answerable(user, survey):
        raise Http404
    from qinqing.registry.models import Enterprise

    enterprise = Enterprise.objects.get(pk=user.enterprise_id)
    existing = actions.own_response(survey, enterprise.pk) if not survey.multiple else None
    given = dict(existing.answers) if existing else {}
    errors: dict = {}
    if request.method == "POST":
        raw = _raw_from_post(survey, request.POST)
        try:
            actions.submit_response(survey, actor=user, enterprise=enterprise, raw=raw)
        except ValidationError as exc:
            errors = {k: v[0] for k, v in exc.message_dict.items()}
            given = clean(items(survey.structure), {k: v for k, v in raw.items() if k not in errors})[0]
        except Refused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("感谢填写！截止前可以随时修改。"))
            return redirect(request.path)
    return render(request, "surveys/answer.html", _answer_context(survey, given, errors, existing))


def _answer_context(survey, given: dict, errors: dict, existing) -> dict:
    fields = []
    for item in items(survey.structure):
        value = given.get(item.code)
        chosen = value if isinstance(value, list) else [value]
        fields.append({"item": item, "value": "" if value is None else value, "chosen": chosen,
                       "error": errors.get(item.code), "ranks": [(n, chosen[n - 1] if n <= len(chosen) else None)
                                                                 for n in range(1, item.top_n + 1)]})  # fmt: skip
    return {
        "survey": survey,
        "fields": fields,
        "existing": existing,
        "editable": survey.status == Status.OPEN,
        "other_errors": [v for k, v in errors.items() if k not in {f["item"].code for f in fields}],
    }


BROWSER_COOKIE = "qq_survey_browser"
BROWSER_SALT = "surveys.public"


@public
def answer_public(request, token: str):
    """The public link of an anonymous open-link survey: answered signed out, one answer per browser (a random
    token in a signed cookie), rate-limited per client address; no enterprise, user or date is kept."""
    import secrets

    from qinqing.accounts.throttles import hit, too_many_page
    from qinqing.core.middleware import client_ip

    survey = get_public(token)
    browser = request.get_signed_cookie(BROWSER_COOKIE, default="", salt=BROWSER_SALT)
    fresh = not browser
    browser = browser or secrets.token_urlsafe(24)
    existing = None if fresh else actions.public_response(survey, browser)
    given = dict(existing.answers) if existing else {}
    errors: dict = {}
    if request.method == "POST":
        wait = hit("survey_public", f"ip:{client_ip(request)}")
        if wait is not None:
            return too_many_page(request, wait)
        raw = _raw_from_post(survey, request.POST)
        try:
            actions.submit_public_response(survey, browser=browser, raw=raw)
        except ValidationError as exc:
            errors = {k: v[0] for k, v in exc.message_dict.items()}
            given = clean(items(survey.structure), {k: v for k, v in raw.items() if k not in errors})[0]
        except Refused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("感谢填写！截止前可以在本浏览器中修改。"))
            response = redirect(request.path)
            _keep_browser(response, browser, survey)
            return response
    response = render(request, "surveys/answer.html", _answer_context(survey, given, errors, existing))
    _keep_browser(response, browser, survey)
    return response


def _keep_browser(response, browser: str, survey) -> None:
    response.set_signed_cookie(BROWSER_COOKIE, browser, salt=BROWSER_SALT, max_age=366 * 86400, httponly=True,
                               samesite="Lax", path="/surveys/public/")  # fmt: skip


@requires(ANSWER)
def answer(request, pk: int):
    return _answer(request, get_survey(request.user, pk))


@requires(ANSWER)
def answer_link(request, token: str):
    return _answer(request, get_by_link(request.user, token))
