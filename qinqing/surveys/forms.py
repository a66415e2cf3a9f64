"""Forms bind and type the input; the actions and the structure module validate and write (their
ValidationError names the field, which apply_errors puts back on the form)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from qinqing.financing.forms import apply_errors  # noqa: F401  (the one way field errors return to a form)
from qinqing.policies.rule_builder import RuleField

from .choices import Audience, Kind
from .structure import ENVIRONMENTS


class SurveyForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200, required=False)
    description = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    template = forms.ChoiceField(
        label=_("模板"),
        required=False,
        choices=[("", _("空白问卷")), ("wanjia", _("万家民营企业评营商环境")), ("satisfaction", _("会员满意度调查"))],
    )
    anonymous = forms.BooleanField(label=_("匿名问卷（工作人员无法将答卷与企业对应）"), required=False)
    multiple = forms.BooleanField(label=_("允许同一企业多次填写"), required=False)
    audience = forms.ChoiceField(label=_("调查对象"), choices=Audience.choices, initial=Audience.RULE)
    rule = RuleField(
        label=_("选定条件"),
        help_text=_(
            "调查对象按条件选定时使用：与政策申报条件相同的条件构建器（地区、行业、规模、是否会员、所属商会等），"
            "不设条件即本单位辖区内全部企业"
        ),
    )
    closes_on = forms.DateField(label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    # Who is asked, and how: fixed once the survey opens (actions._settings), so not offered as editable then.
    FIXED_WHEN_OPEN = ("anonymous", "multiple", "audience", "rule")

    def __init__(self, *args, creating: bool = True, user=None, fixed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].for_user(user)
        if not creating:
            del self.fields["template"]
        self.fixed = fixed
        if fixed:
            for name in self.FIXED_WHEN_OPEN:
                del self.fields[name]

    def data_for_action(self) -> dict:
        d = self.cleaned_data
        names = ("title", "description", "anonymous", "multiple", "audience", "rule", "closes_on")
        return {name: d[name] for name in names if name in self.fields}

    @staticmethod
    def initial_for(survey) -> dict:
        return {k: getattr(survey, k) for k in ("title", "description", "anonymous", "multiple", "audience", "rule",
                                                "closes_on")}  # fmt: skip


class QuestionForm(forms.Form):
    section = forms.CharField(label=_("所属部分"), max_length=200, required=False)
    code = forms.CharField(label=_("题目编码"), max_length=20)
    kind = forms.ChoiceField(label=_("题型"), choices=Kind.choices)
    label = forms.CharField(label=_("题目"), max_length=500)
    required = forms.BooleanField(label=_("必答"), required=False, initial=True)
    options = forms.CharField(label=_("选项（每行一个）"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    items = forms.CharField(label=_("矩阵子项（每行“编码 文字”）"), required=False,
                            widget=forms.Textarea(attrs={"rows": 4}))  # fmt: skip
    top_n = forms.IntegerField(label=_("排序题选前 N 项"), required=False, min_value=1)
    min = forms.FloatField(label=_("数值最小值"), required=False)
    max = forms.FloatField(label=_("数值最大值"), required=False)
    environment = forms.ChoiceField(label=_("营商环境维度"), required=False,
                                    choices=[("", "—"), *ENVIRONMENTS.items()])  # fmt: skip
    show_if_code = forms.CharField(label=_("显示条件：前面题目的编码"), max_length=20, required=False)
    show_if_values = forms.CharField(label=_("显示条件：选项值（逗号分隔）"), required=False)

    def question(self) -> dict:
        d = self.cleaned_data
        q = {"code": d["code"].strip(), "kind": d["kind"], "label": d["label"], "required": d["required"]}
        options = [line.strip() for line in (d.get("options") or "").splitlines() if line.strip()]
        if options:
            q["options"] = options
        rows = []
        for line in (d.get("items") or "").splitlines():
            code, _sep, label = line.strip().partition(" ")
            if code:
                rows.append({"code": code, "label": label.strip()})
        if rows:
            q["items"] = rows
        for name in ("top_n", "min", "max", "environment"):
            if d.get(name) not in (None, ""):
                q[name] = d[name]
        if d.get("show_if_code"):
            values = [v for v in (d.get("show_if_values") or "").replace("，", ",").split(",") if v.strip()]
            q["show_if"] = {"code": d["show_if_code"].strip(), "values": values}
        return q


class ImportForm(forms.Form):
    file = forms.FileField(label=_("答卷文件（.xlsx）"))
