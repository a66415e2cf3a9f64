"""API shapes of 亲清日志 data (read side) and of the inputs each action takes."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .choices import Conclusion, Organiser, Payer, Purpose, Vehicle, Venue
from .models import ConductItem, ContactEntry, Gift, Matter

MAX_ID = 2**31 - 1
MONEY = {"max_digits": 12, "decimal_places": 2}


class GiftSerializer(serializers.ModelSerializer):
    class Meta:
        model = Gift
        fields = ["id", "description", "value", "returned", "handling"]


class MatterSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True, default="")
    appeal_number = serializers.CharField(source="appeal.number", read_only=True, default="")

    class Meta:
        model = Matter
        fields = ["id", "entry", "text", "enterprise", "enterprise_name", "department", "appeal", "appeal_number",
                  "appealed_on"]  # fmt: skip


class FlagSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    reason = serializers.CharField()


class EntrySerializer(serializers.ModelSerializer):
    logged_by_name = serializers.CharField(source="logged_by.name", read_only=True)
    org_name = serializers.CharField(source="org.name", read_only=True)
    enterprises = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    gifts = GiftSerializer(many=True, read_only=True)
    matters = MatterSerializer(many=True, read_only=True)
    flags = FlagSerializer(many=True, read_only=True)

    class Meta:
        model = ContactEntry
        fields = ["id", "logged_by", "logged_by_name", "org", "org_name", "date", "place", "venue", "purpose",
                  "purpose_text", "organiser", "organiser_name", "officials", "entrepreneurs", "enterprises",
                  "had_meal", "meal_standard", "meal_paid_by", "vehicle", "costs_paid_by", "enterprise_celebration",
                  "involves_bidding", "note", "gifts", "matters", "flags", "is_flagged", "review_status",
                  "conclusion", "conclusion_text", "reviewed_by", "reviewed_on"]  # fmt: skip


class GiftInputSerializer(serializers.Serializer):
    description = serializers.CharField(label=_("礼品"), max_length=100)
    value = serializers.DecimalField(label=_("价值（元）"), **MONEY)
    returned = serializers.BooleanField(label=_("是否退还"), default=False)
    handling = serializers.CharField(label=_("处理情况"), max_length=200, required=False, allow_blank=True)


class MatterInputSerializer(serializers.Serializer):
    text = serializers.CharField(label=_("反映事项"), max_length=500)
    enterprise = serializers.IntegerField(label=_("反映企业 id"), min_value=1, max_value=MAX_ID, required=False,
                                          allow_null=True)  # fmt: skip
    department = serializers.IntegerField(label=_("建议承办单位 id"), min_value=1, max_value=MAX_ID, required=False,
                                          allow_null=True)  # fmt: skip


class EntryInputSerializer(serializers.Serializer):
    date = serializers.DateField(label=_("日期"))
    place = serializers.CharField(label=_("地点"), max_length=200)
    venue = serializers.ChoiceField(label=_("场所类型"), choices=Venue.choices)
    purpose = serializers.ChoiceField(label=_("事由"), choices=Purpose.choices)
    purpose_text = serializers.CharField(label=_("事由说明"), max_length=300, required=False, allow_blank=True)
    organiser = serializers.ChoiceField(label=_("组织方"), choices=Organiser.choices)
    organiser_name = serializers.CharField(label=_("组织方名称"), max_length=100, required=False, allow_blank=True)
    officials = serializers.CharField(label=_("参加公职人员"), max_length=300, required=False, allow_blank=True)
    entrepreneurs = serializers.CharField(label=_("参加企业家"), max_length=300, required=False, allow_blank=True)
    enterprises = serializers.ListField(label=_("参加企业 id"), max_length=50, required=False,
                                        child=serializers.IntegerField(min_value=1, max_value=MAX_ID))  # fmt: skip
    had_meal = serializers.BooleanField(label=_("是否用餐"), default=False)
    meal_standard = serializers.DecimalField(label=_("用餐标准（元/人）"), required=False, allow_null=True, **MONEY)
    meal_paid_by = serializers.ChoiceField(label=_("用餐支付方"), choices=Payer.choices, required=False,
                                           allow_blank=True)  # fmt: skip
    vehicle = serializers.ChoiceField(label=_("交通工具"), choices=Vehicle.choices)
    costs_paid_by = serializers.ChoiceField(label=_("费用承担方"), choices=Payer.choices, default=Payer.NONE)
    enterprise_celebration = serializers.BooleanField(label=_("是否为企业庆典"), default=False)
    involves_bidding = serializers.BooleanField(label=_("是否涉及招投标/采购事项"), default=False)
    note = serializers.CharField(label=_("备注"), max_length=2000, required=False, allow_blank=True)
    gifts = GiftInputSerializer(many=True, required=False, max_length=20)
    matters = MatterInputSerializer(many=True, required=False, max_length=20,
                                    help_text=_("仅在新建时使用；此后用 matters 接口补充"))  # fmt: skip


class ReviewInputSerializer(serializers.Serializer):
    conclusion = serializers.ChoiceField(label=_("审查结论"), choices=Conclusion.choices)
    conclusion_text = serializers.CharField(label=_("审查意见"), max_length=2000, allow_blank=True, default="")


class ConductSerializer(serializers.ModelSerializer):
    class Meta:
        model = ConductItem
        fields = ["id", "code", "name", "description", "rule", "threshold", "order", "is_active"]


class ConductInputSerializer(serializers.Serializer):
    code = serializers.CharField(label=_("编码"), max_length=40, required=False, allow_blank=True)
    name = serializers.CharField(label=_("名称"), max_length=50)
    description = serializers.CharField(label=_("说明"), max_length=500, required=False, allow_blank=True)
    rule = serializers.CharField(label=_("自动标记规则"), max_length=40, required=False, allow_blank=True)
    threshold = serializers.DecimalField(label=_("门槛（元）"), required=False, allow_null=True, **MONEY)
    order = serializers.IntegerField(label=_("排序"), min_value=0, max_value=32767, default=0)
    is_active = serializers.BooleanField(label=_("启用"), default=True)
