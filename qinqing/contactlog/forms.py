"""Forms bind and type the input; the actions validate the rules and write (their ValidationError names the
field, which apply_errors puts back on the form)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qinqing.financing.forms import apply_errors  # noqa: F401  (one helper for every domain's forms)

from . import rules
from .choices import Conclusion, Organiser, Payer, Purpose, Vehicle, Venue

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _blank(label):
    return [("", label)]


class EntryForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("日期"), widget=DATE)
    place = forms.CharField(label=gettext_lazy("地点"), max_length=200)
    venue = forms.ChoiceField(label=gettext_lazy("场所类型"), choices=Venue.choices)
    purpose = forms.ChoiceField(label=gettext_lazy("事由"), choices=Purpose.choices)
    purpose_text = forms.CharField(label=gettext_lazy("事由说明"), max_length=300, required=False)
    organiser = forms.ChoiceField(label=gettext_lazy("组织方"), choices=Organiser.choices)
    organiser_name = forms.CharField(label=gettext_lazy("组织方名称"), max_length=100, required=False)
    officials = forms.CharField(label=gettext_lazy("参加公职人员"), max_length=300, required=False,
                                help_text=gettext_lazy("姓名及职务，记录人本人无需填写"))  # fmt: skip
    entrepreneurs = forms.CharField(label=gettext_lazy("参加企业家"), max_length=300, required=False,
                                    help_text=gettext_lazy("姓名及职务，如：张三（董事长）"))  # fmt: skip
    enterprise_names = forms.CharField(
        label=gettext_lazy("参加企业"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("企业全称或统一社会信用代码，每行一个，须为企业库中的企业"),
    )  # fmt: skip
    had_meal = forms.BooleanField(label=gettext_lazy("是否用餐"), required=False)
    meal_standard = forms.DecimalField(label=gettext_lazy("用餐标准（元/人）"), max_digits=12, decimal_places=2,
                                       required=False)  # fmt: skip
    meal_paid_by = forms.ChoiceField(label=gettext_lazy("用餐支付方"), choices=_blank("—") + Payer.choices,
                                     required=False)  # fmt: skip
    vehicle = forms.ChoiceField(label=gettext_lazy("交通工具"), choices=Vehicle.choices)
    costs_paid_by = forms.ChoiceField(label=gettext_lazy("费用承担方"), choices=Payer.choices, initial=Payer.NONE)
    enterprise_celebration = forms.BooleanField(label=gettext_lazy("是否为企业庆典活动"), required=False)
    involves_bidding = forms.BooleanField(label=gettext_lazy("是否涉及企业招投标/采购事项"), required=False)
    note = forms.CharField(label=gettext_lazy("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def resolve_enterprises(self, candidates) -> list:
        """The registry enterprises named by full name or credit code, one per line (ValidationError otherwise)."""
        tokens = [t.strip() for t in (self.cleaned_data.get("enterprise_names") or "").splitlines() if t.strip()]
        found, missing = [], []
        for token in dict.fromkeys(tokens):
            match = candidates.filter(credit_code=token.upper()).first() or candidates.filter(name=token).first()
            (found if match else missing).append(match or token)
        if missing:
            message = _("企业库中未找到（或不在本单位服务范围内）：%(names)s") % {"names": "、".join(missing)}
            raise ValidationError({"enterprise_names": message})
        return found


class GiftForm(forms.Form):
    description = forms.CharField(label=gettext_lazy("礼品"), max_length=100, required=False)
    value = forms.DecimalField(label=gettext_lazy("价值（元）"), max_digits=12, decimal_places=2, required=False)
    returned = forms.BooleanField(label=gettext_lazy("已退还"), required=False)
    handling = forms.CharField(label=gettext_lazy("处理情况"), max_length=200, required=False)


class MatterForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("反映事项"), max_length=500, required=False)
    enterprise = forms.CharField(label=gettext_lazy("反映企业"), max_length=100, required=False,
                                 help_text=gettext_lazy("参加企业之一的全称或信用代码"))  # fmt: skip
    department = forms.ModelChoiceField(label=gettext_lazy("建议承办单位"), queryset=None, required=False)

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments


GiftFormSet = forms.formset_factory(GiftForm, extra=2, max_num=20)
MatterFormSet = forms.formset_factory(MatterForm, extra=2, max_num=20)


def filled_rows(formset, key: str) -> list[dict]:
    """The rows of a valid formset the user filled in (every field blank: skipped)."""
    return [f.cleaned_data for f in formset.forms if f.cleaned_data and any(
        v not in (None, "", False) for v in f.cleaned_data.values())]  # fmt: skip


class ReviewForm(forms.Form):
    conclusion = forms.ChoiceField(label=gettext_lazy("审查结论"), choices=_blank("—") + Conclusion.choices,
                                   required=False)  # fmt: skip
    conclusion_text = forms.CharField(label=gettext_lazy("审查意见"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip


class ConductForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("编码"), max_length=40, required=False)
    name = forms.CharField(label=gettext_lazy("名称"), max_length=50)
    description = forms.CharField(label=gettext_lazy("说明"), max_length=500, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    rule = forms.ChoiceField(label=gettext_lazy("自动标记规则"), choices=(), required=False)
    threshold = forms.DecimalField(label=gettext_lazy("门槛（元）"), max_digits=12, decimal_places=2, required=False)
    order = forms.IntegerField(label=gettext_lazy("排序"), required=False, initial=0)
    is_active = forms.BooleanField(label=gettext_lazy("启用"), required=False, initial=True)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = rules.rule_choices()
        if editing:
            del self.fields["code"]
