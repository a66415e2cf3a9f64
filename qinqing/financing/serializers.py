"""API shapes of financing data (read side) and of the inputs each action takes."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .choices import Guarantee, Purpose, Stage
from .models import BankProduct, FinancingNeed, FixTask, MatchEvent, NeedReferral, PushBatch, RefusalReason

MAX_ID = 2**31 - 1
AMOUNT = {"max_digits": 14, "decimal_places": 2}


class NeedSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    preferred_banks = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = FinancingNeed
        fields = ["id", "number", "enterprise", "enterprise_name", "fic", "amount", "term_months", "purpose",
                  "purpose_text", "guarantee", "is_first_loan", "rate_ceiling", "needed_by", "preferred_banks",
                  "credit_check_authorised", "authorisation_note", "contact_name", "contact_phone", "source",
                  "stated_on", "list_state", "screening", "screening_note", "chamber", "chamber_note",
                  "stage"]  # fmt: skip


class ReferralSerializer(serializers.ModelSerializer):
    need = NeedSerializer(read_only=True)
    bank_name = serializers.CharField(source="bank.name", read_only=True)
    refusal_reason_name = serializers.CharField(source="refusal_reason.name", read_only=True, default="")

    class Meta:
        model = NeedReferral
        fields = ["id", "need", "bank", "bank_name", "batch", "previous", "stage", "pushed_on",
                  "application_complete_on", "answer_due", "answered_on", "intention_amount", "credit_amount",
                  "credit_on", "loan_amount", "loan_on", "loan_rate", "is_credit_loan", "refusal_reason",
                  "refusal_reason_name", "refusal_text", "refused_on"]  # fmt: skip


class BatchSerializer(serializers.ModelSerializer):
    class Meta:
        model = PushBatch
        fields = ["id", "bank", "fic", "kind", "chamber", "credit_line", "note", "pushed_on"]


class EventSerializer(serializers.ModelSerializer):
    banks = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = MatchEvent
        fields = ["id", "fic", "title", "date", "place", "banks"]


class ProductSerializer(serializers.ModelSerializer):
    bank_name = serializers.CharField(source="bank.name", read_only=True)

    class Meta:
        model = BankProduct
        fields = ["id", "bank", "bank_name", "name", "amount_min", "amount_max", "term_min", "term_max", "rate_min",
                  "rate_max", "guarantees", "repayment", "rule", "materials", "approval_days",
                  "is_active"]  # fmt: skip


class FixTaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = FixTask
        fields = ["id", "referral", "need", "problem", "department", "measure", "status", "appeal", "fixed_on",
                  "result"]  # fmt: skip


class ReasonSerializer(serializers.ModelSerializer):
    class Meta:
        model = RefusalReason
        fields = ["id", "code", "name", "fixable", "needs_text", "is_active"]


class NeedInputSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False,
                                          help_text=_("企业 id（工作人员登记时必填；企业用户为本企业）"))  # fmt: skip
    amount = serializers.DecimalField(help_text=_("融资金额（万元）"), **AMOUNT)
    term_months = serializers.IntegerField(min_value=0, max_value=10000, help_text=_("期限（月）"))
    purpose = serializers.ChoiceField(choices=Purpose.choices)
    purpose_text = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    guarantee = serializers.ChoiceField(choices=Guarantee.choices)
    is_first_loan = serializers.BooleanField(required=False, default=False)
    rate_ceiling = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, allow_null=True)
    needed_by = serializers.DateField(required=False, allow_null=True)
    preferred_banks = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
                                            required=False, default=list)  # fmt: skip
    credit_check_authorised = serializers.BooleanField(required=False, default=False)
    authorisation_note = serializers.CharField(required=False, allow_blank=True, default="")
    contact_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    contact_phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")


class ScreenInputSerializer(serializers.Serializer):
    attested = serializers.DictField(
        child=serializers.BooleanField(),
        required=False,
        default=dict,
        help_text=_("核实确认的条件：genuine/credit/use（及无登记数据时的 operating/premises）"),
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", help_text=_("筛查意见"))


class IdsSerializer(serializers.Serializer):
    needs = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=MAX_ID), min_length=1,
                                  max_length=5000)  # fmt: skip


class PushInputSerializer(IdsSerializer):
    bank = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text=_("金融机构 id"))
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ChamberEntrySerializer(NeedInputSerializer):
    chamber_note = serializers.CharField(required=False, allow_blank=True, default="", help_text=_("商会筛查意见"))


class ChamberInputSerializer(serializers.Serializer):
    bank = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    credit_line = serializers.DecimalField(required=False, allow_null=True, **AMOUNT)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    entries = ChamberEntrySerializer(many=True)


class StageInputSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=[c for c in Stage.choices if c[0] != Stage.PUSHED])
    on = serializers.DateField(required=False, allow_null=True)
    amount = serializers.DecimalField(required=False, allow_null=True, **AMOUNT)
    rate = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, allow_null=True)
    reason = serializers.CharField(max_length=30, required=False, allow_blank=True, default="",
                                   help_text=_("未获贷原因编码（见原因目录）"))  # fmt: skip
    reason_text = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class BankInputSerializer(serializers.Serializer):
    bank = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class EventInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    date = serializers.DateField()
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    banks = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False,
                                  default=list)  # fmt: skip
    invited = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False,
                                    default=list)  # fmt: skip
    attending = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False,
                                      default=list)  # fmt: skip


class IntentionInputSerializer(serializers.Serializer):
    need = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    bank = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    amount = serializers.DecimalField(**AMOUNT)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ProductInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    amount_min = serializers.DecimalField(**AMOUNT)
    amount_max = serializers.DecimalField(**AMOUNT)
    term_min = serializers.IntegerField(min_value=0, max_value=10000)
    term_max = serializers.IntegerField(min_value=0, max_value=10000)
    rate_min = serializers.DecimalField(max_digits=5, decimal_places=2)
    rate_max = serializers.DecimalField(max_digits=5, decimal_places=2)
    guarantees = serializers.ListField(child=serializers.ChoiceField(choices=Guarantee.choices), min_length=1)
    repayment = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    rule = serializers.JSONField(required=False, default=dict)
    materials = serializers.CharField(required=False, allow_blank=True, default="")
    approval_days = serializers.IntegerField(min_value=0, max_value=10000, required=False, default=15)
    is_active = serializers.BooleanField(required=False, default=True)


class FixInputSerializer(serializers.Serializer):
    problem = serializers.CharField(max_length=500)
    department = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True)
    measure = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class FixDoneSerializer(serializers.Serializer):
    result = serializers.CharField(max_length=500)


class FileSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("Excel 文件（.xlsx）"))


class ImportResultSerializer(serializers.Serializer):
    rows = serializers.IntegerField()
    done = serializers.IntegerField()
    errors = serializers.ListField(child=serializers.CharField())


class ProductFitSerializer(serializers.Serializer):
    product = ProductSerializer()
    verdict = serializers.CharField()
    verdict_label = serializers.CharField()
    met = serializers.ListField(child=serializers.CharField())
    missing = serializers.ListField(child=serializers.CharField())
