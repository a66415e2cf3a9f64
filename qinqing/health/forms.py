"""Health-check forms. They parse input; actions decide (and name the field when they refuse)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from qinqing.financing.forms import apply_errors  # noqa: F401 - the one helper putting action errors on a form

from .choices import Answer
from .indicators import BY_CODE, QUESTIONS
from .schemes import bands_text, parse_bands

DATE = forms.DateInput(attrs={"type": "date"})


class VersionForm(forms.Form):
    """Weights and bands of every indicator, one text line of bands each (``下限~上限=得分; …``)."""

    name = forms.CharField(label=_("方案名称"), max_length=100)
    note = forms.CharField(label=_("修订说明"), max_length=300, required=False)
    low_below = forms.FloatField(label=_("低分线（低于此分列入走访名单）"))
    fall_by = forms.FloatField(label=_("下降预警（较上次下降达此分值列入走访名单）"))

    def __init__(self, *args, config: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        config = config or {"indicators": {}, "questions": {}}
        for code, indicator in BY_CODE.items():
            entry = config["indicators"].get(code, {})
            self.fields[f"weight_{code}"] = forms.FloatField(
                label=_("%(label)s权重") % {"label": indicator.label}, required=False, initial=entry.get("weight", 0)
            )
            self.fields[f"bands_{code}"] = forms.CharField(
                label=_("%(label)s分档") % {"label": indicator.label}, required=False,
                initial=bands_text(entry["bands"]) if entry.get("bands") else "",
                widget=forms.TextInput(attrs={"size": 60}),
            )  # fmt: skip
        for question in QUESTIONS:
            entry = config["questions"].get(question.code, {})
            self.fields[f"weight_{question.code}"] = forms.FloatField(
                label=_("问卷项“%(label)s”权重") % {"label": question.label}, required=False,
                initial=entry.get("weight", 0),
            )  # fmt: skip
        if not self.is_bound:
            self.fields["low_below"].initial = config.get("low_below", 60)
            self.fields["fall_by"].initial = config.get("fall_by", 10)

    def indicator_rows(self):
        return [
            {"indicator": i, "weight": self[f"weight_{c}"], "bands": self[f"bands_{c}"]} for c, i in BY_CODE.items()
        ]

    def question_rows(self):
        return [{"question": q, "weight": self[f"weight_{q.code}"]} for q in QUESTIONS]

    def config(self) -> dict:
        """The scheme the form describes (bands parsed here so a malformed band names its field)."""
        data = self.cleaned_data
        indicators = {}
        for code in BY_CODE:
            weight = data.get(f"weight_{code}") or 0
            if weight:
                indicators[code] = {"weight": weight, "bands": parse_bands(code, data.get(f"bands_{code}") or "")}
        questions = {q.code: {"weight": data.get(f"weight_{q.code}") or 0} for q in QUESTIONS}
        return {"indicators": indicators, "questions": questions, "low_below": data["low_below"],
                "fall_by": data["fall_by"]}  # fmt: skip


class SupplementForm(forms.Form):
    year = forms.IntegerField(label=_("年度"))
    profit_wan = forms.DecimalField(label=_("利润总额（万元）"), max_digits=16, decimal_places=2, required=False)
    cost_wan = forms.DecimalField(label=_("营业成本（万元）"), max_digits=16, decimal_places=2, required=False)
    liabilities_wan = forms.DecimalField(label=_("负债总额（万元）"), max_digits=16, decimal_places=2, required=False)
    receivables_wan = forms.DecimalField(label=_("应收账款（万元）"), max_digits=16, decimal_places=2, required=False)
    inventory_wan = forms.DecimalField(label=_("存货（万元）"), max_digits=16, decimal_places=2, required=False)


class QuestionnaireForm(forms.Form):
    def __init__(self, *args, answers: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for question in QUESTIONS:
            self.fields[question.code] = forms.ChoiceField(
                label=question.label, required=False, choices=[("", _("未填写")), *Answer.choices],
                initial=(answers or {}).get(question.code, ""), widget=forms.RadioSelect,
            )  # fmt: skip


class VisitCreateForm(forms.Form):
    due_on = forms.DateField(label=_("计划走访日期"), widget=DATE)
    assignee = forms.ModelChoiceField(label=_("走访人"), queryset=None, required=False)

    def __init__(self, *args, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = staff


class VisitRecordForm(forms.Form):
    visited_on = forms.DateField(label=_("走访日期"), widget=DATE)
    notes = forms.CharField(label=_("走访记录"), widget=forms.Textarea(attrs={"rows": 4}))
    problems = forms.CharField(label=_("发现的问题"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class VisitAppealForm(forms.Form):
    department = forms.ModelChoiceField(label=_("责任部门"), queryset=None)
    problem = forms.CharField(label=_("需协调解决的问题"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
