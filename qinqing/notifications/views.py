"""The inbox (消息): list, open (marks read and follows the link), mark all read."""

from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from qinqing.core.permissions import AUTHENTICATED, requires

from . import actions
from .permissions import get_notification, visible_notifications


@requires(AUTHENTICATED)
def inbox(request):
    qs = visible_notifications(request.user)
    if request.GET.get("unread") == "1":
        qs = qs.filter(read_at__isnull=True)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    unread = visible_notifications(request.user).filter(read_at__isnull=True).count()
    template = "notifications/partials/_rows.html" if request.htmx else "notifications/inbox.html"
    return render(request, template, {"page": page, "unread": unread})


@requires(AUTHENTICATED)
def open_notification(request, pk: int):
    notification = get_notification(request.user, pk)
    actions.mark_read(request.user, [notification.pk])
    # Only follow links inside this site (the URL is ours, but never trust stored data blindly).
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect(notification.url)
    return redirect("notifications:inbox")


@require_POST
@requires(AUTHENTICATED)
def mark_all_read(request):
    actions.mark_read(request.user)
    return redirect("notifications:inbox")
