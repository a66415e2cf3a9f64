"""The 安全管理员's page: usernames locked out now, recent failed sign-ins, and unlocking."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qinqing.core.permissions import requires

from . import actions, lockouts


@requires("accounts.view_security")
def security_overview(request):
    failures = Paginator(lockouts.recent_failures(request.user), 50).get_page(request.GET.get("page"))
    context = {
        "lockouts": lockouts.current_lockouts(request.user),
        "page": failures,
        "failure_limit": lockouts.failure_limit(),
        "address_limit": lockouts.address_limit(),
        "can_unlock": request.user.has_perm("accounts.unlock_user"),
    }
    template = "accounts/partials/_failures.html" if request.htmx else "accounts/security.html"
    return render(request, template, context)


@requires("accounts.unlock_user")
@require_POST
def unlock(request):
    username = request.POST.get("username", "").strip()
    if not username or not lockouts.username_in_scope(request.user, username):
        raise Http404
    count = actions.unlock_user(username, actor=request.user)
    if count:
        messages.success(request, _("已解锁账号“%(username)s”") % {"username": username})
    else:
        messages.warning(request, _("账号“%(username)s”当前没有被锁定") % {"username": username})
    return redirect("accounts:security")


@requires("accounts.unlock_user")
@require_POST
def reset_totp(request):
    """Clear the authenticator of a user who lost it and the recovery codes (they bind a new one)."""
    from .models import User

    username = request.POST.get("username", "").strip()
    user = User.objects.filter(username=username).first()
    if user is None or not lockouts.username_in_scope(request.user, username) or user.pk == request.user.pk:
        raise Http404
    actions.disable_totp(user, actor=request.user)
    messages.success(request, _("已重置账号“%(username)s”的两步验证，下次登录须重新绑定") % {"username": username})
    return redirect("accounts:security")
