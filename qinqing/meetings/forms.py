from uuid import uuid4

from django import forms
from django.utils.translation import gettext_lazy as _

from qinqing.appeals.models import AppealDomain, AppealType

from .models import MeetingKind


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=MeetingKind.choices)
    title = forms.CharField(label=_("会议名称"), max_length=200)
    day = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    host_leader = forms.CharField(label=_("主持领导"), max_length=100)
    location = forms.CharField(label=_("地点"), max_length=200, required=False)
    departments = forms.ModelMultipleChoiceField(label=_("参会部门"), queryset=None, required=False)
    credit_codes = forms.CharField(
        label=_("邀请企业（统一社会信用代码，每行一个）"), widget=forms.Textarea, required=False
    )

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = departments


class AgendaForm(forms.Form):
    agenda = forms.CharField(label=_("议程"), widget=forms.Textarea)


class VisitForm(forms.Form):
    credit_code = forms.CharField(label=_("企业统一社会信用代码"), max_length=18)
    visited_on = forms.DateField(label=_("走访日期"), widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(label=_("走访记录"), widget=forms.Textarea)


class IssueForm(forms.Form):
    credit_code = forms.CharField(label=_("企业统一社会信用代码"), max_length=18)
    appeal_type = forms.ModelChoiceField(label=_("类型"), queryset=AppealType.objects.filter(is_active=True))
    domain = forms.ModelChoiceField(label=_("领域"), queryset=AppealDomain.objects.filter(is_active=True))
    title = forms.CharField(label=_("问题"), max_length=200)
    solved_on_spot = forms.BooleanField(label=_("现场解决"), required=False)
    comment = forms.CharField(label=_("现场答复"), required=False)
    # A fresh key per rendered form: a double click records the issue once (appeals' submission key).
    submission_key = forms.CharField(label=_("提交标识"), widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["submission_key"].initial = uuid4().hex


class HoldForm(forms.Form):
    attendees = forms.IntegerField(label=_("参会企业家人数"), min_value=0)


class SignOffForm(forms.Form):
    at_meeting = forms.ModelChoiceField(label=_("在哪次会议上销号"), queryset=None)
    note = forms.CharField(label=_("销号说明"), widget=forms.Textarea)

    def __init__(self, *args, meetings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["at_meeting"].queryset = meetings
