"""What the registry's pages share: form screens, HTMX-aware saves, paging, audited exports, history."""

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from qinqing.core.models import AuditEntry
from qinqing.core.pagination import CappedPaginator, SearchPaginator

from . import actions
from .exporting import EXPORTS, write_csv, write_xlsx
from .standards import uscc

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


def _page(request, queryset, searched: bool = False):
    """A list's page; a searched list (``q``) counts at most SearchPaginator.CAP matches and says so."""
    paginator = SearchPaginator if searched else CappedPaginator
    return paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


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


def _code_note(request, typed: str, stored: str) -> None:
    """Say how a typed credit code was normalised (lower case, full width, spaces), as the import preview does."""
    notes = uscc.normalize(typed)[1]
    if notes:
        messages.info(
            request, _("统一社会信用代码：%(notes)s，已保存为 %(code)s") % {"notes": "，".join(notes), "code": stored}
        )
