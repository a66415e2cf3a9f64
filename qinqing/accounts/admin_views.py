"""Account administration for the 系统管理员: list, create, edit, enable/disable, reset password."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qinqing.core.permissions import requires

from . import actions, permissions
from .forms import PasswordResetForm, UserCreateForm, UserEditForm, UserFilterForm

# Action error keys → form field names.
FIELD_OF_ERROR = {"password": "new_password1", "enterprise": "credit_code", "__all__": None}


def _show_errors(form, exc: ValidationError) -> None:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    for key, messages_ in errors.items():
        field = FIELD_OF_ERROR.get(key, key)
        form.add_error(field if field in form.fields else None, messages_)


@requires("accounts.manage_user")
def user_list(request):
    users = permissions.visible_users(request.user).order_by("org__path", "username")
    filters = UserFilterForm(request.GET or None, queryset=users, actor=request.user)
    page = Paginator(filters.qs, 50).get_page(request.GET.get("page"))
    manageable = set(
        permissions.manageable_users(request.user).filter(pk__in=[u.pk for u in page]).values_list("pk", flat=True)
    )
    context = {"page": page, "filters": filters, "manageable": manageable}
    template = "accounts/partials/_user_rows.html" if request.htmx else "accounts/user_list.html"
    return render(request, template, context)


@requires("accounts.manage_user")
def user_create(request):
    form = UserCreateForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = actions.create_user(
                username=data["username"],
                name=data["name"],
                title=data["title"],
                role=data["role"],
                org=data["org"],
                enterprise=data["enterprise"],
                password=data["new_password1"],
                must_change_password=True,
                actor=request.user,
            )
        except ValidationError as exc:
            _show_errors(form, exc)
        else:
            messages.success(request, _("已创建账号“%(username)s”，首次登录须修改密码") % {"username": user.username})
            return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "creating": True})


@requires("accounts.manage_user")
def user_edit(request, pk: int):
    user = permissions.get_manageable_user(request.user, pk)
    form = UserEditForm.for_user(request.user, user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.update_user(
                user,
                actor=request.user,
                name=data["name"],
                title=data["title"],
                role=data["role"],
                org=data["org"],
                enterprise=data["enterprise"],
            )
        except ValidationError as exc:
            _show_errors(form, exc)
        else:
            messages.success(request, _("已保存账号“%(username)s”") % {"username": user.username})
            return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "target": user})


@requires("accounts.manage_user")
@require_POST
def user_set_active(request, pk: int):
    user = permissions.get_manageable_user(request.user, pk)
    active = request.POST.get("active") == "1"
    try:
        actions.set_active(user, active=active, actor=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        if active:
            messages.success(request, _("已启用账号“%(username)s”") % {"username": user.username})
        else:
            messages.success(request, _("已停用账号“%(username)s”") % {"username": user.username})
    return redirect("accounts:user_edit", pk=user.pk)


@requires("accounts.manage_user")
def user_reset_password(request, pk: int):
    user = permissions.get_manageable_user(request.user, pk)
    form = PasswordResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.reset_password(user, new_password=form.cleaned_data["new_password1"], actor=request.user)
        except ValidationError as exc:
            _show_errors(form, exc)
        else:
            messages.success(
                request, _("已重置账号“%(username)s”的密码，该用户下次登录须修改密码") % {"username": user.username}
            )
            return redirect("accounts:user_edit", pk=user.pk)
    return render(request, "accounts/user_reset_password.html", {"form": form, "target": user})
