"""API shapes of programs data (read side) and of the inputs each action takes."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from . import choices as c
from .models import Donation, ListingCandidate, ListingService, Pairing, Project, ProjectYear, StageStep

MAX_ID = 2**31 - 1
AMOUNT = {"max_digits": 14, "decimal_places": 2}


class ProjectYearSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProjectYear
        fields = ["id", "project", "year", "committed", "spent", "employed", "note"]


class ProjectSerializer(serializers.ModelSerializer):
    years = ProjectYearSerializer(many=True, read_only=True)

    class Meta:
        model = Project
        fields = ["id", "pairing", "name", "kind", "started_on", "description", "years"]


class PairingSerializer(serializers.ModelSerializer):
    party_name = serializers.CharField(read_only=True)

    class Meta:
        model = Pairing
        fields = ["id", "party_kind", "enterprise", "chamber", "party_name", "county_code", "county_name", "village",
                  "started_on", "ended_on", "contact", "note"]  # fmt: skip


class PairingDetailSerializer(PairingSerializer):
    projects = ProjectSerializer(many=True, read_only=True)

    class Meta(PairingSerializer.Meta):
        fields = [*PairingSerializer.Meta.fields, "projects"]


class DonationSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    has_receipt = serializers.SerializerMethodField()

    class Meta:
        model = Donation
        fields = ["id", "number", "enterprise", "enterprise_name", "form", "amount", "items", "recipient", "purpose",
                  "donated_on", "has_receipt", "receipt_name", "major", "reported_on", "letters"]  # fmt: skip

    def get_has_receipt(self, obj) -> bool:
        return bool(obj.receipt)


class StageStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = StageStep
        fields = ["id", "stage", "on", "officer", "note"]


class ServiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = ListingService
        fields = ["id", "candidate", "kind", "on", "stage", "description", "officer"]


class CandidateSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = ListingCandidate
        fields = ["id", "enterprise", "enterprise_name", "tier", "criteria", "criteria_note", "entered_on", "stage",
                  "stage_on", "officer", "exchange", "board", "listed_on", "stock_code"]  # fmt: skip


class CandidateDetailSerializer(CandidateSerializer):
    steps = StageStepSerializer(many=True, read_only=True)
    services = ServiceSerializer(many=True, read_only=True)

    class Meta(CandidateSerializer.Meta):
        fields = [*CandidateSerializer.Meta.fields, "steps", "services"]


# --- inputs: shapes only; the actions validate the values (Chinese messages naming the field) -------------


def _id(label, required=True):
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, required=required, allow_null=not required,
                                    help_text=label)  # fmt: skip


def _text(label, max_length, required=False):
    return serializers.CharField(max_length=max_length, required=required, allow_blank=not required, default="" if
                                 not required else serializers.empty, help_text=label)  # fmt: skip


class PairingInputSerializer(serializers.Serializer):
    party_kind = serializers.ChoiceField(choices=c.PartyKind.choices, help_text=_("结对主体类型"))
    enterprise = _id(_("企业 id（企业结对）"), required=False)
    chamber = _id(_("商会 id（商会结对）"), required=False)
    county_code = serializers.CharField(max_length=12, help_text=_("村所在县级区划代码（GB/T 2260）"))
    village = serializers.CharField(max_length=200, help_text=_("行政村名称"))
    started_on = serializers.DateField(help_text=_("结对日期"))
    ended_on = serializers.DateField(required=False, allow_null=True, help_text=_("结束日期"))
    contact = _text(_("村联系人"), 50)
    note = _text(_("说明"), 2000)


class ProjectInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, help_text=_("项目名称"))
    kind = serializers.ChoiceField(choices=c.ProjectKind.choices, help_text=_("项目类型"))
    started_on = serializers.DateField(help_text=_("启动日期"))
    description = _text(_("项目内容"), 2000)


class YearInputSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=0, max_value=9999, help_text=_("年度"))
    committed = serializers.DecimalField(help_text=_("承诺投入资金（万元）"), **AMOUNT)
    spent = serializers.DecimalField(help_text=_("实际到位资金（万元）"), **AMOUNT)
    employed = serializers.IntegerField(min_value=-(10**9), max_value=10**9, required=False, default=0,
                                        help_text=_("带动就业（人）"))  # fmt: skip
    note = _text(_("备注"), 200)


class DonationInputSerializer(serializers.Serializer):
    enterprise = _id(_("捐赠企业 id（工作人员登记时必填；企业用户为本企业）"), required=False)
    form = serializers.ChoiceField(choices=c.DonationForm.choices, help_text=_("捐赠形式"))
    amount = serializers.DecimalField(help_text=_("金额或折价（万元）"), **AMOUNT)
    items = _text(_("物资明细（物资捐赠时必填）"), 300)
    recipient = serializers.CharField(max_length=200, help_text=_("受赠方"))
    purpose = serializers.CharField(max_length=400, help_text=_("用途"))
    donated_on = serializers.DateField(help_text=_("捐赠日期"))
    receipt = serializers.FileField(required=False, help_text=_("捐赠票据（PDF 或图片）"))


class ReceiptInputSerializer(serializers.Serializer):
    receipt = serializers.FileField(help_text=_("捐赠票据（PDF 或图片）"))


class CandidateInputSerializer(serializers.Serializer):
    enterprise = _id(_("企业 id"))
    tier = serializers.ChoiceField(choices=c.Tier.choices, help_text=_("梯队"))
    criteria = serializers.ListField(child=serializers.ChoiceField(choices=c.Criterion.choices), max_length=20,
                                     help_text=_("入库条件"))  # fmt: skip
    criteria_note = _text(_("条件说明"), 2000)
    entered_on = serializers.DateField(help_text=_("入库日期"))
    officer = _id(_("责任人（工作人员）id"))


class ReclassifyInputSerializer(serializers.Serializer):
    tier = serializers.ChoiceField(choices=c.Tier.choices, help_text=_("梯队"))
    criteria = serializers.ListField(child=serializers.ChoiceField(choices=c.Criterion.choices), max_length=20,
                                     help_text=_("入库条件"))  # fmt: skip
    criteria_note = _text(_("条件说明"), 2000)


class ListingStageInputSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=c.ListingStage.choices, help_text=_("阶段（只能是下一阶段）"))
    on = serializers.DateField(help_text=_("日期"))
    officer = _id(_("责任人（工作人员）id"))
    exchange = serializers.ChoiceField(choices=c.Exchange.choices, required=False, allow_blank=True,
                                       help_text=_("上市交易所（上市时必填）"))  # fmt: skip
    board = serializers.ChoiceField(choices=c.Board.choices, required=False, allow_blank=True,
                                    help_text=_("上市板块（上市时必填）"))  # fmt: skip
    stock_code = _text(_("证券代码"), 12)
    note = _text(_("备注"), 300)


class ServiceInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=c.ServiceKind.choices, help_text=_("服务类型"))
    on = serializers.DateField(help_text=_("服务日期"))
    description = serializers.CharField(max_length=1000, help_text=_("服务内容"))
    officer = _id(_("责任人（工作人员）id"), required=False)
