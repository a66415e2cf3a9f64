"""Enterprise pages: list, detail with history, create, edit, yearly figures, contacts, reveals."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from qinqing.core.permissions import requires

from .. import actions, membership, permissions
from ..filters import EnterpriseFilter
from ..forms import (
    ContactForm,
    CreateEnterpriseForm,
    EnterpriseForm,
    SelfServiceForm,
    YearFiguresForm,
)
from ..importing.history import import_history_for
from ..masking import masked_id, masked_mobile
from ..models import Enterprise
from ..viewkit import HISTORY_ROWS, _code_note, _done, _export, _form, _history, _page, _post_only, _save


def _enterprise_history(enterprise) -> list:
    """The enterprise's own audit rows and the imports that created or changed it (one batch audit row per
    import batch, read by ``importing.history``), newest first."""
    rows = list(_history(enterprise))
    for change in import_history_for(enterprise):
        columns = "、".join(change.columns)
        job = _("导入任务 #%(id)s") % {"id": change.job_id} if change.job_id else _("命令行导入")
        rows.append(
            {
                "created_at": change.when,
                "actor_name": change.actor,
                "action": _("导入（%(kind)s）") % {"kind": change.kind},
                "before": None,
                "after": f"{columns}（{job}）" if columns else job,
                "job_id": change.job_id,
            }
        )
    rows.sort(key=lambda row: row["created_at"] if isinstance(row, dict) else row.created_at, reverse=True)
    return rows[:HISTORY_ROWS]


def _rows_by_ids(page, queryset):
    """The page's ids first, then those rows. The ids come from the (org_path, name) index alone (on PostgreSQL it
    carries credit_code and id: migration 0014), so a name search skips non-matching enterprises without reading
    their ~900-byte rows; the rows query fetches only the page's (by primary key, in the same scope)."""
    ids = list(page.object_list.values_list("pk", flat=True))
    rows = queryset.in_bulk(ids)
    page.object_list = [rows[pk] for pk in ids if pk in rows]
    return page


@requires("registry.view_enterprise")
def enterprise_list(request):
    # By FIC node, then name: the order of the (org_path, name) index, which answers a scope of one node (a
    # county) or of several (permissions.visible_enterprises) without reading the other nodes' enterprises.
    qs = permissions.visible_enterprises(request.user).select_related("fic").order_by("org_path", "name")
    filterset = EnterpriseFilter(request.GET, queryset=qs)
    if request.GET.get("export"):
        return _export(request, "enterprises", filterset.qs, _("企业名录"))
    searched = bool(request.GET.get("q", "").strip())  # as EnterpriseFilter.search reads it
    page = _rows_by_ids(_page(request, filterset.qs, searched=searched), filterset.qs)
    template = "registry/partials/_enterprise_rows.html" if request.htmx else "registry/enterprise_list.html"
    return render(request, template, {"filter": filterset, "page": page})


@requires("registry.view_enterprise")
def enterprise_detail(request, pk: int):
    enterprise = permissions.get_enterprise(request.user, pk)
    user = request.user
    memberships = permissions.visible_members(user).filter(enterprise=enterprise).select_related("organization")
    contacts = [
        {"c": c, "mobile": masked_mobile(c.mobile), "id_number": masked_id(c.id_number)}
        for c in enterprise.contacts.all()
    ]
    return render(
        request,
        "registry/enterprise_detail.html",
        {
            "e": enterprise,
            "id_number": masked_id(enterprise.legal_rep_id_number),
            "contact_mobile": masked_mobile(enterprise.contact_mobile),
            "figures": enterprise.year_figures.all(),
            "contacts": contacts,
            "memberships": memberships,
            "standing": membership.standing(enterprise.pk),
            "size_from_years": bool(enterprise.size_class)
            and any(getattr(enterprise, name) is None for name in actions.SIZE_FIGURES),
            "history": _enterprise_history(enterprise),
            "can_edit": permissions.can_edit_enterprise(user, enterprise),
            "can_see_pii": permissions.can_see_pii(user),
            "figures_form": YearFiguresForm(),
        },
    )


@requires("registry.change_enterprise")
def enterprise_create(request):
    form = CreateEnterpriseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            enterprise = actions.create_enterprise(
                actor=request.user,
                fic=request.user.org,
                credit_code=data.pop("credit_code"),
                name=data.pop("name"),
                **data,
            )
        except ValidationError as exc:
            form.apply(exc)
        else:
            messages.success(request, _("已登记企业"))
            _code_note(request, request.POST.get("credit_code", ""), enterprise.credit_code)
            return _done(request, f"/registry/enterprises/{enterprise.pk}/")
    return _form(request, form, _("登记企业"))


@requires("registry.view_enterprise")
def enterprise_edit(request, pk: int):
    enterprise = permissions.get_enterprise(request.user, pk)
    if not permissions.can_edit_enterprise(request.user, enterprise):
        raise Http404
    form_class = EnterpriseForm if request.user.has_perm("registry.change_enterprise") else SelfServiceForm
    form = form_class(request.POST or None, instance=Enterprise.objects.get(pk=enterprise.pk))
    return _save(
        request,
        form,
        _("修改：%(name)s") % {"name": enterprise.name},
        lambda _data: actions.update_enterprise(enterprise, actor=request.user, **form.changes()),
        _("已保存"),
        f"/registry/enterprises/{enterprise.pk}/",
    )


@requires("registry.view_enterprise")
def enterprise_figures(request, pk: int):
    enterprise = permissions.get_enterprise(request.user, pk)
    if request.method != "POST" or not permissions.can_edit_enterprise(request.user, enterprise):
        raise Http404
    form = YearFiguresForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        actions.record_year_figures(enterprise, data.pop("year"), actor=request.user, **data)
        messages.success(request, _("已保存年度数据"))
        return _done(request, f"/registry/enterprises/{enterprise.pk}/")
    return _form(request, form, _("年度数据：%(name)s") % {"name": enterprise.name})


def _editable_figures(request, pk: int):
    row = permissions.get_year_figures(request.user, pk)
    if not permissions.can_edit_enterprise(request.user, row.enterprise):
        raise Http404
    return row


@requires("registry.view_enterprise")
def figures_edit(request, pk: int):
    """Correct one year's figures; the year itself stays (a different year is a new row)."""
    row = _editable_figures(request, pk)
    enterprise = row.enterprise
    form = YearFiguresForm(request.POST or None, instance=row)
    form.fields["year"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in actions.FIGURE_FIELDS}
        actions.record_year_figures(enterprise, row.year, actor=request.user, **data)
        messages.success(request, _("已保存%(year)s年度数据") % {"year": row.year})
        return _done(request, f"/registry/enterprises/{enterprise.pk}/")
    return _form(request, form, _("修改%(year)s年度数据：%(name)s") % {"year": row.year, "name": enterprise.name})


@requires("registry.view_enterprise")
def figures_remove(request, pk: int):
    row = _editable_figures(request, pk)
    if refused := _post_only(request):
        return refused
    actions.remove_year_figures(row, actor=request.user)
    messages.success(request, _("已删除%(year)s年度数据") % {"year": row.year})
    return _done(request, f"/registry/enterprises/{row.enterprise_id}/")


def _editable_contact(request, pk: int):
    contact = permissions.get_contact(request.user, pk)
    if not permissions.can_edit_enterprise(request.user, contact.enterprise):
        raise Http404
    return contact


@requires("registry.view_enterprise")
def contact_add(request, pk: int):
    enterprise = permissions.get_enterprise(request.user, pk)
    if not permissions.can_edit_enterprise(request.user, enterprise):
        raise Http404
    return _save(
        request,
        ContactForm(request.POST or None),
        _("添加联系人：%(name)s") % {"name": enterprise.name},
        lambda data: actions.add_contact(enterprise, actor=request.user, **data),
        _("已添加联系人"),
        f"/registry/enterprises/{enterprise.pk}/",
    )


@requires("registry.view_enterprise")
def contact_edit(request, pk: int):
    contact = _editable_contact(request, pk)
    form = ContactForm(request.POST or None, instance=contact)
    return _save(
        request,
        form,
        _("修改联系人：%(name)s") % {"name": contact.name},
        lambda _data: actions.update_contact(contact, actor=request.user, **form.changes()),
        _("已保存联系人"),
        f"/registry/enterprises/{contact.enterprise_id}/",
    )


@requires("registry.view_enterprise")
def contact_remove(request, pk: int):
    contact = _editable_contact(request, pk)
    if refused := _post_only(request):
        return refused
    actions.remove_contact(contact, actor=request.user)
    messages.success(request, _("已删除联系人%(name)s") % {"name": contact.name})
    return _done(request, f"/registry/enterprises/{contact.enterprise_id}/")


@requires("registry.view_pii")
def contact_reveal(request, pk: int, field: str):
    """Show one contact's full number (audited), as a small fragment for HTMX."""
    if field not in ("mobile", "id_number"):
        raise Http404
    contact = permissions.get_contact(request.user, pk)
    if refused := _post_only(request):
        return refused
    return HttpResponse(actions.reveal_pii(contact, field, actor=request.user))


@requires("registry.view_pii")
def reveal(request, pk: int, field: str):
    """POST: show one full number (audited). Answers a small HTML fragment for HTMX."""
    if request.method != "POST" or field not in ("legal_rep_id_number", "contact_mobile"):
        raise Http404
    enterprise = permissions.get_enterprise(request.user, pk)
    return HttpResponse(actions.reveal_pii(enterprise, field, actor=request.user))
