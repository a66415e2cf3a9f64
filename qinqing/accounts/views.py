"""Sign-in (password, then the second factor), sign-out, password change, the lockout response and
the user's own security page (authenticator, recovery codes, API tokens)."""

import time

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qinqing.core.middleware import client_ip
from qinqing.core.permissions import AUTHENTICATED, public, requires

from . import actions, throttles, totp
from .forms import LoginForm, PasswordChangeForm, SecondFactorForm
from .middleware import password_change_required
from .models import ApiToken, RecoveryCode, User

PENDING_KEY = "qinqing_pending_second_factor"
ENROL_KEY = "qinqing_enrol_secret"
PENDING_SECONDS = 300  # the password step is good for five minutes


class LoginView(auth_views.LoginView):
    """Password step of the sign-in.

    django-axes checks the lockout inside ``authenticate()`` (AxesStandaloneBackend) and counts every
    failure; ``form_valid`` runs only after the password is right and the account is not locked. Users
    with an authenticator (and every role that requires one) are not signed in here: their id waits in
    the session as "pending" and the code page (``login_second_factor``) calls ``auth_login``.
    """

    is_public = True
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        wait = throttles.hit("login", f"ip:{client_ip(request)}")
        if wait is not None:
            return throttles.too_many_page(request, wait)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        user = form.get_user()
        if actions.has_totp(user) or totp.required_for(user.role):
            self.request.session.cycle_key()
            self.request.session[PENDING_KEY] = {
                "user": user.pk,
                "backend": user.backend,
                "at": time.time(),
                "next": self.get_success_url(),
            }
            return redirect("accounts:login_second_factor")
        return super().form_valid(form)  # auth_login: new session key, user_logged_in → audit

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **policy_numbers()}


def policy_numbers() -> dict[str, int]:
    """The numbers the pages quote, read from the settings so a deployment's profile shows as set."""
    return {
        "failure_limit": int(settings.AXES_FAILURE_LIMIT),
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "idle_minutes": settings.SESSION_COOKIE_AGE // 60,
        "min_length": settings.QINQING_PASSWORD_MIN_LENGTH,
        "min_classes": settings.QINQING_PASSWORD_MIN_CLASSES,
        "history": settings.QINQING_PASSWORD_HISTORY,
        "max_age_days": settings.QINQING_PASSWORD_MAX_AGE_DAYS,
    }


login_view = public(LoginView.as_view())


def _pending_user(request) -> tuple[User | None, dict]:
    pending = request.session.get(PENDING_KEY) or {}
    if not pending or time.time() - float(pending.get("at", 0)) > PENDING_SECONDS:
        return None, {}
    return User.objects.filter(pk=pending.get("user"), is_active=True).first(), pending


@public
def login_second_factor(request):
    """Second step: the authenticator's code or a recovery code; a first-time administrator binds an
    authenticator here. A wrong code counts as a failed sign-in (same lockout as the password)."""
    user, pending = _pending_user(request)
    if user is None:
        request.session.pop(PENDING_KEY, None)
        messages.warning(request, _("登录已超时，请重新输入账号和密码"))
        return redirect("accounts:login")
    enrolling = not actions.has_totp(user)
    if enrolling and not pending.get("secret"):
        pending["secret"] = totp.new_secret()
        request.session[PENDING_KEY] = pending
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        credentials = {"username": user.username}
        if not AxesProxyHandler.is_allowed(request, credentials):
            request.session.pop(PENDING_KEY, None)
            return locked_out(request)
        code = form.cleaned_data["code"]
        codes: list[str] = []
        if enrolling:
            try:
                codes = actions.enable_totp(user, secret=pending["secret"], code=code)
                ok = True
            except ValidationError:
                ok = False
        else:
            ok = actions.verify_second_factor(user, code)
        if ok:
            request.session.pop(PENDING_KEY, None)
            auth_login(request, user, backend=pending["backend"])
            if codes:
                return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": pending["next"]})
            return redirect(pending["next"] or settings.LOGIN_REDIRECT_URL)
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if getattr(request, "axes_locked_out", False):
            request.session.pop(PENDING_KEY, None)
            return locked_out(request)
        form.add_error("code", _("验证码不正确、已过期或已使用"))
    context = {"form": form, "enrolling": enrolling, "username": user.username}
    if enrolling:
        uri = totp.provisioning_uri(pending["secret"], user.username)
        context.update(qr_svg=totp.qr_svg(uri), secret=pending["secret"])
    return render(request, "accounts/login_second_factor.html", context)


@public
@require_POST
def logout_view(request):
    if request.user.is_authenticated and request.POST.get("revoke_tokens") == "1":
        actions.revoke_api_tokens(request.user, actor=request.user)
    logout(request)  # flushes the session: the old session key stops working
    return redirect("accounts:login")


def locked_out(request, original_response=None, credentials=None, *args, **kwargs):
    """django-axes' lockout response (AXES_LOCKOUT_CALLABLE): a page for people, JSON for the API."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = _("连续登录失败次数过多，该账号已被锁定 %(minutes)s 分钟。如需立即解锁，请联系安全管理员。") % {
        "minutes": minutes
    }
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "code": "locked_out"}, status=403)
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=403)


@requires(AUTHENTICATED)
def password_change(request):
    if request.method == "POST":
        wait = throttles.hit("password_change", f"user:{request.user.pk}")
        if wait is not None:
            return throttles.too_many_page(request, wait)
    form = PasswordChangeForm(request.user, request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_password(request.user, new_password=form.cleaned_data["new_password1"])
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("密码已修改"))
            return redirect("core:home")
    if form.locked_out:
        logout(request)  # the wrong old password locked the account: this session ends too
        return locked_out(request)
    return render(
        request,
        "accounts/password_change.html",
        {
            "form": form,
            "password_change_required": password_change_required(request.user),
            **policy_numbers(),
        },
    )


@requires(AUTHENTICATED)
def my_security(request):
    """The user's own page: bind or remove the authenticator, renew recovery codes, see and end API tokens."""
    user = request.user
    enabled = actions.has_totp(user)
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        step = request.POST.get("step")
        code = form.cleaned_data["code"]
        try:
            if step == "enable" and not enabled:
                secret = request.session.get(ENROL_KEY) or ""
                codes = actions.enable_totp(user, secret=secret, code=code)
                request.session.pop(ENROL_KEY, None)
                return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": "/accounts/me/"})
            if enabled and not actions.verify_second_factor(user, code):
                raise ValidationError({"code": _("验证码不正确、已过期或已使用")})
            if step == "renew" and enabled:
                codes = actions.regenerate_recovery_codes(user)
                return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": "/accounts/me/"})
            if step == "disable" and enabled:
                actions.disable_totp(user, actor=user)
                messages.success(request, _("已关闭两步验证"))
                return redirect("accounts:my_security")
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
    context = {
        "form": form,
        "enabled": enabled,
        "required": totp.required_for(user.role),
        "recovery_left": RecoveryCode.objects.filter(user=user, used_at__isnull=True).count(),
        "tokens": ApiToken.objects.filter(user=user),
    }
    if not enabled:
        secret = request.session.get(ENROL_KEY) or totp.new_secret()
        request.session[ENROL_KEY] = secret
        context.update(qr_svg=totp.qr_svg(totp.provisioning_uri(secret, user.username)), secret=secret)
    return render(request, "accounts/my_security.html", context)
