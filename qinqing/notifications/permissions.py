"""Everyone signed in has an inbox; only administrators configure outbound channels."""

from django.http import Http404

from qinqing.core.roles import Role

from .models import Notification

GRANTS = {Role.SYS_ADMIN: {"notifications.manage_channel"}}


def visible_notifications(user):
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def get_notification(user, pk) -> Notification:
    try:
        return visible_notifications(user).get(pk=pk)
    except (Notification.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
