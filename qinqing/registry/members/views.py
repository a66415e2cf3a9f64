"""Member pages: list, detail, reveal, add."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models.functions import Collate
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from qinqing.core.permissions import requires

from .. import actions, permissions
from ..filters import MemberFilter
from ..forms import (
    AddMemberForm,
    EditMemberForm,
)
from ..masking import masked_id, masked_mobile
from ..viewkit import _code_note, _done, _export, _form, _history, _page, _post_only


def in_list_order(qs):
    """The model's order (organisation, newest first) read from the member's own copy of its organisation's
    path (organisations never move, so the two agree), so the database walks the member_scope_order index
    (registry/0010) in list order and joins only the rows shown; ordered through the organisation it joined
    every member in scope to its enterprise before sorting (0.95 s for a county at 3 M enterprises,
    bench/province). On PostgreSQL the index and the order are on the path in the "C" collation: under a
    database's default collation (C.UTF-8 too) the scope's ``LIKE 'path%'`` cannot bound a btree index scan;
    under "C" it becomes a range (paths are ASCII, so the order is the same)."""
    if connection.vendor == "postgresql":
        return qs.alias(list_path=Collate("org_path", "C")).order_by("list_path", "-joined_on", "id")
    return qs.order_by("org_path", "-joined_on", "id")


@requires("registry.view_member")
def member_list(request):
    qs = permissions.visible_members(request.user).select_related("organization", "enterprise", "group")
    qs = in_list_order(qs)
    filterset = MemberFilter(request.GET, queryset=qs)
    if request.GET.get("export"):
        return _export(request, "members", filterset.qs, _("会员名册"))
    page = _page(request, filterset.qs)
    template = "registry/partials/_member_rows.html" if request.htmx else "registry/member_list.html"
    return render(request, template, {"filter": filterset, "page": page})


@requires("registry.view_member")
def member_detail(request, pk: int):
    member = permissions.get_member(request.user, pk)
    can_edit = permissions.can_keep_members(request.user, member.organization)
    form = EditMemberForm(request.POST or None, member=member)
    if request.method == "POST":
        if not can_edit:
            raise Http404
        if form.is_valid():
            try:
                actions.update_member(member, actor=request.user, **form.changes())
            except ValidationError as exc:
                form.apply(exc)
            else:
                messages.success(request, _("已保存"))
                return _done(request, f"/registry/members/{member.pk}/")
    return render(
        request,
        "registry/member_detail.html",
        {
            "m": member,
            "represented": member.represented_count(),
            "form": form if can_edit else None,
            "id_number": masked_id(member.id_number),
            "mobile": masked_mobile(member.mobile),
            "history": _history(member),
            "can_see_pii": permissions.can_see_pii(request.user),
        },
    )


@requires("registry.view_pii")
def member_reveal(request, pk: int, field: str):
    """Show an individual member's full number (audited), as a small fragment for HTMX."""
    if field not in ("mobile", "id_number"):
        raise Http404
    member = permissions.get_member(request.user, pk)
    if refused := _post_only(request):
        return refused
    return HttpResponse(actions.reveal_pii(member, field, actor=request.user))


@requires("registry.view_member")
def member_add(request):
    """Add an enterprise, group or individual member to an organisation the user keeps."""
    orgs = permissions.member_organizations(request.user)
    if not orgs.exists():
        raise Http404
    form = AddMemberForm(request.POST or None, organizations=orgs, groups=permissions.group_chambers(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        org = data["organization"]
        enterprise = None
        if data["kind"] == "enterprise":
            enterprise = permissions.enterprise_for_membership(org, data["credit_code"])
            if enterprise is None:
                form.add_error("credit_code", _("企业统一社会信用代码：未找到该企业（须已登记在本工商联）"))
        if not form.errors:
            try:
                member = actions.add_member(
                    actor=request.user,
                    organization=org,
                    kind=data["kind"],
                    enterprise=enterprise,
                    **form.member_fields(),
                )
            except ValidationError as exc:
                form.apply(exc)
            else:
                messages.success(request, _("已添加会员"))
                if enterprise is not None:
                    _code_note(request, data["credit_code"], enterprise.credit_code)
                return _done(request, f"/registry/members/{member.pk}/")
    return _form(request, form, _("添加会员"))
