"""Forms bind and type the input; the actions validate the rules and write (their ValidationError names the
field, which apply_errors puts back on the form)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from qinqing.financing.forms import apply_errors  # noqa: F401  (one way to show an action's field errors)
from qinqing.orgs.models import Organization
from qinqing.policies.rule_builder import RuleField

from .choices import Kind

DATE = forms.DateInput(attrs={"type": "date"})


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=Kind.choices)
    title = forms.CharField(label=_("名称"), max_length=200)
    organiser = forms.ModelChoiceField(label=_("主办单位"), queryset=Organization.objects.none(), required=False)
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE)
    ends_on = forms.DateField(label=_("结束日期"), widget=DATE, required=False)
    sessions = forms.CharField(
        label=_("场次"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一个场次：日期 开始时间-结束时间 名称，如“2026-05-12 09:00-11:30 开班式”；留空则每天一场"),
    )
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    online = forms.BooleanField(label=_("线上举办"), required=False)
    online_url = forms.CharField(label=_("线上参会链接"), max_length=500, required=False)
    capacity = forms.IntegerField(label=_("名额"))
    waitlist = forms.BooleanField(label=_("名额满后允许候补"), required=False, initial=True)
    registration_open = forms.BooleanField(label=_("开放报名"), required=False, initial=True)
    audience = RuleField(
        label=_("目标对象"),
        help_text=_(
            "与政策申报条件相同的条件构建器：选择条件项、运算和取值，可添加“同时满足/满足其一”的条件组；"
            "不设条件表示主办单位所属工商联辖区内的所有企业"
        ),
    )
    feedback_url = forms.CharField(label=_("反馈问卷链接"), max_length=500, required=False)
    description = forms.CharField(label=_("内容简介"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].for_user(user)
        org = getattr(user, "org", None)
        if org is not None and org.kind == "chamber":
            del self.fields["organiser"]
        elif org is not None:
            self.fields["organiser"].queryset = Organization.objects.filter(
                path__startswith=org.path, kind__in=("fic", "chamber"), is_active=True
            ).order_by("path")

    def data_for_action(self) -> dict:
        d = dict(self.cleaned_data)
        d["sessions"] = parse_session_lines(d.get("sessions") or "")
        return d


def parse_session_lines(text: str) -> list[dict]:
    """'2026-05-12 09:00-11:30 开班式' per line → session dicts (the action validates them)."""
    out = []
    for line in text.splitlines():
        parts = line.split(maxsplit=2)
        if not parts:
            continue
        item = {"date": parts[0]}
        if len(parts) > 1 and "-" in parts[1] and ":" in parts[1]:
            item["starts_at"], _sep, item["ends_at"] = parts[1].partition("-")
            item["title"] = parts[2] if len(parts) > 2 else ""
        else:
            item["title"] = " ".join(parts[1:])
        out.append(item)
    return out


class RegisterForm(forms.Form):
    attendee_name = forms.CharField(label=_("参加人姓名"), max_length=50)
    attendee_phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)


class StaffRegisterForm(RegisterForm):
    credit_code = forms.CharField(label=_("企业统一社会信用代码"), max_length=18)


class CheckinForm(forms.Form):
    registration = forms.IntegerField(widget=forms.HiddenInput)


class JobForm(forms.Form):
    credit_code = forms.CharField(label=_("企业统一社会信用代码"), max_length=18, required=False)
    title = forms.CharField(label=_("岗位"), max_length=100)
    headcount = forms.IntegerField(label=_("人数"))
    requirements = forms.CharField(label=_("要求"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, staff: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not staff:
            del self.fields["credit_code"]
        else:
            self.fields["credit_code"].required = True


class IntentionsForm(forms.Form):
    intentions = forms.IntegerField(label=_("达成意向人数"))
