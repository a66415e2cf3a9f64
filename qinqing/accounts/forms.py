"""Forms for sign-in, password change and account administration. They parse input; actions decide."""

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from qinqing.core.roles import Role

from . import permissions
from .filters import UserFilter
from .middleware import one_time_password_expired


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("账号或密码错误。连续失败%(limit)s次账号将被锁定。"),
        "inactive": _("该账号已停用，请联系系统管理员。"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.error_messages = {
            **self.error_messages,
            "invalid_login": self.error_messages["invalid_login"] % {"limit": settings.AXES_FAILURE_LIMIT},
        }
        self.fields["username"].label = _("账号")
        self.fields["password"].label = _("密码")
        self.fields["username"].error_messages["required"] = _("请输入账号")
        self.fields["password"].error_messages["required"] = _("请输入密码")

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if one_time_password_expired(user):
            from qinqing.core import audit

            audit.record("accounts.one_time_password_expired", obj=user, actor=user)
            raise forms.ValidationError(
                _("一次性密码已超过%(hours)s小时的有效期，不能再登录。请联系管理员重新重置密码。")
                % {"hours": settings.QINQING_ONE_TIME_PASSWORD_HOURS},
                code="one_time_password_expired",
            )


def _password_field(label, autocomplete="new-password"):
    return forms.CharField(label=label, strip=False, widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}))


class NewPasswordMixin:
    """Two matching entries of a new password; the policy itself is applied by the action."""

    def clean(self):
        data = super().clean()
        if data.get("new_password1") and data.get("new_password1") != data.get("new_password2"):
            self.add_error("new_password2", _("两次输入的新密码不一致"))
        return data


class PasswordChangeForm(NewPasswordMixin, forms.Form):
    old_password = _password_field(_("原密码"), "current-password")
    new_password1 = _password_field(_("新密码"))
    new_password2 = _password_field(_("确认新密码"))

    def __init__(self, user, *args, request=None, **kwargs):
        self.user = user
        self.request = request
        self.locked_out = False
        super().__init__(*args, **kwargs)

    def clean_old_password(self):
        """The old password goes through ``authenticate()``, so a wrong one counts as a failed sign-in
        (django-axes lockout and audit row) and a locked account cannot change its password."""
        value = self.cleaned_data["old_password"]
        checked = authenticate(self.request, username=self.user.get_username(), password=value)
        if checked is None or checked.pk != self.user.pk:
            self.locked_out = bool(getattr(self.request, "axes_locked_out", False))
            raise forms.ValidationError(_("原密码不正确"))
        return value


class SecondFactorForm(forms.Form):
    code = forms.CharField(
        label=_("验证码"),
        max_length=20,
        help_text=_("验证器上显示的6位数字，或一个恢复码"),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        error_messages={"required": _("请输入验证码")},
    )


class RequestDecisionForm(forms.Form):
    reason = forms.CharField(label=_("审批意见"), max_length=200, required=False)


class OrgChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return "\u3000" * max(obj.depth - 1, 0) + obj.name


class UserFieldsForm(forms.Form):
    """Fields shared by create and edit: who the person is and where they sit."""

    name = forms.CharField(label=_("姓名"), max_length=50)
    title = forms.CharField(label=_("职务"), max_length=50, required=False)
    role = forms.ChoiceField(label=_("角色"))
    org = OrgChoiceField(label=_("所属组织"), queryset=None, empty_label=_("请选择组织"))
    credit_code = forms.CharField(
        label=_("所属企业统一社会信用代码"),
        max_length=18,
        required=False,
        help_text=_("仅企业用户填写"),
    )

    def __init__(self, actor, *args, **kwargs):
        self.actor = actor
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("请选择角色")), *permissions.assignable_roles(actor)]
        self.fields["org"].queryset = permissions.assignable_orgs(actor)

    def clean(self):
        data = super().clean()
        code = (data.get("credit_code") or "").strip().upper()
        data["enterprise"] = None
        if data.get("role") == Role.ENTERPRISE:
            if not code:
                self.add_error("credit_code", _("企业用户须填写所属企业的统一社会信用代码"))
            else:
                enterprise = permissions.find_enterprise(self.actor, code)
                if enterprise is None:
                    self.add_error(
                        "credit_code", _("在您的管辖范围内找不到统一社会信用代码为“%(code)s”的企业") % {"code": code}
                    )
                data["enterprise"] = enterprise
        elif code:
            self.add_error("credit_code", _("只有企业用户才能填写所属企业"))
        return data


class UserCreateForm(NewPasswordMixin, UserFieldsForm):
    username = forms.CharField(
        label=_("账号"),
        max_length=150,
        help_text=_("登录用，创建后不可修改"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    new_password1 = _password_field(_("初始密码"))
    new_password2 = _password_field(_("确认初始密码"))

    field_order = ["username", "name", "title", "role", "org", "credit_code", "new_password1", "new_password2"]


class UserEditForm(UserFieldsForm):
    @classmethod
    def for_user(cls, actor, user, data=None):
        initial = {
            "name": user.name,
            "title": user.title,
            "role": user.role,
            "org": user.org_id,
            "credit_code": user.enterprise.credit_code if user.enterprise_id else "",
        }
        return cls(actor, data, initial=initial)


class UserFilterForm(UserFilter):
    """The list page's filter, with the choices restricted to what the administrator may see."""

    def __init__(self, data=None, queryset=None, *, actor, **kwargs):
        super().__init__(data, queryset=queryset, **kwargs)
        self.filters["org"].field.widget = forms.Select(
            choices=[("", _("全部组织"))]
            + [(o.pk, "\u3000" * max(o.depth - 1, 0) + o.name) for o in permissions.assignable_orgs(actor)]
        )
        self.filters["is_active"].field.widget = forms.Select(
            choices=[("", _("全部状态")), ("true", _("启用")), ("false", _("停用"))]
        )
