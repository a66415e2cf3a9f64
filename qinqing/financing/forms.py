"""Forms bind and type the input; the actions validate the rules and write (their ValidationError names the
field, which apply_errors puts back on the form)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from qinqing.orgs.models import Organization
from qinqing.policies.rule_builder import RuleField

from .choices import Criterion, Guarantee, Purpose, Stage
from .models import RefusalReason


def banks():
    return Organization.objects.filter(kind="bank", is_active=True).order_by("path")


def apply_errors(form, exc: ValidationError) -> None:
    """Put an action's field errors on the form (unknown fields as non-field errors)."""
    if hasattr(exc, "error_dict"):
        for field, messages in exc.message_dict.items():
            for message in messages:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


class NeedForm(forms.Form):
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=18, required=False)
    amount = forms.DecimalField(label=_("融资金额（万元）"), max_digits=14, decimal_places=2)
    term_months = forms.IntegerField(label=_("期限（月）"))
    purpose = forms.ChoiceField(label=_("用途"), choices=Purpose.choices)
    purpose_text = forms.CharField(label=_("用途说明"), max_length=200, required=False)
    guarantee = forms.ChoiceField(label=_("担保方式"), choices=Guarantee.choices)
    is_first_loan = forms.BooleanField(label=_("首次贷款（首贷）"), required=False)
    rate_ceiling = forms.DecimalField(label=_("可接受最高年利率（%）"), max_digits=5, decimal_places=2, required=False)
    needed_by = forms.DateField(label=_("用款时间"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    preferred_banks = forms.ModelMultipleChoiceField(label=_("意向银行"), queryset=Organization.objects.none(),
                                                     required=False)  # fmt: skip
    credit_check_authorised = forms.BooleanField(label=_("授权金融机构查询企业及法定代表人征信"), required=False)
    authorisation_note = forms.CharField(
        label=_("授权说明"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    contact_name = forms.CharField(label=_("联系人"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)

    def __init__(self, *args, staff: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preferred_banks"].queryset = banks()
        if not staff:
            del self.fields["credit_code"]
        else:
            self.fields["credit_code"].required = True


class ScreenForm(forms.Form):
    genuine = forms.NullBooleanField(label=Criterion.GENUINE.label, required=False)
    credit = forms.NullBooleanField(label=Criterion.CREDIT.label, required=False)
    use = forms.NullBooleanField(label=Criterion.USE.label, required=False)
    operating = forms.NullBooleanField(label=Criterion.OPERATING.label, required=False)
    premises = forms.NullBooleanField(label=Criterion.PREMISES.label, required=False)
    screening_note = forms.CharField(label=_("筛查意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("办理进展"), choices=[c for c in Stage.choices if c[0] != Stage.PUSHED])
    on = forms.DateField(label=_("日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    amount = forms.DecimalField(label=_("金额（万元）"), max_digits=14, decimal_places=2, required=False)
    rate = forms.DecimalField(label=_("执行年利率（%）"), max_digits=5, decimal_places=2, required=False)
    reason = forms.ModelChoiceField(label=_("未获贷原因"), queryset=RefusalReason.objects.none(), required=False)
    reason_text = forms.CharField(label=_("原因说明"), max_length=500, required=False)
    note = forms.CharField(label=_("备注"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].queryset = RefusalReason.objects.filter(is_active=True)


class PushForm(forms.Form):
    bank = forms.ModelChoiceField(label=_("推送至金融机构"), queryset=Organization.objects.none())
    note = forms.CharField(label=_("说明"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bank"].queryset = banks()


class RerecommendForm(PushForm):
    pass


class EventForm(forms.Form):
    title = forms.CharField(label=_("对接会名称"), max_length=200)
    date = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    banks = forms.ModelMultipleChoiceField(label=_("参会银行"), queryset=Organization.objects.none(), required=False)
    invited_codes = forms.CharField(
        label=_("邀请企业（统一社会信用代码，每行一个）"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["banks"].queryset = banks()


class IntentionForm(forms.Form):
    need_number = forms.CharField(label=_("需求编号"), max_length=20)
    bank = forms.ModelChoiceField(label=_("签约银行"), queryset=Organization.objects.none())
    amount = forms.DecimalField(label=_("意向金额（万元）"), max_digits=14, decimal_places=2)
    note = forms.CharField(label=_("备注"), max_length=500, required=False)

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bank"].queryset = event.banks.all() if event else banks()


class ChamberForm(forms.Form):
    bank = forms.ModelChoiceField(label=_("授信银行"), queryset=Organization.objects.none())
    credit_line = forms.DecimalField(label=_("整会授信额度（万元）"), max_digits=14, decimal_places=2, required=False)
    note = forms.CharField(label=_("商会筛查说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bank"].queryset = banks()


class ProductForm(forms.Form):
    name = forms.CharField(label=_("产品名称"), max_length=100)
    amount_min = forms.DecimalField(label=_("最低额度（万元）"), max_digits=14, decimal_places=2)
    amount_max = forms.DecimalField(label=_("最高额度（万元）"), max_digits=14, decimal_places=2)
    term_min = forms.IntegerField(label=_("最短期限（月）"))
    term_max = forms.IntegerField(label=_("最长期限（月）"))
    rate_min = forms.DecimalField(label=_("最低年利率（%）"), max_digits=5, decimal_places=2)
    rate_max = forms.DecimalField(label=_("最高年利率（%）"), max_digits=5, decimal_places=2)
    guarantees = forms.MultipleChoiceField(label=_("担保方式"), choices=Guarantee.choices,
                                           widget=forms.CheckboxSelectMultiple)  # fmt: skip
    repayment = forms.CharField(label=_("还款方式"), max_length=100, required=False)
    rule = RuleField(
        label=_("准入条件"),
        help_text=_(
            "与政策申报条件相同的条件构建器：地区、行业、规模、成立年限、从业人数、营业收入、纳税额、资质等；"
            "不设条件表示不限"
        ),
    )
    materials = forms.CharField(label=_("所需材料"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    approval_days = forms.IntegerField(label=_("审批时限（天）"), initial=15)
    is_active = forms.BooleanField(label=_("在售"), required=False, initial=True)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].for_user(user)


class FixTaskForm(forms.Form):
    problem = forms.CharField(label=_("问题"), max_length=500)
    department = forms.ModelChoiceField(label=_("责任部门"), queryset=Organization.objects.none(), required=False)
    measure = forms.CharField(label=_("整改措施"), max_length=500, required=False)

    def __init__(self, *args, fic_path: str = "/", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Organization.objects.filter(kind="department", path__startswith=fic_path)


class FixDoneForm(forms.Form):
    result = forms.CharField(label=_("整改结果"), max_length=500)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))


class ReasonForm(forms.Form):
    code = forms.SlugField(label=_("编码（英文）"), max_length=30, required=False)
    name = forms.CharField(label=_("名称"), max_length=30)
    fixable = forms.BooleanField(label=_("可整改（拒贷后生成整改任务）"), required=False)
    department_hint = forms.CharField(label=_("通常负责整改的部门"), max_length=50, required=False)
    needs_text = forms.BooleanField(label=_("须填写说明"), required=False)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)
