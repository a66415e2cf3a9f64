"""Policy supermarket pages: search, detail, edit with the rule builder, 我的政策, matching, figures."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from qinqing.core.models import Job
from qinqing.core.permissions import requires
from qinqing.eligibility import rules
from qinqing.eligibility.attributes import enterprise_attrs
from qinqing.registry.models import Enterprise

from . import actions, attachments, matching, reasons
from .choices import PublishState
from .figures import policy_figures
from .filters import PolicyFilter
from .forms import AttachmentForm, PolicyForm, SynonymForm
from .labels import value_names
from .models import Policy, PolicyPush, SearchSynonym
from .permissions import (
    BUILD_RULE,
    can_edit,
    editable_policies,
    get_attachment,
    get_editable_attachment,
    get_editable_policy,
    get_matching_policy,
    get_policy,
    matching_policies,
    scope_path,
    visible_policies,
)
from .rule_builder import LEAF_NAME, industry_matches, leaf_view, new_id, parse_rule, region_value, tree_view
from .search import PAGE_COLUMNS, RankedResults, result_rows
from .segment import query_words


def _redirect(request, url):
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@requires("policies.view_policy")
def policy_list(request):
    visible = visible_policies(request.user)
    queryset = PolicyFilter.plain_queryset(request.GET, visible)
    filterset = None  # the partial page of an HTMX search renders no form: no FilterSet made for it
    if queryset is None or not request.htmx:
        filterset = PolicyFilter(request.GET, queryset=visible, request=request)
        queryset = filterset.qs
    q = request.GET.get("q", "").strip()
    words = query_words(q)
    results = RankedResults(queryset, q, columns=PAGE_COLUMNS) if words else queryset.order_by("-published_on", "-id")
    if words:
        words = results.words  # the query's words and their synonyms: every hit is marked
    page = Paginator(results, 20).get_page(request.GET.get("page"))
    rows = result_rows(page.object_list, words)
    context = {
        "filter": filterset,
        "q": q,
        "page": page,
        "rows": rows,
        "can_create": request.user.has_perm("policies.change_policy"),
    }
    template = "policies/partials/_list_rows.html" if request.htmx else "policies/policy_list.html"
    return render(request, template, context)


@requires("policies.view_policy")
def policy_detail(request, pk):
    policy = get_policy(request.user, pk)
    explanation, attrs, applies = None, {}, True
    if request.user.enterprise_id and request.user.has_perm("policies.view_my_policies"):
        enterprise = Enterprise.objects.get(pk=request.user.enterprise_id)
        actions.mark_push_opened(policy, enterprise)
        # Only explain where the policy applies: another region's policy is not "不符合" for this enterprise.
        applies = enterprise.org_path.startswith(policy.org_path)
        if applies:
            attrs = enterprise_attrs(enterprise)
    names = value_names([policy.rule], [attrs])
    if attrs:
        explanation = rules.explain(policy.rule, attrs, names)
    return render(
        request,
        "policies/policy_detail.html",
        {
            "policy": policy,
            "explanation": explanation,
            "applies": applies,
            "rule_tree": rules.describe_tree(policy.rule, names, explanation),
            "has_conditions": bool(rules.leaves(policy.rule or {"op": "all", "items": []})),
            "can_edit": can_edit(request.user, policy),
            "can_see_list": policy.state == PublishState.PUBLISHED
            and matching_policies(request.user).filter(pk=policy.pk).exists(),
            "attachments": policy.attachments.all(),
            "attachment_form": AttachmentForm(),
        },
    )


def _edit(request, policy: Policy | None):
    rule = policy.rule if policy else None
    form = PolicyForm(request.POST or None, instance=policy, user=request.user)
    rule_error = ""
    if request.method == "POST":
        rule = parse_rule(request.POST)
        if form.is_valid():
            data = {**form.cleaned_data, "rule": rule}
            try:
                if policy is None:
                    policy = actions.create_policy(actor=request.user, data=data)
                else:
                    policy = actions.update_policy(policy, actor=request.user, data=data)
            except ValidationError as exc:
                errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
                rule_error = "；".join(errors.pop("rule", []))
                for field, messages_ in errors.items():
                    form.add_error(field if field in form.fields else None, messages_)
            else:
                messages.success(request, _("政策已保存"))
                return _redirect(request, policy_url(policy))
    return render(
        request,
        "policies/policy_form.html",
        {"form": form, "policy": policy, "tree": tree_view(rule, user=request.user), "rule_error": rule_error},
    )


def policy_url(policy: Policy) -> str:
    return reverse("policies:detail", args=[policy.pk])


@requires("policies.change_policy")
def policy_create(request):
    return _edit(request, None)


@requires("policies.change_policy")
def policy_edit(request, pk):
    return _edit(request, get_editable_policy(request.user, pk))


@requires(BUILD_RULE)
def rule_node(request):
    """HTMX: a fresh condition row or group, or a row redrawn after its attribute or operator changed (for every
    form that carries a rule: policies, activity and survey audiences, bank products)."""
    parent = request.GET.get("parent", "")
    path = request.GET.get("path") or (f"{parent}.{new_id()}" if parent else new_id())
    if request.GET.get("kind") == "group":
        node = tree_view({"op": "any", "items": [{"attr": "employees", "op": "ge", "value": ""}]}, path, request.user)
        return render(request, "policies/partials/_rule_group.html", {"node": node})
    name = f"rule-{path}"
    attr = request.GET.get(f"{name}-attr") or request.GET.get("attr") or "region"
    if attr not in rules.ATTRIBUTES:
        raise Http404
    op = request.GET.get(f"{name}-op")
    value: object = ""
    if request.headers.get("HX-Trigger-Name") == f"{name}-op":
        # Only the operator changed: keep the values (a region picked as a prefix or a full code follows it).
        values = [v for v in request.GET.getlist(f"{name}-value") if v.strip()]
        if attr == "region":
            values = list(dict.fromkeys(region_value(v, op or "") for v in values))
        value = values if len(values) > 1 or request.GET.get(f"{name}-multi") else (values[0] if values else "")
    node = leaf_view(path, {"attr": attr, "op": op, "value": value}, request.user, posted=True)
    return render(request, "policies/partials/_rule_leaf.html", {"node": node})


@requires(BUILD_RULE)
def industry_search(request):
    """HTMX: GB/T 4754 entries matching the typed name or code, as check boxes of the condition row ``leaf``
    (the standard's vocabulary only: no enterprise is read)."""
    leaf = request.GET.get("leaf", "")
    if not LEAF_NAME.match(leaf):
        raise Http404
    query = request.GET.get(f"{leaf}-q", "")
    return render(
        request,
        "policies/partials/_industry_results.html",
        {"name": leaf, "matches": industry_matches(query), "query": query},
    )


@require_POST
@requires("policies.change_policy")
def policy_state(request, pk):
    policy = get_editable_policy(request.user, pk)
    try:
        actions.set_policy_state(policy, actor=request.user, state=request.POST.get("state", ""))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("发布状态已更新"))
    return _redirect(request, policy_url(policy))


@require_POST
@requires("policies.change_policy")
def policy_attach(request, pk):
    policy = get_editable_policy(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return _redirect(request, policy_url(policy))
    try:
        actions.add_attachment(
            policy, actor=request.user, name=form.cleaned_data["name"], file=form.cleaned_data["file"]
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("附件已上传"))
    return _redirect(request, policy_url(policy))


@requires("policies.view_policy")
def attachment_download(request, pk, attachment_pk):
    return attachments.download_response(get_attachment(request.user, pk, attachment_pk))


@require_POST
@requires("policies.change_policy")
def attachment_delete(request, pk, attachment_pk):
    attachment = get_editable_attachment(request.user, pk, attachment_pk)
    actions.delete_attachment(attachment, actor=request.user)
    messages.success(request, _("附件已删除"))
    return _redirect(request, policy_url(attachment.policy))


# What 我的政策 reads of each policy (its card, its rule, its scope): the policies of a province's enterprise are
# hundreds, and their full rows (text, summary, search words) cost more to load than the page uses.
MY_POLICY_FIELDS = ("title", "benefit_type", "application_method", "issuer_name", "issuer__name", "rule", "org_path")


@requires("policies.view_my_policies")
def my_policies(request):
    """我的政策: every applicable policy explained for the user's own enterprise."""
    if not request.user.enterprise_id:
        raise Http404
    enterprise = Enterprise.objects.only("name", "org_path").get(pk=request.user.enterprise_id)  # no sealed field
    attrs = enterprise_attrs(enterprise)
    groups: dict[str, list] = {"eligible": [], "near_miss": [], "unknown": [], "not_eligible": []}
    pushed = set(PolicyPush.objects.filter(enterprise=enterprise).values_list("policy_id", flat=True))
    shown = []
    for policy in matching.applicable_policies(enterprise.org_path).select_related("issuer").only(*MY_POLICY_FIELDS):
        if not enterprise.org_path.startswith(policy.org_path):
            continue  # another county's policy
        # The policies not met are only counted on the page: their verdict, without the explanation in words (a
        # fifth to a third of the 380-450 policies of an enterprise in the province bench).
        if rules.verdict(policy.rule, attrs) == "not_eligible":
            groups["not_eligible"].append({"policy": policy, "why": None, "pushed": policy.pk in pushed})
        else:
            shown.append(policy)
    names = value_names([policy.rule for policy in shown], [attrs])
    for policy in shown:
        explanation = rules.explain(policy.rule, attrs, names)
        groups[explanation.verdict].append({"policy": policy, "why": explanation, "pushed": policy.pk in pushed})
    _card_lines(groups)
    return render(request, "policies/my_policies.html", {"enterprise": enterprise, "groups": groups, "attrs": attrs})


def _card_lines(groups: dict[str, list]) -> None:
    """Each shown card's address and reasons as text, the phrases translated and the address reversed once a page
    (the template did both for each of hundreds of cards: a third of the page's time)."""
    detail = reverse("policies:detail", args=[0]).removesuffix("0/")
    met, short, add, none = (
        _("%(text)s（本企业：%(actual)s）"),
        _("还差：%(text)s（本企业：%(actual)s）"),
        _("请补充：%(hint)s"),
        _("无"),
    )
    for verdict, items in groups.items():
        for item in items if verdict != "not_eligible" else ():
            why = item["why"]
            item["url"] = f"{detail}{item['policy'].pk}/"
            if verdict == "eligible":
                item["lines"] = [met % {"text": x.text, "actual": x.actual} for x in why.leaves if x.status == "met"]
            elif verdict == "near_miss":
                item["lines"] = [short % {"text": x.text, "actual": x.actual or none} for x in why.near_miss]
            else:
                item["lines"] = [add % {"hint": hint} for hint in why.missing_data]


@requires("policies.view_matching")
def matching_page(request):
    scope = scope_path(request.user)
    policies = list(matching_policies(request.user).filter(state=PublishState.PUBLISHED).order_by("-id")[:500])
    counts = matching.stored_counts([p.pk for p in policies], scope)
    rows = [{"policy": p, **counts.get(p.pk, {})} for p in policies]
    job = Job.objects.filter(kind="policies.match", org_path=scope).first()
    return render(
        request,
        "policies/matching.html",
        {"rows": rows, "job": job, "scope": scope, "can_run": request.user.has_perm("policies.run_matching")},
    )


@require_POST
@requires("policies.run_matching")
def matching_run(request):
    try:
        actions.start_matching(actor=request.user)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    return _redirect(request, reverse("policies:matching"))


@requires("policies.view_matching")
def matching_detail(request, pk):
    policy = get_matching_policy(request.user, pk)
    scope = scope_path(request.user)
    ids = matching.eligible_ids(policy, scope).to_list()
    enterprises = (
        Enterprise.objects.filter(pk__in=ids, org_path__startswith=scope).select_related("fic").order_by("name")
    )
    if request.GET.get("export") == "xlsx":
        return actions.export_eligible(policy, enterprises, actor=request.user)
    pushed = PolicyPush.objects.filter(policy=policy, org_path__startswith=scope)
    page = Paginator(enterprises, 50).get_page(request.GET.get("page"))
    near_total, near = None, []
    if request.GET.get("tab") == "near":  # one pass over the scope's enterprises: only when asked for
        near_total, misses = reasons.near_misses(policy, scope)
        firms = Enterprise.objects.select_related("fic").in_bulk([m.enterprise_id for m in misses])
        near = [{"firm": firms[m.enterprise_id], "missing": m.missing} for m in misses if m.enterprise_id in firms]
    why = reasons.qualifying(policy, [firm.pk for firm in page.object_list], scope)
    return render(
        request,
        "policies/matching_detail.html",
        {
            "policy": policy,
            "page": page,
            "rows": [{"firm": firm, "met": why.get(firm.pk, [])} for firm in page.object_list],
            "tab": "near" if near_total is not None else "eligible",
            "near": near,
            "near_total": near_total,
            "pushed": pushed.count(),
            "opened": pushed.filter(opened_at__isnull=False).count(),
            "can_push": request.user.has_perm("policies.push_policy"),
        },
    )


@require_POST
@requires("policies.push_policy")
def matching_push(request, pk):
    policy = get_matching_policy(request.user, pk)
    count = actions.push_policy(policy, actor=request.user)
    messages.success(request, _("已向 %(count)s 家企业推送（已推送过的企业不再重复推送）") % {"count": count})
    return _redirect(request, reverse("policies:matching_detail", args=[policy.pk]))


@requires("policies.view_figures")
def figures(request):
    data = policy_figures(request.user)
    by_status = [(row["label"], row["count"]) for row in data["by_status"]]
    benefit_rows = [(row["label"], row["count"]) for row in data["by_benefit"]]
    stats = {"sent": data["pushes_sent"], "opened": data["pushes_opened"], "reached": data["enterprises_reached"]}
    return render(
        request,
        "policies/figures.html",
        {
            "by_status": by_status,
            "benefit_rows": benefit_rows,
            "stats": stats,
            "chart": {"status": by_status, "benefit": benefit_rows},
            "editable": editable_policies(request.user).count(),
        },
    )


@requires("policies.manage_synonyms")
def synonym_list(request):
    """检索同义词: the table both search engines expand queries with; add, change or delete a row."""
    editing = None
    if request.GET.get("edit"):
        editing = (
            SearchSynonym.objects.filter(pk=request.GET["edit"]).first() if request.GET["edit"].isdigit() else None
        )
        if editing is None:
            raise Http404
    form = SynonymForm(
        request.POST or None, initial={"term": editing.term, "synonyms": editing.synonyms} if editing else None
    )
    if request.method == "POST":
        if request.POST.get("id"):
            editing = (
                SearchSynonym.objects.filter(pk=request.POST["id"]).first() if request.POST["id"].isdigit() else None
            )
            if editing is None:
                raise Http404
        if form.is_valid():
            try:
                actions.save_synonym(
                    editing, actor=request.user, term=form.cleaned_data["term"], words=form.cleaned_data["synonyms"]
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("检索同义词已保存，下一次搜索即生效"))
                return _redirect(request, reverse("policies:synonyms"))
    return render(
        request,
        "policies/synonyms.html",
        {"rows": SearchSynonym.objects.all(), "form": form, "editing": editing},
    )


@require_POST
@requires("policies.manage_synonyms")
def synonym_delete(request, pk):
    synonym = SearchSynonym.objects.filter(pk=pk).first()
    if synonym is None:
        raise Http404
    actions.delete_synonym(synonym, actor=request.user)
    messages.success(request, _("已删除检索词“%(term)s”") % {"term": synonym.term})
    return _redirect(request, reverse("policies:synonyms"))
