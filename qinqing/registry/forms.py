"""Forms of the registry pages; they validate input, actions write it."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import rules
from .choices import ChamberType, MemberKind, MemberRole, PartyOrgType, Qualification, RatingScheme, RegistrationStatus
from .importing import limits
from .masking import masked_id, masked_mobile
from .models import ChamberBranch, ChamberTerm, Enterprise, EnterpriseContact, EnterpriseYearFigures
from .standards import idcard, mobile

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NamedErrors:
    """Django's stock messages ("这个字段是必填项。") do not say which field; ours name it, so a message is
    understandable on its own (HTMX fragments, API clients, screen readers)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            label = field.label or ""
            # ``limit`` keeps Django's own placeholder, filled in when the field refuses a value.
            field.error_messages["required"] = _("%(label)s：请填写") % {"label": label}
            field.error_messages["invalid"] = _("%(label)s：格式不正确") % {"label": label}
            if "invalid_choice" in field.error_messages:
                field.error_messages["invalid_choice"] = _("%(label)s：请选择列表中的选项") % {"label": label}
            if "max_length" in field.error_messages:
                field.error_messages["max_length"] = _("%(label)s：最多%(limit)s个字") % {
                    "label": label,
                    "limit": "%(limit_value)d",
                }
            if "min_value" in field.error_messages:
                field.error_messages["min_value"] = _("%(label)s：不能小于%(limit)s") % {
                    "label": label,
                    "limit": "%(limit_value)s",
                }
            if "max_digits" in field.error_messages:
                field.error_messages["max_digits"] = _("%(label)s：数值过大") % {"label": label}

    def apply(self, exc: ValidationError) -> None:
        """Show an action's ValidationError next to the fields it names (elsewhere on the form otherwise)."""
        if hasattr(exc, "error_dict"):
            for name, errors in exc.message_dict.items():
                for message in errors:
                    self.add_error(name if name in self.fields else None, message)
        else:
            for message in exc.messages:
                self.add_error(None, message)


class EnterpriseForm(NamedErrors, forms.ModelForm):
    qualifications = forms.MultipleChoiceField(
        label=gettext_lazy("资质"), choices=Qualification.choices, required=False, widget=forms.CheckboxSelectMultiple
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
            # Numbers are shown masked in the form too; left as shown, they stay unchanged.
            self.initial["legal_rep_id_number"] = masked_id(self.instance.legal_rep_id_number)
            self.initial["contact_mobile"] = masked_mobile(self.instance.contact_mobile)

    def clean_qualifications(self):
        order = [code for code, _label in Qualification.choices]
        return ",".join(sorted(self.cleaned_data["qualifications"], key=order.index))

    def _standard(self, name: str) -> str:
        """The shared standards check (``rules``), so the form, the API and imports agree; a masked number
        left as shown keeps the stored one."""
        value = self.cleaned_data.get(name) or ""
        if rules.is_masked(value) and self.instance.pk:
            return getattr(self.instance, name)
        try:
            return rules.check_field(name, value)
        except ValidationError as exc:
            raise forms.ValidationError(exc.message_dict[name]) from None

    def clean_legal_rep_id_number(self):
        return self._standard("legal_rep_id_number")

    def clean_contact_mobile(self):
        return self._standard("contact_mobile")

    def clean_region_code(self):
        return self._standard("region_code")

    def clean_industry_code(self):
        return self._standard("industry_code")

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.changed_data if name in self.cleaned_data}


class SelfServiceForm(EnterpriseForm):
    """What an enterprise user may correct: contact data."""

    class Meta(EnterpriseForm.Meta):
        fields = ["address", "contact_name", "contact_mobile"]

    qualifications = None


class CreateEnterpriseForm(EnterpriseForm):
    credit_code = forms.CharField(label=gettext_lazy("统一社会信用代码"), max_length=30)

    class Meta(EnterpriseForm.Meta):
        fields = ["credit_code", *EnterpriseForm.Meta.fields]

    def clean_credit_code(self):
        code = self._standard("credit_code")
        if Enterprise.objects.filter(credit_code=code).exists():
            raise forms.ValidationError(_("统一社会信用代码：该代码已登记"))
        return code


class YearFiguresForm(NamedErrors, forms.ModelForm):
    class Meta:
        model = EnterpriseYearFigures
        fields = ["year", "revenue_wan", "tax_wan", "rd_spend_wan", "employees", "total_assets_wan"]

    def clean_year(self):
        year = self.cleaned_data["year"]
        this_year = datetime.date.today().year
        if not 1949 <= year <= this_year:
            raise forms.ValidationError(_("年度：应在1949年至%(year)s年之间") % {"year": this_year})
        return year

    def clean(self):
        data = super().clean()
        for name in ("revenue_wan", "tax_wan", "rd_spend_wan", "total_assets_wan"):
            if data.get(name) is not None and data[name] < 0:
                self.add_error(name, _("%(label)s：不能为负数") % {"label": self.fields[name].label})
        return data

    def _post_clean(self):
        # The action writes the row (get_or_create by year); the model's unique check would refuse a correction.
        pass


class ContactForm(NamedErrors, forms.ModelForm):
    """A contact person; numbers shown masked stay unchanged when left as shown."""

    class Meta:
        model = EnterpriseContact
        fields = ["name", "position", "mobile", "id_number"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["mobile"] = masked_mobile(self.instance.mobile)
            self.initial["id_number"] = masked_id(self.instance.id_number)

    def _keep_or_validate(self, name: str, validate) -> str:
        value = (self.cleaned_data.get(name) or "").strip()
        if value and "*" in value and self.instance.pk:
            return getattr(self.instance, name)  # the masked value was left as shown
        try:
            return validate(value) if value else ""
        except ValueError as exc:
            raise forms.ValidationError(
                _("%(label)s：%(reason)s") % {"label": self.fields[name].label, "reason": exc}
            ) from None

    def clean_mobile(self):
        return self._keep_or_validate("mobile", mobile.validate_mobile)

    def clean_id_number(self):
        return self._keep_or_validate("id_number", idcard.validate)

    def _post_clean(self):
        pass  # the action writes

    def changes(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in self.Meta.fields if data[name] != getattr(self.instance, name)}


class MemberForm(NamedErrors, forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("职务"), choices=MemberRole.choices)
    joined_on = forms.DateField(label=gettext_lazy("入会日期"), widget=forms.DateInput(attrs={"type": "date"}))
    left_on = forms.DateField(
        label=gettext_lazy("退会日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("left_on") and data.get("joined_on") and data["left_on"] < data["joined_on"]:
            self.add_error("left_on", _("退会日期早于入会日期"))
        return data


class EditMemberForm(MemberForm):
    """Role and dates, plus what the member's kind carries: an individual's name and numbers (shown masked,
    kept when left as shown), an outside association's name and declared enterprises."""

    def __init__(self, *args, member, **kwargs):
        self.member = member
        initial = {"role": member.role, "joined_on": member.joined_on, "left_on": member.left_on}
        super().__init__(*args, initial=initial, **kwargs)
        if member.kind == MemberKind.INDIVIDUAL:
            self.fields["person_name"] = forms.CharField(label=_("姓名"), max_length=50)
            self.fields["id_number"] = forms.CharField(label=_("身份证号"), max_length=30, required=False)
            self.fields["mobile"] = forms.CharField(label=_("手机号码"), max_length=20, required=False)
            self.initial.update(
                person_name=member.person_name,
                id_number=masked_id(member.id_number),
                mobile=masked_mobile(member.mobile),
            )
        elif member.kind == MemberKind.GROUP and not member.group_id:
            self.fields["group_name"] = forms.CharField(label=_("团体会员单位名称"), max_length=100)
            self.fields["represented_enterprises"] = forms.IntegerField(
                label=_("代表企业数"), min_value=0, required=False
            )
            self.initial.update(group_name=member.group_name, represented_enterprises=member.represented_enterprises)
        for name in ("person_name", "id_number", "mobile", "group_name", "represented_enterprises"):
            if name in self.fields:
                field = self.fields[name]
                field.error_messages["required"] = _("%(label)s：请填写") % {"label": field.label}
                field.error_messages["invalid"] = _("%(label)s：格式不正确") % {"label": field.label}
                if "min_value" in field.error_messages:
                    field.error_messages["min_value"] = _("%(label)s：不能小于%(limit)s") % {
                        "label": field.label,
                        "limit": "%(limit_value)s",
                    }

    def changes(self) -> dict:
        """The fields that differ from the stored member; a masked number left as shown is no change."""
        out = {}
        for name, value in self.cleaned_data.items():
            if name in ("id_number", "mobile"):
                value = (value or "").strip()
                if rules.is_masked(value):
                    continue
            if value != getattr(self.member, name):
                out[name] = value
        return out


class AddMemberForm(MemberForm):
    """A new member of any kind; the fields a kind does not use are ignored. The action checks again."""

    kind = forms.ChoiceField(label=gettext_lazy("会员类别"), choices=MemberKind.choices, initial=MemberKind.ENTERPRISE)
    organization = forms.ModelChoiceField(label=gettext_lazy("入会组织"), queryset=None)
    credit_code = forms.CharField(
        label=gettext_lazy("企业统一社会信用代码"),
        max_length=30,
        required=False,
        help_text=gettext_lazy("企业会员填写；企业须已登记"),
    )
    group = forms.ModelChoiceField(
        label=gettext_lazy("团体会员单位（登记在册的商会）"),
        queryset=None,
        required=False,
        help_text=gettext_lazy("团体会员：选择商会，其代表的企业按该商会的在册企业会员计算"),
    )
    group_name = forms.CharField(
        label=gettext_lazy("团体会员单位名称"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("团体会员不是本系统登记的商会时填写"),
    )
    represented_enterprises = forms.IntegerField(
        label=gettext_lazy("代表企业数"),
        min_value=0,
        required=False,
        help_text=gettext_lazy("未在本系统登记的协会申报的会员企业数"),
    )
    person_name = forms.CharField(
        label=gettext_lazy("姓名"), max_length=50, required=False, help_text=gettext_lazy("个人会员填写")
    )
    id_number = forms.CharField(
        label=gettext_lazy("身份证号"), max_length=30, required=False, help_text=gettext_lazy("个人会员，18位")
    )
    mobile = forms.CharField(label=gettext_lazy("手机号码"), max_length=20, required=False)

    field_order = ["kind", "organization", "credit_code", "group", "group_name", "represented_enterprises"]

    def __init__(self, *args, organizations, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["group"].queryset = groups
        if not groups.exists():
            del self.fields["group"]

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == MemberKind.ENTERPRISE and not (data.get("credit_code") or "").strip():
            self.add_error("credit_code", _("企业统一社会信用代码：企业会员请填写"))
        if kind == MemberKind.GROUP and not data.get("group") and not (data.get("group_name") or "").strip():
            self.add_error("group_name", _("团体会员单位名称：请选择登记在册的商会，或填写协会名称"))
        if kind == MemberKind.INDIVIDUAL and not (data.get("person_name") or "").strip():
            self.add_error("person_name", _("姓名：个人会员请填写"))
        for name, check in (("id_number", rules.id_number), ("mobile", rules.mobile_number)):
            value = (data.get(name) or "").strip()
            if value:
                try:
                    data[name] = check(value)
                except rules.RuleError as exc:
                    self.add_error(name, _("%(label)s：%(reason)s") % {"label": self.fields[name].label, "reason": exc})
        return data

    def member_fields(self) -> dict:
        """What the action takes for the chosen kind."""
        data = self.cleaned_data
        kind = data["kind"]
        fields = {"role": data["role"], "joined_on": data["joined_on"], "left_on": data["left_on"]}
        if kind == MemberKind.GROUP:
            fields.update(group=data.get("group"), person_name=data.get("person_name") or "")
            if not data.get("group"):
                fields.update(group_name=data["group_name"], represented_enterprises=data["represented_enterprises"])
        if kind == MemberKind.INDIVIDUAL:
            fields.update(person_name=data["person_name"], id_number=data.get("id_number") or "")
        if data.get("mobile"):
            fields["mobile"] = data["mobile"]
        return fields


class ChamberForm(NamedErrors, forms.Form):
    chamber_type = forms.ChoiceField(label=gettext_lazy("商会类型"), choices=ChamberType.choices)
    registration_status = forms.ChoiceField(label=gettext_lazy("登记状态"), choices=RegistrationStatus.choices)
    credit_code = forms.CharField(label=gettext_lazy("统一社会信用代码"), max_length=18, required=False)
    registered_on = forms.DateField(
        label=gettext_lazy("登记日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    party_org_established = forms.BooleanField(label=gettext_lazy("已建立党组织"), required=False)
    party_members = forms.IntegerField(label=gettext_lazy("党员人数"), min_value=0)
    has_mediation_committee = forms.BooleanField(label=gettext_lazy("设立调解委员会"), required=False)
    party_org_type = forms.ChoiceField(
        label=gettext_lazy("党组织类型"), choices=[("", "—"), *PartyOrgType.choices], required=False
    )
    party_liaison = forms.CharField(
        label=gettext_lazy("党建联络员"),
        max_length=50,
        required=False,
        help_text=gettext_lazy("未建立党组织的商会选派"),
    )
    law_firm_id = forms.TypedChoiceField(
        label=gettext_lazy("联系律师事务所"), coerce=int, empty_value=None, required=False
    )
    note = forms.CharField(label=gettext_lazy("备注"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, law_firms=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["law_firm_id"].choices = [("", "—"), *((firm.pk, firm.name) for firm in law_firms)]

    def clean_credit_code(self):
        from .standards import uscc

        value = self.cleaned_data["credit_code"].strip()
        try:
            return uscc.validate(value) if value else ""
        except uscc.InvalidCreditCode as exc:
            raise forms.ValidationError(_("统一社会信用代码：%(reason)s") % {"reason": exc}) from None


class ChamberCreateForm(ChamberForm):
    """A new chamber: an organisation node already in the tree without a registry record, or a new node
    under an FIC of the user's subtree. The law firm is linked afterwards, on the edit page."""

    organization = forms.ModelChoiceField(
        label=gettext_lazy("已有商会组织"),
        queryset=None,
        required=False,
        help_text=gettext_lazy("组织机构中已建立、尚未登记商会信息的商会"),
    )
    name = forms.CharField(
        label=gettext_lazy("商会名称"), max_length=100, required=False, help_text=gettext_lazy("新建商会时填写")
    )
    fic = forms.ModelChoiceField(label=gettext_lazy("所属工商联"), queryset=None, required=False)
    region_code = forms.CharField(
        label=gettext_lazy("行政区划代码"),
        max_length=6,
        required=False,
        help_text=gettext_lazy("留空则取所属工商联的行政区划"),
    )

    field_order = ["organization", "name", "fic", "region_code"]

    def __init__(self, *args, organizations, fics, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["law_firm_id"]
        self.fields["organization"].queryset = organizations
        self.fields["fic"].queryset = fics
        if fics.count() == 1:
            self.initial.setdefault("fic", fics.first())

    def clean(self):
        data = super().clean()
        if data.get("organization") is None and "organization" not in self.errors:
            if not (data.get("name") or "").strip():
                self.add_error("name", _("商会名称：请选择已有商会组织，或填写新商会的名称"))
            if data.get("fic") is None and "fic" not in self.errors:
                self.add_error("fic", _("所属工商联：新建商会请选择所属工商联"))
        return data

    def clean_region_code(self):
        code = self.cleaned_data["region_code"].strip()
        try:
            return rules.region_code(code) if code else ""
        except rules.RuleError as exc:
            raise forms.ValidationError(_("行政区划代码：%(reason)s") % {"reason": exc}) from None

    def chamber_fields(self) -> dict:
        skip = {"organization", "name", "fic", "region_code"}
        return {name: value for name, value in self.cleaned_data.items() if name not in skip}


class TermForm(NamedErrors, forms.Form):
    starts_on = forms.DateField(label=gettext_lazy("任期开始"), widget=DATE)
    ends_on = forms.DateField(label=gettext_lazy("任期届满"), widget=DATE)
    president = forms.CharField(label=gettext_lazy("会长"), max_length=50, required=False)
    secretary_general = forms.CharField(label=gettext_lazy("秘书长"), max_length=50, required=False)

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] <= data["starts_on"]:
            self.add_error("ends_on", _("任期届满：必须晚于任期开始日期"))
        return data

    @classmethod
    def initial_of(cls, term: ChamberTerm) -> dict:
        return {name: getattr(term, name) for name in cls.base_fields}


class RatingForm(NamedErrors, forms.Form):
    scheme = forms.ChoiceField(label=gettext_lazy("评定"), choices=RatingScheme.choices)
    year = forms.IntegerField(label=gettext_lazy("年度"), min_value=1990)

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year > datetime.date.today().year:
            raise forms.ValidationError(_("年度：不能晚于%(year)s年") % {"year": datetime.date.today().year})
        return year


class BranchForm(NamedErrors, forms.Form):
    name = forms.CharField(label=gettext_lazy("名称"), max_length=100)
    region_code = forms.CharField(label=gettext_lazy("所在行政区划代码"), max_length=6, required=False)
    contact_name = forms.CharField(label=gettext_lazy("联系人"), max_length=50, required=False)
    established_on = forms.DateField(label=gettext_lazy("设立日期"), required=False, widget=DATE)

    def clean_region_code(self):
        code = self.cleaned_data["region_code"].strip()
        if code and not (len(code) == 6 and code.isdigit()):
            raise forms.ValidationError(_("所在行政区划代码：应为6位数字（GB/T 2260）"))
        return code

    @classmethod
    def initial_of(cls, branch: ChamberBranch) -> dict:
        return {name: getattr(branch, name) for name in cls.base_fields}


class ImportForm(NamedErrors, forms.Form):
    KINDS = [
        ("enterprises", gettext_lazy("企业名录")),
        ("members", gettext_lazy("会员名册")),
        ("chambers", gettext_lazy("商会名录")),
    ]
    kind = forms.ChoiceField(label=gettext_lazy("导入内容"), choices=KINDS)
    file = forms.FileField(label=gettext_lazy("文件（.xlsx、.xls 或 .csv）"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".xls", ".csv")):
            raise forms.ValidationError(_("仅支持 .xlsx、.xls 和 .csv 文件"))
        try:
            limits.check_upload(upload)  # size, expanded size and rows, before the file is stored or parsed
        except limits.FileRefused as exc:
            raise forms.ValidationError(str(exc)) from None
        return upload
