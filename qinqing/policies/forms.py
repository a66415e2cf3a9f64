"""The policy form, attachments and search synonyms; the rule builder the policy form draws is in
rule_builder (shared with activities, surveys and bank products)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from qinqing.core.roles import Role
from qinqing.orgs.models import Organization

from .models import Policy
from .permissions import scope_path


class PolicyForm(forms.ModelForm):
    class Meta:
        model = Policy
        fields = [
            "title",
            "doc_number",
            "level",
            "issuer",
            "issuer_name",
            "benefit_type",
            "application_method",
            "auto_push",
            "published_on",
            "effective_on",
            "expires_on",
            "contact",
            "summary",
            "body",
        ]
        widgets = {
            "published_on": forms.DateInput(attrs={"type": "date"}),
            "effective_on": forms.DateInput(attrs={"type": "date"}),
            "expires_on": forms.DateInput(attrs={"type": "date"}),
            "summary": forms.Textarea(attrs={"rows": 2}),
            "body": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        departments = Organization.objects.filter(kind="department")
        if user is not None and user.role == Role.DEPT_LIAISON:
            departments = departments.filter(pk=user.org_id)  # a department issues only its own policies
            self.fields["issuer"].initial = user.org_id
        elif user is not None:
            departments = departments.filter(path__startswith=scope_path(user))
        self.fields["issuer"].queryset = departments.order_by("name")
        self.fields["issuer"].required = False
        self.fields["issuer"].error_messages["invalid_choice"] = _("发布部门：请从列表中选择本辖区的部门")


class AttachmentForm(forms.Form):
    """Only parses the upload; attachments.validate (in the action) decides what is acceptable."""

    name = forms.CharField(label=_("附件名称"), max_length=200, required=False)
    file = forms.FileField(
        label=_("附件文件"),
        error_messages={"required": _("附件文件：请选择要上传的文件"), "empty": _("附件文件：文件是空的")},
        widget=forms.FileInput(attrs={"accept": ".pdf,.docx,.xlsx,.txt,.jpg,.jpeg,.png"}),
    )


class SynonymForm(forms.Form):
    """One row of the search synonym table (actions.save_synonym checks and writes it)."""

    term = forms.CharField(label=_("检索词"), max_length=50)
    synonyms = forms.CharField(
        label=_("同时检索"), max_length=500, help_text=_("搜索该词时一并检索的词，以空格、逗号或顿号分隔")
    )
