"""Forms bind and type the input; the actions check the rules and write (their field errors come back onto the
form through apply_errors)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from qinqing.orgs.models import Organization

from .choices import Answer, FollowStatus, Level, Service

DATE = forms.DateInput(attrs={"type": "date"})


def apply_errors(form, exc: ValidationError) -> None:
    """Put an action's field errors on the form (unknown fields as non-field errors)."""
    if hasattr(exc, "error_dict"):
        for field, messages in exc.message_dict.items():
            for message in messages:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


class RequestForm(forms.Form):
    credit_code = forms.CharField(label=_("企业统一社会信用代码"), max_length=18, required=False)
    chamber = forms.ModelChoiceField(label=_("通过商会申请（可选）"), queryset=Organization.objects.none(),
                                     required=False)  # fmt: skip
    request_note = forms.CharField(label=_("体检需求说明"), max_length=500, required=False,
                                   widget=forms.Textarea(attrs={"rows": 3}),
                                   help_text=_("例如：近期拟签订大额合同、劳动用工纠纷较多等"))  # fmt: skip
    contact_name = forms.CharField(label=_("联系人"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)

    def __init__(self, *args, chambers=None, secretary: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if secretary:
            del self.fields["chamber"]
            self.fields["credit_code"].required = True
        else:
            del self.fields["credit_code"]
            self.fields["chamber"].queryset = chambers if chambers is not None else Organization.objects.none()


class AssignForm(forms.Form):
    lawyer = forms.ChoiceField(label=_("体检律师"))
    visit_on = forms.DateField(label=_("预约走访日期"), widget=DATE)

    def __init__(self, *args, lawyers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lawyer"].choices = [("", "—"), *lawyers]


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("取消原因"), max_length=500)


def answer_fields(form, questions, prefix: str, initial: dict) -> None:
    """One choice and one note field per question: ``q_<id>`` and ``n_<id>``."""
    for q in questions:
        answer, note = initial.get(q.pk, ("", ""))
        form.fields[f"q_{q.pk}"] = forms.ChoiceField(label=q.text, choices=[("", "—"), *Answer.choices],
                                                     initial=answer, required=False, help_text=q.hint)  # fmt: skip
        form.fields[f"n_{q.pk}"] = forms.CharField(label=_("说明"), max_length=500, required=False, initial=note)
    form.questions = list(questions)


class AnswersForm(forms.Form):
    def __init__(self, *args, questions=(), initial_answers=None, **kwargs):
        super().__init__(*args, **kwargs)
        answer_fields(self, questions, "q", initial_answers or {})

    def rows(self) -> list[dict]:
        """Per question: its area, the bound answer and note fields (for the template)."""
        return [{"area": q.area.name, "question": q, "answer": self[f"q_{q.pk}"], "note": self[f"n_{q.pk}"]}
                for q in self.questions]  # fmt: skip

    def answers(self) -> dict:
        data = self.cleaned_data
        return {q.pk: (data.get(f"q_{q.pk}") or "", data.get(f"n_{q.pk}") or "") for q in self.questions}


class VisitForm(AnswersForm):
    visited_on = forms.DateField(label=_("走访日期"), widget=DATE)
    visit_note = forms.CharField(label=_("走访记录"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    field_order = ["visited_on", "visit_note"]


class RiskForm(forms.Form):
    area = forms.ChoiceField(label=_("领域"))
    level = forms.ChoiceField(label=_("风险等级"), choices=[("", "—"), *Level.choices], required=False)
    facts = forms.CharField(label=_("风险事实"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    recommendation = forms.CharField(label=_("整改建议"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", "—"), *((a.pk, a.name) for a in areas)]


class IssueForm(forms.Form):
    report_summary = forms.CharField(label=_("总体评价"), widget=forms.Textarea(attrs={"rows": 4}))


class CallForm(forms.Form):
    called_on = forms.DateField(label=_("回访日期"), widget=DATE)
    summary = forms.CharField(label=_("回访情况"), widget=forms.Textarea(attrs={"rows": 3}))


FOLLOW_CHOICES = [(v, label) for v, label in FollowStatus.choices if v != FollowStatus.PENDING]


class AppealForm(forms.Form):
    department = forms.ModelChoiceField(label=_("承办单位"), queryset=Organization.objects.none())

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        if departments is not None:
            self.fields["department"].queryset = departments


class RoundForm(forms.Form):
    title = forms.CharField(label=_("批次名称"), max_length=100)
    planned_on = forms.DateField(label=_("计划走访日期"), widget=DATE, required=False)
    credit_codes = forms.CharField(
        label=_("企业（统一社会信用代码，每行一个）"), widget=forms.Textarea(attrs={"rows": 6})
    )
    note = forms.CharField(label=_("说明"), max_length=500, required=False)


class LinkForm(forms.Form):
    law_firm = forms.ModelChoiceField(label=_("律师事务所"), queryset=Organization.objects.none())
    chamber = forms.ModelChoiceField(label=_("商会"), queryset=Organization.objects.none())
    starts_on = forms.DateField(label=_("起始日期"), widget=DATE)
    ends_on = forms.DateField(label=_("截止日期"), widget=DATE)
    services = forms.MultipleChoiceField(label=_("服务内容"), choices=Service.choices,
                                         widget=forms.CheckboxSelectMultiple, required=False)  # fmt: skip
    services_note = forms.CharField(label=_("服务承诺说明"), max_length=500, required=False)
    lawyers = forms.MultipleChoiceField(label=_("联点律师"), required=False)

    def __init__(self, *args, firms=None, chambers=None, lawyers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["law_firm"].queryset = firms if firms is not None else Organization.objects.none()
        self.fields["chamber"].queryset = chambers if chambers is not None else Organization.objects.none()
        self.fields["lawyers"].choices = list(lawyers)
        for code, label in Service.choices:  # the number promised over the term, per service
            self.fields[f"target_{code}"] = forms.IntegerField(
                label=_("承诺数量：%(service)s") % {"service": label}, required=False, min_value=0, max_value=100000,
                help_text=_("联系期限内承诺的次数；不填表示不承诺具体数量"),
            )  # fmt: skip

    def clean(self):
        data = super().clean()
        data["targets"] = {code: data.get(f"target_{code}") for code in Service.values}
        return data


class LinkServiceForm(forms.Form):
    service = forms.ChoiceField(label=_("服务类型"), choices=[
        (v, label) for v, label in Service.choices if v not in (Service.CHECKUP, Service.TALK)])  # fmt: skip
    delivered_on = forms.DateField(label=_("服务日期"), widget=DATE)
    credit_code = forms.CharField(label=_("服务企业（统一社会信用代码，可不填）"), max_length=18, required=False)
    summary = forms.CharField(label=_("服务情况"), max_length=500)


class TalkForm(forms.Form):
    date = forms.DateField(label=_("日期"), widget=DATE)
    topic = forms.CharField(label=_("主题"), max_length=200)
    chamber = forms.ModelChoiceField(label=_("商会"), queryset=Organization.objects.none(), required=False)
    lawyer = forms.ChoiceField(label=_("主讲律师"), required=False)
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    attendees = forms.IntegerField(label=_("参加人数"), min_value=0, max_value=100000)
    enterprise_codes = forms.CharField(label=_("参加企业（统一社会信用代码，每行一个）"), required=False,
                                       widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    activity = forms.ChoiceField(label=_("对应活动（已在活动与培训中举办的，选择后不重复统计）"), required=False)

    def __init__(self, *args, chambers=None, lawyers=None, activities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chamber"].queryset = chambers if chambers is not None else Organization.objects.none()
        self.fields["activity"].choices = [("", "—"), *((str(a.pk), f"{a.starts_on} {a.title}") for a in activities)]
        if lawyers is None:
            del self.fields["lawyer"]
        else:
            self.fields["lawyer"].choices = [("", "—"), *lawyers]


class VersionForm(forms.Form):
    title = forms.CharField(label=_("名称"), max_length=100)
    note = forms.CharField(label=_("修订说明"), max_length=500, required=False)


class AreaForm(forms.Form):
    code = forms.CharField(label=_("编码"), max_length=20)
    name = forms.CharField(label=_("领域名称"), max_length=30)


class QuestionForm(forms.Form):
    area = forms.ChoiceField(label=_("领域"))
    question = forms.CharField(label=_("问题"), max_length=300)
    hint = forms.CharField(label=_("说明"), max_length=300, required=False)

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", "—"), *((a.pk, a.name) for a in areas)]


def codes(text: str) -> list[str]:
    return [line.strip().upper() for line in (text or "").replace(",", "\n").splitlines() if line.strip()]
