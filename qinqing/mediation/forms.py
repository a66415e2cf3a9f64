"""Forms bind and type the input; the actions validate the rules and write (their ValidationError names the
field, which apply_errors puts back on the form)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from qinqing.financing.forms import apply_errors

from .choices import BodyKind, CaseType, PartyKind, Source
from .models import MediationBody

__all__ = ["BodyForm", "CaseForm", "RosterForm", "apply_errors"]

DATE = {"widget": forms.DateInput(attrs={"type": "date"})}


class CaseForm(forms.Form):
    body = forms.ModelChoiceField(label=_("调解组织"), queryset=MediationBody.objects.none())
    source = forms.ChoiceField(label=_("案件来源"), choices=Source.choices)
    case_type = forms.ChoiceField(label=_("纠纷类型"), choices=CaseType.choices)
    amount = forms.CharField(label=_("争议金额（万元）"), required=False)
    received_on = forms.DateField(label=_("受理日期"), required=False, **DATE)
    court_name = forms.CharField(label=_("委派/委托法院"), max_length=100, required=False)
    court_case_number = forms.CharField(label=_("法院案号"), max_length=60, required=False)
    referred_on = forms.DateField(label=_("委派/委托日期"), required=False, **DATE)
    referred_by = forms.CharField(label=_("移送部门"), max_length=100, required=False)
    deadline = forms.DateField(
        label=_("调解期限"), required=False, help_text=_("留空按设置计算（法院委派/委托默认 30 天）"), **DATE
    )
    summary = forms.CharField(label=_("纠纷概要及请求"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    mediator = forms.ChoiceField(label=_("调解员"), required=False)
    applicant_kind = forms.ChoiceField(label=_("申请人类型"), choices=PartyKind.choices)
    applicant_name = forms.CharField(label=_("申请人姓名或名称"), max_length=100, required=False)
    applicant_credit_code = forms.CharField(
        label=_("申请人统一社会信用代码（会员企业）"), max_length=18, required=False
    )
    applicant_phone = forms.CharField(label=_("申请人联系电话"), max_length=30, required=False)
    applicant_member = forms.BooleanField(label=_("申请人是商会会员"), required=False)
    respondent_kind = forms.ChoiceField(label=_("被申请人类型"), choices=PartyKind.choices)
    respondent_name = forms.CharField(label=_("被申请人姓名或名称"), max_length=100, required=False)
    respondent_credit_code = forms.CharField(
        label=_("被申请人统一社会信用代码（会员企业）"), max_length=18, required=False
    )
    respondent_phone = forms.CharField(label=_("被申请人联系电话"), max_length=30, required=False)
    respondent_member = forms.BooleanField(label=_("被申请人是商会会员"), required=False)

    def __init__(self, *args, bodies=None, mediators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies if bodies is not None else MediationBody.objects.none()
        self.fields["mediator"].choices = [("", _("暂不指派"))] + [(str(u.pk), u.name) for u in mediators]

    def parties(self) -> list[dict]:
        d = self.cleaned_data
        return [
            {"role": role, "kind": d[f"{role}_kind"], "name": d[f"{role}_name"], "phone": d[f"{role}_phone"],
             "credit_code": d[f"{role}_credit_code"], "is_member": d[f"{role}_member"]}
            for role in ("applicant", "respondent")
        ]  # fmt: skip


class BodyForm(forms.Form):
    organization = forms.ChoiceField(label=_("所属商会或工商联"), required=False)
    name = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=BodyKind.choices)
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    established_on = forms.DateField(label=_("成立日期"), required=False, **DATE)

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organizations is None:
            del self.fields["organization"]
        else:
            self.fields["organization"].choices = [(str(o.pk), o.name) for o in organizations]
            self.fields["organization"].required = True


class RosterForm(forms.Form):
    user = forms.ChoiceField(label=_("调解员"))
    title = forms.CharField(label=_("职务或专业背景"), max_length=100, required=False)
    specialities = forms.MultipleChoiceField(
        label=_("擅长纠纷类型"), choices=CaseType.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [(str(u.pk), f"{u.name}（{u.org.name}）") for u in candidates]
