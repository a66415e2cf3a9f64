"""Idle timeout, absolute session lifetime and forced password change."""

import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

LOGIN_AT_KEY = "qinqing_login_at"
# Pages a user who must change the password may still open (exact paths, resolved lazily).
PASSWORD_CHANGE_EXEMPT_URLS = ("accounts:login", "accounts:logout", "accounts:password_change")
PASSWORD_CHANGE_EXEMPT_PREFIXES = ("/static/", "/healthz")


def one_time_password_expired(user) -> bool:
    """A password the user has not chosen (drawn at a reset, or set when the account was approved) opens
    the account only for QINQING_ONE_TIME_PASSWORD_HOURS; after that an administrator must reset it again."""
    if not user.must_change_password:
        return False
    return timezone.now() - user.password_changed_at > timedelta(hours=settings.QINQING_ONE_TIME_PASSWORD_HOURS)


def password_change_required(user) -> bool:
    if user.must_change_password:
        return True
    age = timezone.now() - user.password_changed_at
    return age.days >= settings.QINQING_PASSWORD_MAX_AGE_DAYS


SEEN_AT_KEY = "qinqing_seen_at"


class IdleTimeoutMiddleware:
    """The idle timeout: a session expires SESSION_COOKIE_AGE seconds after it was last saved, and a request
    saves it again when the last save is QINQING_SESSION_TOUCH_SECONDS old or more (or the request changed it
    anyway). So a session ends between SESSION_COOKIE_AGE − QINQING_SESSION_TOUCH_SECONDS and SESSION_COOKIE_AGE
    after its last request (29–30 minutes by default): never later than the promised timeout.

    Why not SESSION_SAVE_EVERY_REQUEST: it wrote the session row on every request — a transaction with its
    commit on each page view, the largest share of the home page's queries. Anonymous visitors without a
    session get none."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            now = int(time.time())
            seen = session.get(SEEN_AT_KEY)
            fresh = isinstance(seen, int) and 0 <= now - seen < settings.QINQING_SESSION_TOUCH_SECONDS
            if session.modified or not fresh:
                session[SEEN_AT_KEY] = now  # modified: SessionMiddleware saves it with a new expiry date
        return response


class SessionLifetimeMiddleware:
    """End a session QINQING_SESSION_ABSOLUTE_HOURS after sign-in, however active it has been."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.get(LOGIN_AT_KEY)
            limit = settings.QINQING_SESSION_ABSOLUTE_HOURS * 3600
            if started is None or time.time() - float(started) > limit:
                logout(request)
                if not request.path.startswith("/api/"):
                    return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class PasswordExpiryMiddleware:
    """Until the password is changed (first sign-in, reset by an administrator, older than
    QINQING_PASSWORD_MAX_AGE_DAYS), every page leads to the password-change page."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._exempt_paths: frozenset[str] | None = None

    def exempt(self, path: str) -> bool:
        if self._exempt_paths is None:
            self._exempt_paths = frozenset(reverse(name) for name in PASSWORD_CHANGE_EXEMPT_URLS)
        return path in self._exempt_paths or path.startswith(PASSWORD_CHANGE_EXEMPT_PREFIXES)

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not self.exempt(request.path) and password_change_required(user):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": _("密码已到期或须修改，请先在网页上修改密码"), "code": "password_change_required"},
                    status=403,
                )
            return redirect("accounts:password_change")
        return self.get_response(request)
