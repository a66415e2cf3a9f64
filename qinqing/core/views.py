"""Core pages: home, health check, the audit log (审计管理员 only), background-job progress."""

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import render

from .home import home_cards
from .models import AuditEntry, Job
from .permissions import AUTHENTICATED, public, requires


@public
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


@requires(AUTHENTICATED)
def home(request):
    return render(request, "core/home.html", {"cards": home_cards(request.user)})


@requires("core.view_auditentry")
def audit_log(request):
    entries = AuditEntry.objects.all()
    q = request.GET.get("q", "").strip()
    if q:
        entries = entries.filter(
            Q(actor_name__icontains=q) | Q(object_repr__icontains=q) | Q(action__icontains=q) | Q(request_id=q)
        )
    action = request.GET.get("action", "").strip()
    if action:
        entries = entries.filter(action__startswith=action)
    if request.GET.get("failed") == "1":
        entries = entries.filter(success=False)
    for field, lookup in (("from", "created_at__date__gte"), ("to", "created_at__date__lte")):
        value = request.GET.get(field, "").strip()
        if value:
            entries = entries.filter(**{lookup: value})
    page = Paginator(entries.order_by("-id"), 50).get_page(request.GET.get("page"))
    template = "core/partials/_audit_rows.html" if request.htmx else "core/audit_log.html"
    return render(request, template, {"page": page, "q": q, "action": action})


def visible_jobs(user):
    return Job.objects.filter(created_by=user)


@requires(AUTHENTICATED)
def job_status(request, pk: int):
    try:
        job = visible_jobs(request.user).get(pk=pk)
    except Job.DoesNotExist:
        raise Http404 from None
    return render(request, "core/partials/_job.html", {"job": job})
