"""Core pages: home, health check, the audit log (审计管理员 only), background-job progress."""

import io

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from . import audit
from .audit_display import present
from .cellsafety import csv_writer
from .forms import AuditSearchForm
from .home import cached_cards
from .models import Job
from .pagination import CappedPaginator
from .permissions import AUTHENTICATED, public, requires, visible_audit_entries


def _api_error(request, status: int, detail: str, template: str, *, with_request: bool = True):
    """Errors Django itself answers (no route, a permission or server error outside DRF): JSON under /api/."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False})
    if not with_request:  # a server error page must not depend on what may have failed (database, context)
        return HttpResponse(loader.get_template(template).render(), status=status)
    return render(request, template, status=status)


def page_not_found(request, exception=None):
    return _api_error(request, 404, _("接口不存在或对象不在您的管辖范围内"), "404.html")


def permission_denied(request, exception=None):
    return _api_error(request, 403, _("您的账号没有执行此操作的权限"), "403.html")


def server_error(request):
    return _api_error(request, 500, _("服务器内部错误"), "500.html", with_request=False)


@public
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


@requires(AUTHENTICATED)
def home(request):
    return render(request, "core/home.html", {"cards": cached_cards(request.user)["domain"]})


@requires("core.view_auditentry")
def audit_log(request):
    form = AuditSearchForm(request.GET)
    entries = visible_audit_entries(request.user)
    entries = form.filter(entries) if form.is_valid() else entries.none()
    page = CappedPaginator(entries.order_by("-id"), 50).get_page(request.GET.get("page"))
    template = "core/partials/_audit_rows.html" if request.htmx else "core/audit_log.html"
    context = {"page": page, "rows": present(page.object_list), "form": form, "q": request.GET.get("q", "")}
    # Reading the log is itself audited (issue 11 §4), with the filters used (after the rows are read).
    audit.record("core.view_audit_log", actor=request.user, message=request.GET.urlencode()[:500])
    return render(request, template, context)


AUDIT_EXPORT_LIMIT = 100_000
AUDIT_EXPORT_COLUMNS = ("id", "created_at", "actor_name", "org_path", "ip", "request_id", "action")
AUDIT_EXPORT_MORE = ("object_type", "object_id", "object_repr", "success", "message", "hash")


@requires("core.view_auditentry")
def audit_export(request):
    """The filtered log as CSV (at most AUDIT_EXPORT_LIMIT rows, newest first); the export is audited."""
    form = AuditSearchForm(request.GET)
    entries = visible_audit_entries(request.user)
    entries = form.filter(entries) if form.is_valid() else entries.none()
    names = (*AUDIT_EXPORT_COLUMNS, *AUDIT_EXPORT_MORE)
    rows = list(entries.order_by("-id").values_list(*names)[:AUDIT_EXPORT_LIMIT])
    audit.record(
        "core.export_audit_log",
        actor=request.user,
        after={"rows": len(rows), "filters": request.GET.urlencode()[:500]},
    )
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    head = [_("编号"), _("时间"), _("账号"), _("组织路径"), _("来源地址"), _("请求编号"), _("操作")]
    writer.writerow([*head, _("对象类型"), _("对象编号"), _("对象"), _("成功"), _("说明"), _("摘要")])
    writer.writerows(rows)
    response = HttpResponse(buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, _("审计日志.csv"))
    response["X-Content-Type-Options"] = "nosniff"
    return response


def visible_jobs(user):
    return Job.objects.filter(created_by=user)


@requires(AUTHENTICATED)
def job_status(request, pk: int):
    try:
        job = visible_jobs(request.user).get(pk=pk)
    except Job.DoesNotExist:
        raise Http404 from None
    return render(request, "core/partials/_job.html", {"job": job})
