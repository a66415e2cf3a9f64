"""Pages for the work around the check-ups: rounds planned by FIC staff, the 万所联万会 links, legal talks and
the versioned questionnaire."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qinqing.core.pagination import CappedPaginator
from qinqing.core.permissions import requires
from qinqing.core.roles import Role
from qinqing.orgs.models import Organization
from qinqing.registry.permissions import visible_enterprises

from . import actions, activity_talks, forms
from .choices import Service
from .models import Question
from .permissions import (
    LINKS,
    MANAGE,
    MANAGE_LINKS,
    QUESTIONNAIRE,
    RECORD_TALKS,
    TALKS,
    VIEW,
    get_link,
    get_round,
    get_talk,
    get_version,
    visible_links,
    visible_rounds,
    visible_talks,
    visible_versions,
)
from .views import run

# --- rounds ----------------------------------------------------------------------------------------


@requires(MANAGE)
def round_list(request):
    qs = visible_rounds(request.user).select_related("fic").order_by("-created_at", "-pk")
    page = CappedPaginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "legal/round_list.html", {"page": page})


@requires(MANAGE)
def round_new(request):
    form = forms.RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        codes = forms.codes(d["credit_codes"])
        found = list(visible_enterprises(request.user).filter(credit_code__in=codes))
        missing = sorted(set(codes) - {e.credit_code for e in found})
        if missing:
            form.add_error(
                "credit_codes", _("未找到或不在您管辖范围内：%(codes)s") % {"codes": "、".join(missing[:10])}
            )
        else:
            rnd = run(request, form, lambda: actions.plan_round(actor=request.user, title=d["title"],
                      enterprises=found, planned_on=d["planned_on"], note=d["note"]),
                      _("体检批次已创建"))  # fmt: skip
            if rnd is not None:
                if rnd.skipped:
                    from django.contrib import messages

                    messages.warning(request, _("以下企业已有进行中的体检，未重复安排：%(names)s")
                                     % {"names": "、".join(rnd.skipped)})  # fmt: skip
                return redirect("legal:round_detail", rnd.pk)
    return render(request, "legal/simple_form.html", {"form": form, "title": _("组织体检批次")})


@requires(MANAGE)
def round_detail(request, pk: int):
    rnd = get_round(request.user, pk)
    checkups = rnd.checkups.select_related("enterprise", "lawyer").order_by("pk")
    return render(request, "legal/round_detail.html", {"round": rnd, "checkups": checkups})


# --- links (万所联万会) -------------------------------------------------------------------------------


@requires(LINKS)
def link_list(request):
    qs = visible_links(request.user).select_related("law_firm", "chamber").prefetch_related("lawyers")
    page = CappedPaginator(qs.order_by("-starts_on", "-pk"), 30).get_page(request.GET.get("page"))
    return render(request, "legal/link_list.html", {"page": page, "today": actions.today(),
                                                    "services": dict(Service.choices)})  # fmt: skip


def _link_form(request, link=None):
    from qinqing.accounts.models import User

    user = request.user
    firms = Organization.objects.filter(kind="lawfirm", is_active=True).order_by("path")
    chambers = Organization.objects.filter(kind="chamber", path__startswith=user.org.path).order_by("path")
    lawyers = User.objects.filter(role=Role.LAWYER, is_active=True).select_related("org").order_by("org__path", "pk")
    initial = None
    if link is not None:
        initial = {"law_firm": link.law_firm_id, "chamber": link.chamber_id, "starts_on": link.starts_on,
                   "ends_on": link.ends_on, "services": link.services, "services_note": link.services_note,
                   "lawyers": [str(u.pk) for u in link.lawyers.all()],
                   **{f"target_{code}": n for code, n in (link.targets or {}).items()}}  # fmt: skip
    choices = [(str(u.pk), f"{u.name}（{u.org.name}）") for u in lawyers[:500]]
    return forms.LinkForm(request.POST or None, initial=initial, firms=firms, chambers=chambers, lawyers=choices)


def _save_link(request, link=None):
    form = _link_form(request, link)
    if request.method == "POST" and form.is_valid():
        saved = run(request, form, lambda: actions.save_link(actor=request.user, data=form.cleaned_data, link=link),
                    _("所会联系已保存"))  # fmt: skip
        if saved is not None:
            return redirect("legal:link_detail", saved.pk)
    title = _("登记所会联系（万所联万会）") if link is None else _("修改所会联系")
    return render(request, "legal/simple_form.html", {"form": form, "title": title})


@requires(MANAGE_LINKS)
def link_new(request):
    return _save_link(request)


@requires(MANAGE_LINKS)
def link_edit(request, pk: int):
    return _save_link(request, get_link(request.user, pk))


def _may_record_service(user, link) -> bool:
    if user.role == Role.LAWYER:
        return user.org_id == link.law_firm_id
    return user.has_perm(MANAGE_LINKS) and link.org_path.startswith(user.org.path)


@requires(LINKS)
def link_detail(request, pk: int):
    """The link with its services promised against delivered, and (lawyer, staff) a service recorded."""
    link = get_link(request.user, pk)
    may_record = _may_record_service(request.user, link)
    form = forms.LinkServiceForm(request.POST or None, initial={"delivered_on": actions.today()})
    if request.method == "POST":
        if not may_record:
            raise Http404
        if form.is_valid():
            done = run(request, form, lambda: actions.record_link_service(link, actor=request.user,
                                                                          data=form.cleaned_data),
                       _("服务记录已登记"))  # fmt: skip
            if done is not None:
                return redirect("legal:link_detail", link.pk)
    labels = dict(Service.choices)
    context = {"link": link, "services": [labels[v] for v in Service.values if v in link.services],
               "lawyers": link.lawyers.all(), "today": actions.today(),
               "delivery": [(labels[line.service], line) for line in actions.link_delivery(link)],
               "form": form if may_record else None,
               "records": link.deliveries.select_related("enterprise", "recorded_by")[:50]}  # fmt: skip
    return render(request, "legal/link_detail.html", context)


# --- talks -----------------------------------------------------------------------------------------


@requires(TALKS)
def talk_list(request):
    qs = visible_talks(request.user).select_related("lawyer", "law_firm", "chamber", "organiser")
    page = CappedPaginator(qs.order_by("-date", "-pk"), 30).get_page(request.GET.get("page"))
    return render(request, "legal/talk_list.html", {"page": page})


@requires(RECORD_TALKS)
def talk_new(request):
    from qinqing.accounts.models import User

    user = request.user
    if user.role == Role.LAWYER:
        linked = visible_links(user).values("chamber_id")
        chambers, lawyers = Organization.objects.filter(pk__in=linked).order_by("path"), None
    else:
        chambers = Organization.objects.filter(kind="chamber", path__startswith=user.org.path).order_by("path")
        rows = User.objects.filter(role=Role.LAWYER, is_active=True).select_related("org").order_by("org__path")[:500]
        lawyers = [(str(u.pk), f"{u.name}（{u.org.name}）") for u in rows]
    scope = user.org.path if user.role != Role.LAWYER else None
    offered = activity_talks.candidates(scope)[:200] if scope else ()
    form = forms.TalkForm(request.POST or None, chambers=chambers, lawyers=lawyers, activities=offered)
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "enterprise_codes": forms.codes(form.cleaned_data["enterprise_codes"])}
        talk = run(request, form, lambda: actions.save_talk(actor=user, data=data), _("法律讲座已登记"))
        if talk is not None:
            return redirect("legal:talk_detail", talk.pk)
    return render(request, "legal/simple_form.html", {"form": form, "title": _("登记法律讲座/培训")})


@requires(TALKS)
def talk_detail(request, pk: int):
    talk = get_talk(request.user, pk)
    return render(request, "legal/talk_detail.html", {"talk": talk, "enterprises": talk.enterprises.all()[:500]})


# --- the questionnaire -----------------------------------------------------------------------------


@requires(VIEW)
def version_list(request):
    versions = visible_versions(request.user)
    form = forms.VersionForm() if request.user.has_perm(QUESTIONNAIRE) else None
    return render(request, "legal/version_list.html", {"versions": versions, "form": form})


@requires(QUESTIONNAIRE)
@require_POST
def version_new(request):
    form = forms.VersionForm(request.POST)
    version = None
    if form.is_valid():
        d = form.cleaned_data
        version = run(request, None, lambda: actions.new_version(actor=request.user, title=d["title"], note=d["note"]),
                      _("已新建问卷草稿（复制自当前版本）"))  # fmt: skip
    return redirect("legal:version_detail", version.pk) if version else redirect("legal:versions")


@requires(VIEW)
def version_detail(request, pk: int):
    version = get_version(request.user, pk)
    areas = list(version.areas.prefetch_related("questions"))
    editable = request.user.has_perm(QUESTIONNAIRE) and version.published_at is None
    context = {"version": version, "areas": areas, "editable": editable,
               "area_form": forms.AreaForm() if editable else None,
               "question_form": forms.QuestionForm(areas=areas) if editable else None}  # fmt: skip
    return render(request, "legal/version_detail.html", context)


@requires(QUESTIONNAIRE)
@require_POST
def version_area(request, pk: int):
    version = get_version(request.user, pk)
    run(request, None, lambda: actions.add_area(version, actor=request.user, code=request.POST.get("code"),
                                                 name=request.POST.get("name")), _("领域已添加"))  # fmt: skip
    return redirect("legal:version_detail", pk)


@requires(QUESTIONNAIRE)
@require_POST
def version_question(request, pk: int):
    version = get_version(request.user, pk)
    run(request, None, lambda: actions.add_question(version, actor=request.user, area=request.POST.get("area"),
        question=request.POST.get("question"), hint=request.POST.get("hint")), _("问题已添加"))  # fmt: skip
    return redirect("legal:version_detail", pk)


@requires(QUESTIONNAIRE)
@require_POST
def question_delete(request, pk: int):
    question = Question.objects.select_related("area__version").filter(pk=pk).first()
    if question is None:
        raise Http404
    run(request, None, lambda: actions.delete_question(question, actor=request.user), _("问题已删除"))
    return redirect("legal:version_detail", question.area.version_id)


@requires(QUESTIONNAIRE)
@require_POST
def version_publish(request, pk: int):
    version = get_version(request.user, pk)
    run(request, None, lambda: actions.publish_version(version, actor=request.user), _("问卷已发布为当前版本"))
    return redirect("legal:version_detail", pk)
