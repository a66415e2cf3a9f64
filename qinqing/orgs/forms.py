"""Organisation forms: they only parse input; orgs.actions writes."""

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from .choices import OrgKind
from .models import Organization
from .permissions import changeable_orgs

region_code_validator = RegexValidator(r"^\d{6}$", _("行政区划代码应为6位数字"))


class OrganizationCreateForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=OrgKind.choices)
    name = forms.CharField(label=_("名称"), max_length=100)
    short_name = forms.CharField(label=_("简称"), max_length=50, required=False)
    parent = forms.ModelChoiceField(label=_("上级工商联"), queryset=Organization.objects.none())
    region_code = forms.CharField(
        label=_("行政区划代码"),
        max_length=6,
        validators=[region_code_validator],
        help_text=_("GB/T 2260 六位代码，如 430621"),
    )
    contact_phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = changeable_orgs(user).filter(kind=OrgKind.FIC)
        self.fields["parent"].label_from_instance = lambda org: f"{'　' * max(org.depth - 1, 0)}{org.name}"


class OrganizationEditForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name", "short_name", "contact_phone", "address", "is_active"]


def add_action_errors(form: forms.Form, error) -> None:
    """Show an action's ValidationError beside the field it names (or at the top of the form)."""
    if hasattr(error, "message_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
