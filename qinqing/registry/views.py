"""Registry pages: thin views over permissions (reads), forms (input) and actions (writes)."""

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from qinqing.core.models import AuditEntry
from qinqing.core.pagination import CappedPaginator
from qinqing.core.permissions import requires

from . import actions, membership, permissions, statistics
from .exporting import EXPORTS, template_rows, write_csv, write_xlsx
from .filters import EnterpriseFilter, MemberFilter
from .forms import (
    AddMemberForm,
    ContactForm,
    CreateEnterpriseForm,
    EditMemberForm,
    EnterpriseForm,
    ImportForm,
    SelfServiceForm,
    YearFiguresForm,
)
from .importing.history import import_history_for
from .importing.runner import TITLES
from .masking import masked_id, masked_mobile
from .models import Enterprise
from .standards import uscc
from .tasks import errors_path

PAGE_SIZE = 30


def _done(request, url: str):
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _form(request, form, title: str, **extra):
    """An edit screen; an HTMX request (a failed POST) gets just the form back, in place."""
    template = "registry/partials/_form.html" if request.htmx else "registry/form.html"
    return render(request, template, {"form": form, "title": title, **extra})


def _save(request, form, title: str, write, done: str, url: str):
    """Bind, validate, run one action; show its errors next to the fields they name."""
    if request.method == "POST" and form.is_valid():
        try:
            write(form.cleaned_data)
        except ValidationError as exc:
            form.apply(exc)
        else:
            messages.success(request, done)
            return _done(request, url)
    return _form(request, form, title)


def _post_only(request) -> HttpResponseNotAllowed | None:
    """Removals and reveals change or disclose data: POST only. Checked after the object lookup, so another
    node's object answers 404 whatever the method."""
    return None if request.method == "POST" else HttpResponseNotAllowed(["POST"])


def _page(request, queryset):
    return CappedPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _export(request, kind: str, queryset, stem: str):
    if not request.user.has_perm("registry.export_registry"):
        raise PermissionDenied
    columns, rows = EXPORTS[kind]
    fmt = "csv" if request.GET.get("export") == "csv" else "xlsx"
    filters = request.GET.copy()
    filters.pop("export", None)
    actions.record_export(actor=request.user, kind=kind, rows=queryset.count(), fmt=fmt, filters=filters.urlencode())
    stamp = timezone.localdate().strftime("%Y%m%d")
    if fmt == "csv":
        out = io.StringIO()
        write_csv(columns, rows(queryset, request.user), out)
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(True, f"{stem}-{stamp}.csv")
        return response
    buffer = io.BytesIO()
    write_xlsx(columns, rows(queryset, request.user), buffer)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=f"{stem}-{stamp}.xlsx")


HISTORY_ROWS = 50


def _history(obj):
    return AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).order_by("-id")[
        :HISTORY_ROWS
    ]


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


# --- overview -----------------------------------------------------------------------------------


@requires("registry.view_statistics")
def overview(request):
    year = statistics.report_year(request.GET.get("year"), timezone.localdate())
    members = permissions.visible_members(request.user)
    chambers = permissions.visible_chambers(request.user)
    stats = statistics.overview(members, chambers, year)
    due = statistics.term_due(chambers, timezone.localdate()).count()
    return render(request, "registry/overview.html", {"stats": stats, "year": year, "term_due_count": due})


# --- enterprises --------------------------------------------------------------------------------


@requires("registry.view_enterprise")
def enterprise_list(request):
    qs = permissions.visible_enterprises(request.user).select_related("fic")
    filterset = EnterpriseFilter(request.GET, queryset=qs)
    if request.GET.get("export"):
        return _export(request, "enterprises", filterset.qs, _("企业名录"))
    page = _page(request, filterset.qs)
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


def _code_note(request, typed: str, stored: str) -> None:
    """Say how a typed credit code was normalised (lower case, full width, spaces), as the import preview does."""
    notes = uscc.normalize(typed)[1]
    if notes:
        messages.info(
            request, _("统一社会信用代码：%(notes)s，已保存为 %(code)s") % {"notes": "，".join(notes), "code": stored}
        )


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


# --- contacts -----------------------------------------------------------------------------------


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


# --- members ------------------------------------------------------------------------------------


@requires("registry.view_member")
def member_list(request):
    qs = permissions.visible_members(request.user).select_related("organization", "enterprise", "group")
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


# --- import -------------------------------------------------------------------------------------


@requires("registry.import_registry")
def import_start(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = actions.start_import(actor=request.user, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"])
        return _done(request, f"/registry/import/{job.pk}/")
    jobs = permissions.visible_import_jobs(request.user)[:10]
    return render(request, "registry/import_start.html", {"form": form, "jobs": jobs})


@requires("registry.import_registry")
def import_job(request, pk: int):
    job = permissions.get_import_job(request.user, pk)
    if request.method == "POST":
        decision = request.POST.get("decision")
        if (
            not job.finished
            or job.kind != "registry.import_preview"
            or job.result.get("refused")
            or job.result.get("fatal")
        ):
            raise Http404
        if decision == "refuse":
            actions.refuse_import(job, actor=request.user)
            messages.info(request, _("已拒绝整个文件"))
            return _done(request, f"/registry/import/{job.pk}/")
        if decision == "commit":
            commit = actions.start_import(
                actor=request.user,
                kind=job.params["kind"],
                stored_name=job.params["stored_name"],
                filename=job.params["filename"],
                dry_run=False,
            )
            return _done(request, f"/registry/import/{commit.pk}/")
        raise Http404
    template = "registry/partials/_import_result.html" if request.htmx else "registry/import_job.html"
    return render(request, template, {"job": job, "r": job.result})


@requires("registry.import_registry")
def import_errors(request, pk: int):
    job = permissions.get_import_job(request.user, pk)
    path = errors_path(job.pk)
    if not path.exists():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=_("导入错误-%(id)s.csv") % {"id": job.pk})


@requires("registry.import_registry")
def import_template(request, kind: str):
    if kind not in EXPORTS:
        raise Http404
    columns, _rows = EXPORTS[kind]
    buffer = io.BytesIO()
    write_xlsx(columns, template_rows(columns), buffer, example=True)
    buffer.seek(0)
    name = _("%(title)s导入模板.xlsx") % {"title": TITLES[kind]}
    return FileResponse(buffer, as_attachment=True, filename=name)
