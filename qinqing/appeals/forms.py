"""Forms for appeal pages: binding and field validation only; actions do the writing."""

from uuid import uuid4

from django import forms
from django.utils.translation import gettext_lazy as _

from . import workflow as wf
from .models import AppealDomain, AppealType, Channel

STAFF_CHANNELS = [c for c in Channel.choices if c[0] not in (Channel.ONLINE, Channel.CHAMBER)]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


MAX_DESCRIPTION_CHARS = 5000  # as actions.MAX_DESCRIPTION_CHARS
PICK = [("", _("请选择"))]  # no answer is preselected: the user must choose


class AppealForm(forms.Form):
    # Staff and secretaries: the enterprise by credit code or by (part of) its name.
    credit_code = forms.CharField(label=_("企业（统一社会信用代码或名称）"), max_length=200, required=False)
    channel = forms.ChoiceField(label=_("来源渠道"), choices=STAFF_CHANNELS, required=False)
    appeal_type = forms.ModelChoiceField(label=_("诉求类型"), queryset=AppealType.objects.filter(is_active=True))
    domain = forms.ModelChoiceField(label=_("诉求领域"), queryset=AppealDomain.objects.filter(is_active=True))
    title = forms.CharField(label=_("标题"), max_length=200)
    description = forms.CharField(
        label=_("诉求内容"),
        widget=forms.Textarea,
        max_length=MAX_DESCRIPTION_CHARS,
        help_text=_("最多5000字；详细材料请作为附件上传"),
        error_messages={
            "max_length": _("诉求内容最多%(limit_value)d字（现有%(show_value)d字），请精简，详细材料可作为附件上传")
        },
    )
    contact_name = forms.CharField(label=_("联系人"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    files = MultipleFileField(label=_("附件"), required=False)
    # Staff only: the enterprise is not in the registry yet → a provisional record (registry.provisional).
    provisional = forms.BooleanField(
        label=_("企业尚未入库：按上面填写的企业名称临时登记"),
        required=False,
        help_text=_("临时登记的企业之后由企业库补全信用代码，或合并到已登记的企业"),
    )
    # A fresh key per rendered form: a double click or a resent POST carries the same key → one appeal.
    submission_key = forms.CharField(label=_("提交标识"), widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, role: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["submission_key"].initial = uuid4().hex
        if role != wf.STAFF:
            del self.fields["provisional"]
        if role == wf.ENTERPRISE:
            del self.fields["credit_code"]
            del self.fields["channel"]
        elif role == wf.SECRETARY:
            del self.fields["channel"]
            self.fields["credit_code"].required = True
        else:
            self.fields["credit_code"].required = True
            self.fields["channel"].required = True


class SupplyForm(forms.Form):
    comment = forms.CharField(label=_("补充说明"), widget=forms.Textarea, required=False)
    files = MultipleFileField(label=_("补充材料"), required=False)


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("说明"), widget=forms.Textarea, required=False)


class ReasonForm(forms.Form):
    comment = forms.CharField(label=_("理由"), widget=forms.Textarea)


class AssignForm(forms.Form):
    lead_department = forms.ModelChoiceField(label=_("主办单位"), queryset=None)
    co_departments = forms.ModelMultipleChoiceField(label=_("协办单位"), queryset=None, required=False)
    comment = forms.CharField(label=_("交办意见"), widget=forms.Textarea, required=False)

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_department"].queryset = departments
        self.fields["co_departments"].queryset = departments


class ReturnForm(forms.Form):
    comment = forms.CharField(label=_("退回理由"), widget=forms.Textarea)
    suggested_department = forms.ModelChoiceField(label=_("建议承办单位"), queryset=None, required=False)

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["suggested_department"].queryset = departments


class CallbackForm(forms.Form):
    satisfaction = forms.TypedChoiceField(
        label=_("满意度"),
        choices=[*PICK, *wf.SATISFACTION_LABELS.items()],
        coerce=int,
        error_messages={"required": _("请选择满意度")},
    )
    solved = forms.TypedChoiceField(
        label=_("问题是否实际解决"),
        choices=[*PICK, ("1", _("已解决")), ("0", _("未解决"))],
        coerce=lambda v: v == "1",
        error_messages={"required": _("请选择问题是否实际解决")},
    )
    comment = forms.CharField(label=_("评价意见"), widget=forms.Textarea, required=False)


class ExtensionForm(forms.Form):
    days = forms.IntegerField(label=_("延期工作日"), min_value=1, max_value=30)
    comment = forms.CharField(label=_("延期理由"), widget=forms.Textarea)


class DecideExtensionForm(forms.Form):
    extension = forms.IntegerField(widget=forms.HiddenInput)
    approve = forms.TypedChoiceField(
        label=_("审批"),
        choices=[*PICK, ("1", _("同意")), ("0", _("不同意"))],
        coerce=lambda v: v == "1",
        error_messages={"required": _("请选择同意或不同意")},
    )
    comment = forms.CharField(label=_("审批意见"), widget=forms.Textarea, required=False)


class MergeForm(forms.Form):
    master_number = forms.CharField(label=_("主诉求编号"), max_length=20)
    comment = forms.CharField(
        label=_("合并理由"),
        widget=forms.Textarea,
        required=False,
        help_text=_("两件诉求的企业或领域不同时必填"),
    )


class ClassificationForm(forms.Form):
    code = forms.SlugField(label=_("编码"), max_length=30)
    name = forms.CharField(label=_("名称"), max_length=30)
    order = forms.IntegerField(label=_("排序"), min_value=0, initial=0)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)


class DeadlineRuleForm(forms.Form):
    appeal_type = forms.ModelChoiceField(
        label=_("诉求类型（留空为全部）"), queryset=AppealType.objects.all(), required=False
    )
    domain = forms.ModelChoiceField(
        label=_("诉求领域（留空为全部）"), queryset=AppealDomain.objects.all(), required=False
    )
    accept_days = forms.IntegerField(label=_("受理时限（工作日）"), min_value=0, max_value=60, initial=3)
    contact_days = forms.IntegerField(label=_("首次联系时限（工作日）"), min_value=0, max_value=60, initial=3)
    reply_days = forms.IntegerField(label=_("答复时限（工作日）"), min_value=0, max_value=60, initial=5)
    warn_days = forms.IntegerField(label=_("提前预警（工作日）"), min_value=0, max_value=60, initial=1)
    supervise_after = forms.IntegerField(label=_("超期几个工作日后督办"), min_value=0, max_value=60, initial=2)
    dispatch_days = forms.IntegerField(
        label=_("交办时限（受理后，工作日）"), min_value=0, max_value=60, initial=2, required=False
    )
    callback_days = forms.IntegerField(
        label=_("回访时限（答复后，工作日）"), min_value=0, max_value=60, initial=3, required=False
    )
