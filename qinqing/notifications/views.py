"""The inbox (消息): list, open (marks read and follows the link), mark all read; one's own contact
settings (where reminders are also sent)."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from qinqing.core.permissions import AUTHENTICATED, requires

from . import actions
from .models import ContactPoint
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


class ContactForm(forms.Form):
    email = forms.CharField(label=gettext_lazy("电子邮箱"), required=False, max_length=254)
    email_enabled = forms.BooleanField(label=gettext_lazy("接收邮件提醒"), required=False, initial=True)
    mobile = forms.CharField(label=gettext_lazy("手机号码"), required=False, max_length=20)
    sms_enabled = forms.BooleanField(
        label=gettext_lazy("接收短信提醒（系统配置了短信网关时）"), required=False, initial=True
    )


@requires(AUTHENTICATED)
def contact_settings(request):
    point = ContactPoint.objects.filter(user=request.user).first()
    initial = (
        {"email": point.email, "mobile": point.mobile, "email_enabled": point.email_enabled,
         "sms_enabled": point.sms_enabled}
        if point
        else None
    )  # fmt: skip
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_contact_point(request.user, actor=request.user, **form.cleaned_data)
        except actions.ContactError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("接收方式已保存"))
            return redirect("notifications:contact")
    return render(request, "notifications/contact.html", {"form": form})
