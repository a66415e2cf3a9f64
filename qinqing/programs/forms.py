"""Page forms of the programs. They only shape input: the actions validate it (Chinese messages naming the
field) and their errors are put back on the form's fields with ``apply_errors``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from qinqing.core.roles import Role
from qinqing.orgs.forms import add_action_errors as apply_errors  # noqa: F401  (the one helper, re-used)

from . import choices as c

DATE = forms.DateInput(attrs={"type": "date"})


def fic_officers(user):
    """Active FIC staff and leaders of the user's node and below (the responsible officers they may name)."""
    from qinqing.accounts.models import User

    if not user.org_id:
        return User.objects.none()
    return User.objects.filter(
        role__in=[Role.FIC_STAFF, Role.FIC_LEADER], is_active=True, org__path__startswith=user.org.path
    ).order_by("org__path", "name")


class PairingForm(forms.Form):
    party_kind = forms.ChoiceField(label=_("结对主体类型"), choices=c.PartyKind.choices)
    credit_code = forms.CharField(label=_("企业统一社会信用代码"), max_length=18, required=False,
                                  help_text=_("企业结对时填写"))  # fmt: skip
    chamber = forms.ModelChoiceField(label=_("商会"), queryset=None, required=False, help_text=_("商会结对时选择"))
    county_code = forms.CharField(label=_("村所在县级区划代码"), max_length=12,
                                  help_text=_("GB/T 2260 县级代码，如 430621（岳阳县）"))  # fmt: skip
    village = forms.CharField(label=_("行政村名称"), max_length=60)
    started_on = forms.DateField(label=_("结对日期"), widget=DATE)
    ended_on = forms.DateField(label=_("结束日期"), widget=DATE, required=False)
    contact = forms.CharField(label=_("村联系人"), max_length=50, required=False)
    note = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from qinqing.orgs.models import Organization

        path = user.org.path if user is not None and user.org_id else "\0"
        self.fields["chamber"].queryset = Organization.objects.filter(kind="chamber", path__startswith=path)


class ProjectForm(forms.Form):
    name = forms.CharField(label=_("项目名称"), max_length=100)
    kind = forms.ChoiceField(label=_("项目类型"), choices=c.ProjectKind.choices)
    started_on = forms.DateField(label=_("启动日期"), widget=DATE)
    description = forms.CharField(label=_("项目内容"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("年度"))
    committed = forms.DecimalField(label=_("承诺投入资金（万元）"), max_digits=14, decimal_places=2)
    spent = forms.DecimalField(label=_("实际到位资金（万元）"), max_digits=14, decimal_places=2)
    employed = forms.IntegerField(label=_("带动就业（人）"), required=False)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class DonationEntryForm(forms.Form):
    credit_code = forms.CharField(label=_("捐赠企业统一社会信用代码"), max_length=18, required=False)
    form = forms.ChoiceField(label=_("捐赠形式"), choices=c.DonationForm.choices)
    amount = forms.DecimalField(label=_("金额或折价（万元）"), max_digits=14, decimal_places=2)
    items = forms.CharField(label=_("物资明细"), max_length=300, required=False, help_text=_("物资捐赠时填写"))
    recipient = forms.CharField(label=_("受赠方"), max_length=100)
    purpose = forms.CharField(label=_("用途"), max_length=200)
    donated_on = forms.DateField(label=_("捐赠日期"), widget=DATE)
    receipt = forms.FileField(label=_("捐赠票据"), required=False, help_text=_("PDF 或图片，不超过 10 MB"))

    def __init__(self, *args, staff: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not staff:
            del self.fields["credit_code"]


class ReceiptForm(forms.Form):
    receipt = forms.FileField(label=_("捐赠票据"))


class CandidateForm(forms.Form):
    credit_code = forms.CharField(label=_("企业统一社会信用代码"), max_length=18)
    tier = forms.ChoiceField(label=_("梯队"), choices=c.Tier.choices)
    criteria = forms.MultipleChoiceField(label=_("入库条件"), choices=c.Criterion.choices,
                                         widget=forms.CheckboxSelectMultiple, required=False)  # fmt: skip
    criteria_note = forms.CharField(label=_("条件说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                                    help_text=_("如：2025年营业收入3.2亿元，净利润4100万元"))  # fmt: skip
    entered_on = forms.DateField(label=_("入库日期"), widget=DATE)
    officer = forms.ModelChoiceField(label=_("责任人"), queryset=None, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = fic_officers(user)


class ReclassifyForm(forms.Form):
    tier = forms.ChoiceField(label=_("梯队"), choices=c.Tier.choices)
    criteria = forms.MultipleChoiceField(label=_("入库条件"), choices=c.Criterion.choices,
                                         widget=forms.CheckboxSelectMultiple, required=False)  # fmt: skip
    criteria_note = forms.CharField(label=_("条件说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("阶段"), choices=c.ListingStage.choices)
    on = forms.DateField(label=_("日期"), widget=DATE)
    officer = forms.ModelChoiceField(label=_("责任人"), queryset=None, required=False)
    exchange = forms.ChoiceField(label=_("上市交易所"), choices=[("", "—"), *c.Exchange.choices], required=False)
    board = forms.ChoiceField(label=_("上市板块"), choices=[("", "—"), *c.Board.choices], required=False)
    stock_code = forms.CharField(label=_("证券代码"), max_length=12, required=False)
    note = forms.CharField(label=_("备注"), max_length=300, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = fic_officers(user)


class ServiceForm(forms.Form):
    kind = forms.ChoiceField(label=_("服务类型"), choices=c.ServiceKind.choices)
    on = forms.DateField(label=_("服务日期"), widget=DATE)
    description = forms.CharField(label=_("服务内容"), max_length=500)
    officer = forms.ModelChoiceField(label=_("责任人"), queryset=None, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = fic_officers(user)
