"""Sign-in, sign-out, password change and the lockout response."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qinqing.core.permissions import AUTHENTICATED, public, requires

from . import actions
from .forms import LoginForm, PasswordChangeForm
from .middleware import password_change_required


class LoginView(auth_views.LoginView):
    """Password step of the sign-in.

    django-axes checks the lockout inside ``authenticate()`` (AxesStandaloneBackend) and counts every
    failure by username; ``form_valid`` runs only after the password is right and the account is not
    locked. A second factor (TOTP, a later issue) is inserted here: instead of logging in, keep the
    user's id as "pending" in the session, redirect to the code page, and call ``auth_login`` there.
    """

    is_public = True
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
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


@public
@require_POST
def logout_view(request):
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
    form = PasswordChangeForm(request.user, request.POST or None)
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
    return render(
        request,
        "accounts/password_change.html",
        {
            "form": form,
            "password_change_required": password_change_required(request.user),
            **policy_numbers(),
        },
    )
