"""Forms of the registry pages; they validate input, actions write it."""

import datetime

from django import forms

from .choices import ChamberType, MemberRole, Qualification, RegistrationStatus
from .models import Enterprise, EnterpriseYearFigures
from .standards import idcard, mobile


class EnterpriseForm(forms.ModelForm):
    qualifications = forms.MultipleChoiceField(
        label="资质", choices=Qualification.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Enterprise
        fields = [
            "name",
            "legal_representative",
            "legal_rep_id_number",
            "region_code",
            "industry_code",
            "founded_on",
            "employees",
            "revenue_wan",
            "total_assets_wan",
            "qualifications",
            "address",
            "contact_name",
            "contact_mobile",
        ]
        widgets = {"founded_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["qualifications"] = self.instance.qualification_codes

    def clean_qualifications(self):
        order = [code for code, _label in Qualification.choices]
        return ",".join(sorted(self.cleaned_data["qualifications"], key=order.index))

    def clean_legal_rep_id_number(self):
        value = self.cleaned_data["legal_rep_id_number"]
        if value and "*" in value and self.instance.pk:
            return self.instance.legal_rep_id_number  # the masked value was left as shown
        try:
            return idcard.validate(value) if value else ""
        except idcard.InvalidIdNumber as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_contact_mobile(self):
        value = self.cleaned_data["contact_mobile"]
        if value and "*" in value and self.instance.pk:
            return self.instance.contact_mobile
        try:
            return mobile.validate_mobile(value) if value else ""
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.changed_data if name in self.cleaned_data}


class SelfServiceForm(EnterpriseForm):
    """What an enterprise user may correct: contact data."""

    class Meta(EnterpriseForm.Meta):
        fields = ["address", "contact_name", "contact_mobile"]

    qualifications = None


class CreateEnterpriseForm(EnterpriseForm):
    credit_code = forms.CharField(label="统一社会信用代码", max_length=30)

    class Meta(EnterpriseForm.Meta):
        fields = ["credit_code", *EnterpriseForm.Meta.fields]

    def clean_credit_code(self):
        from .standards import uscc

        try:
            code = uscc.validate(self.cleaned_data["credit_code"])
        except uscc.InvalidCreditCode as exc:
            raise forms.ValidationError(str(exc)) from None
        if Enterprise.objects.filter(credit_code=code).exists():
            raise forms.ValidationError("该统一社会信用代码已登记")
        return code


class YearFiguresForm(forms.ModelForm):
    class Meta:
        model = EnterpriseYearFigures
        fields = ["year", "revenue_wan", "tax_wan", "rd_spend_wan", "employees", "total_assets_wan"]

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 1949 <= year <= datetime.date.today().year:
            raise forms.ValidationError("年度不正确")
        return year


class MemberForm(forms.Form):
    role = forms.ChoiceField(label="职务", choices=MemberRole.choices)
    joined_on = forms.DateField(label="入会日期", widget=forms.DateInput(attrs={"type": "date"}))
    left_on = forms.DateField(label="退会日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("left_on") and data.get("joined_on") and data["left_on"] < data["joined_on"]:
            self.add_error("left_on", "退会日期早于入会日期")
        return data


class AddEnterpriseMemberForm(MemberForm):
    credit_code = forms.CharField(label="企业统一社会信用代码", max_length=30)
    organization = forms.ModelChoiceField(label="入会组织", queryset=None)

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations


class ChamberForm(forms.Form):
    chamber_type = forms.ChoiceField(label="商会类型", choices=ChamberType.choices)
    registration_status = forms.ChoiceField(label="登记状态", choices=RegistrationStatus.choices)
    credit_code = forms.CharField(label="统一社会信用代码", max_length=18, required=False)
    registered_on = forms.DateField(label="登记日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    party_org_established = forms.BooleanField(label="已建立党组织", required=False)
    party_members = forms.IntegerField(label="党员人数", min_value=0)
    has_mediation_committee = forms.BooleanField(label="设立调解委员会", required=False)
    note = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class TermForm(forms.Form):
    starts_on = forms.DateField(label="任期开始", widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label="任期届满", widget=forms.DateInput(attrs={"type": "date"}))
    president = forms.CharField(label="会长", max_length=50, required=False)
    secretary_general = forms.CharField(label="秘书长", max_length=50, required=False)


class ImportForm(forms.Form):
    KINDS = [("enterprises", "企业名录"), ("members", "会员名册")]
    kind = forms.ChoiceField(label="导入内容", choices=KINDS)
    file = forms.FileField(label="文件（.xlsx、.xls 或 .csv）")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".xls", ".csv")):
            raise forms.ValidationError("仅支持 .xlsx、.xls 和 .csv 文件")
        return upload
