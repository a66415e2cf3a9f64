"""Account administration: the 系统管理员 lists, proposes new accounts and role changes, edits names,
enables/disables and resets passwords; the 安全管理员 approves or rejects the proposals (two-person rule)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qinqing.core.permissions import requires

from . import actions, permissions
from .forms import RequestDecisionForm, UserCreateForm, UserEditForm, UserFilterForm
from .models import AccountRequest

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
            proposal = actions.propose_account(
                username=data["username"],
                name=data["name"],
                title=data["title"],
                role=data["role"],
                org=data["org"],
                enterprise=data["enterprise"],
                password=data["new_password1"],
                actor=request.user,
            )
        except ValidationError as exc:
            _show_errors(form, exc)
        else:
            messages.success(
                request,
                _("已提交新建账号“%(username)s”的申请，安全管理员批准后生效；首次登录须修改密码")
                % {"username": proposal.username},
            )
            return redirect("accounts:request_list")
    return render(request, "accounts/user_form.html", {"form": form, "creating": True})


@requires("accounts.manage_user")
def user_edit(request, pk: int):
    user = permissions.get_manageable_user(request.user, pk)
    form = UserEditForm.for_user(request.user, user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes_rights = (data["role"], data["org"].pk, getattr(data["enterprise"], "pk", None)) != (
            user.role,
            user.org_id,
            user.enterprise_id,
        )
        try:
            actions.update_user(
                user,
                actor=request.user,
                name=data["name"],
                title=data["title"],
                role=user.role,
                org=user.org,
                enterprise=user.enterprise,
            )
            if changes_rights:
                actions.propose_change(
                    user, actor=request.user, role=data["role"], org=data["org"], enterprise=data["enterprise"]
                )
        except ValidationError as exc:
            _show_errors(form, exc)
        else:
            if changes_rights:
                messages.success(
                    request,
                    _("已提交账号“%(username)s”的角色变更申请，安全管理员批准后生效") % {"username": user.username},
                )
                return redirect("accounts:request_list")
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
    """The platform draws a one-time password, shown here once for handing over in person; the user
    must replace it at the next sign-in and is notified of the reset."""
    user = permissions.get_manageable_user(request.user, pk)
    if request.method == "POST":
        try:
            password = actions.reset_password(user, actor=request.user)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect("accounts:user_edit", pk=user.pk)
        response = render(request, "accounts/user_reset_password_done.html", {"target": user, "password": password})
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "accounts/user_reset_password.html", {"target": user})


@requires("accounts.view_request")
def request_list(request):
    requests = permissions.visible_requests(request.user)
    status = request.GET.get("status", AccountRequest.Status.PENDING)
    if status in AccountRequest.Status.values:
        requests = requests.filter(status=status)
    page = Paginator(requests, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "statuses": AccountRequest.Status.choices,
        "can_decide": request.user.has_perm("accounts.approve_account"),
        "form": RequestDecisionForm(),
    }
    return render(request, "accounts/request_list.html", context)


@requires("accounts.view_request")
@require_POST
def request_decide(request, pk: int):
    """Approve or reject (安全管理员), or withdraw one's own proposal (系统管理员)."""
    proposal = permissions.get_request(request.user, pk)
    decision = request.POST.get("decision")
    form = RequestDecisionForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        if decision == "approve":
            actions.approve_request(proposal, actor=request.user)
            messages.success(request, _("已批准账号“%(username)s”的申请") % {"username": proposal.username})
        elif decision == "reject":
            actions.reject_request(proposal, actor=request.user, reason=reason)
            messages.success(request, _("已驳回账号“%(username)s”的申请") % {"username": proposal.username})
        elif decision == "cancel":
            actions.cancel_request(proposal, actor=request.user)
            messages.success(request, _("已撤回账号“%(username)s”的申请") % {"username": proposal.username})
        else:
            messages.error(request, _("未知的操作"))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("您没有处理该申请的权限"))
    return redirect("accounts:request_list")
