"""Security events audited from Django's and django-axes' auth signals (not domain writes).

Every attempt leaves a row: security.login, security.login_failed (including attempts refused because
the username is locked) and security.lockout when axes locks a username.
"""

import time

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils.translation import gettext as _

from qinqing.core import audit
from qinqing.core.middleware import client_ip

from .middleware import LOGIN_AT_KEY


def refused_while_locked(request) -> bool:
    """True when the account was already locked before this attempt.

    axes' failure receiver runs before ours (its app is listed first). With
    AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT off, a refused attempt is flagged by the backend and
    not counted, so the handler never sets ``axes_failures_since_start``; the failure that causes a
    lock is counted and does set it."""
    if not getattr(request, "axes_locked_out", False):
        return False
    return getattr(request, "axes_failures_since_start", None) is None


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[LOGIN_AT_KEY] = time.time()  # start of the absolute session lifetime
    audit.record("security.login", actor=user, obj=user, ip=client_ip(request) if request else None)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit.record("security.logout", actor=user, obj=user, ip=client_ip(request) if request else None)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    username = (credentials or {}).get("username", "")
    refused = refused_while_locked(request)
    audit.record(
        "security.login_failed",
        object_type="accounts.user",
        object_repr=str(username)[:150],
        success=False,
        ip=client_ip(request) if request else None,
        message=_("账号已锁定，拒绝登录") if refused else _("账号或密码错误"),
    )


@receiver(user_locked_out)
def on_locked_out(sender, request, username=None, ip_address=None, **kwargs):
    if refused_while_locked(request):
        return  # axes repeats the signal for every refused attempt; the lockout itself is already logged
    audit.record(
        "security.lockout",
        object_type="accounts.user",
        object_repr=str(username or "")[:150],
        success=False,
        ip=ip_address,
        message=_("连续登录失败次数过多，账号已锁定"),
    )
