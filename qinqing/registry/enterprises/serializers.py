"""Enterprises, their contacts and yearly figures in the API; personal numbers are masked unless the user
holds registry.view_pii."""

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from qinqing.orgs.regions import region_of

from ..choices import Qualification, SizeClass
from ..masking import show_id, show_mobile
from ..models import (
    Enterprise,
    EnterpriseContact,
    EnterpriseYearFigures,
)
from ..permissions import visible_enterprises
from ..serializer_kit import ScopedPrimaryKey, without_masked
from ..standards import industry as industry_standard

FIGURE_DECIMAL = {"max_digits": 16, "decimal_places": 2, "required": False, "allow_null": True, "min_value": 0}


class EnterpriseSerializer(serializers.ModelSerializer):
    legal_rep_id_number = serializers.SerializerMethodField()
    contact_mobile = serializers.SerializerMethodField()
    industry_name = serializers.SerializerMethodField(help_text=gettext_lazy("GB/T 4754 行业名称；代码未知时为空"))
    region_name = serializers.SerializerMethodField(help_text=gettext_lazy("GB/T 2260 行政区划名称；代码未知时为空"))
    qualifications = serializers.ListField(child=serializers.CharField(), source="qualification_codes", read_only=True)
    size_class = serializers.ChoiceField(
        choices=SizeClass.choices,
        allow_blank=True,
        read_only=True,
        help_text=gettext_lazy("大型/中型/小型/微型；空字符串表示行业不适用或数据不全"),
    )

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "credit_code",
            "name",
            "fic",
            "region_code",
            "region_name",
            "industry_code",
            "industry_name",
            "legal_representative",
            "legal_rep_id_number",
            "founded_on",
            "employees",
            "revenue_wan",
            "total_assets_wan",
            "size_class",
            "qualifications",
            "address",
            "contact_name",
            "contact_mobile",
            "updated_at",
        ]
        read_only_fields = fields

    def get_legal_rep_id_number(self, obj) -> str:
        return show_id(obj.legal_rep_id_number, self.context["request"].user)

    def get_industry_name(self, obj) -> str:
        entry = industry_standard.lookup(obj.industry_code) if obj.industry_code else None
        return entry.name if entry is not None else ""

    def get_region_name(self, obj) -> str:
        region = region_of(obj.region_code) if obj.region_code else None
        return region.name if region is not None else ""

    def get_contact_mobile(self, obj) -> str:
        return show_mobile(obj.contact_mobile, self.context["request"].user)


class EnterpriseUpdateSerializer(serializers.Serializer):
    """Fields a PATCH may change; the action decides which of them this user may touch and checks them
    against the standards (``registry.rules``, shared with the form and imports)."""

    name = serializers.CharField(max_length=200, required=False)
    legal_representative = serializers.CharField(max_length=50, required=False, allow_blank=True)
    legal_rep_id_number = serializers.CharField(
        max_length=30,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("18位身份证号；原样回传的掩码值保持不变"),
    )
    region_code = serializers.CharField(
        max_length=12, required=False, allow_blank=True, help_text=gettext_lazy("GB/T 2260 行政区划代码（6位）")
    )
    industry_code = serializers.CharField(
        max_length=12,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("GB/T 4754-2017 行业代码，如 C3311 或 3311"),
    )
    founded_on = serializers.DateField(required=False, allow_null=True)
    employees = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    revenue_wan = serializers.DecimalField(max_digits=16, decimal_places=2, required=False, allow_null=True)
    total_assets_wan = serializers.DecimalField(max_digits=16, decimal_places=2, required=False, allow_null=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    contact_name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    contact_mobile = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("11位手机号码；原样回传的掩码值保持不变"),
    )

    def validate(self, attrs):
        # A masked number sent back as received keeps the stored one.
        return {name: value for name, value in attrs.items() if not (isinstance(value, str) and "*" in value)}


class EnterpriseCreateSerializer(EnterpriseUpdateSerializer):
    """A new enterprise under the user's own FIC node; checked by the same action as the page."""

    credit_code = serializers.CharField(max_length=30, help_text=gettext_lazy("统一社会信用代码（GB 32100-2015）"))
    name = serializers.CharField(max_length=200)
    qualifications = serializers.ListField(
        child=serializers.ChoiceField(choices=Qualification.choices), required=False, help_text=gettext_lazy("资质代码")
    )


class YearFiguresSerializer(serializers.ModelSerializer):
    class Meta:
        model = EnterpriseYearFigures
        fields = ["id", "enterprise", "year", "revenue_wan", "tax_wan", "rd_spend_wan", "employees", "total_assets_wan"]
        read_only_fields = fields


class ContactSerializer(serializers.ModelSerializer):
    mobile = serializers.SerializerMethodField()
    id_number = serializers.SerializerMethodField()

    class Meta:
        model = EnterpriseContact
        fields = ["id", "enterprise", "name", "position", "mobile", "id_number"]
        read_only_fields = fields

    def get_mobile(self, obj) -> str:
        return show_mobile(obj.mobile, self.context["request"].user)

    def get_id_number(self, obj) -> str:
        return show_id(obj.id_number, self.context["request"].user)


class ContactUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50, required=False)
    position = serializers.CharField(max_length=50, required=False, allow_blank=True)
    mobile = serializers.CharField(
        max_length=20, required=False, allow_blank=True, help_text=gettext_lazy("掩码值原样回传则不变")
    )
    id_number = serializers.CharField(
        max_length=30, required=False, allow_blank=True, help_text=gettext_lazy("掩码值原样回传则不变")
    )

    def validate(self, attrs):
        return without_masked(attrs)


class ContactCreateSerializer(ContactUpdateSerializer):
    enterprise = ScopedPrimaryKey(
        queryset=Enterprise.objects.all(), scope=lambda user: visible_enterprises(user), label=gettext_lazy("企业")
    )
    name = serializers.CharField(max_length=50)


class YearFiguresUpdateSerializer(serializers.Serializer):
    revenue_wan = serializers.DecimalField(**FIGURE_DECIMAL)
    tax_wan = serializers.DecimalField(**FIGURE_DECIMAL)
    rd_spend_wan = serializers.DecimalField(**FIGURE_DECIMAL)
    employees = serializers.IntegerField(min_value=0, max_value=10_000_000, required=False, allow_null=True)
    total_assets_wan = serializers.DecimalField(**FIGURE_DECIMAL)


class YearFiguresCreateSerializer(YearFiguresUpdateSerializer):
    """Enter or correct one year's figures (one row per enterprise and year, never overwriting another)."""

    enterprise = ScopedPrimaryKey(
        queryset=Enterprise.objects.all(), scope=lambda user: visible_enterprises(user), label=gettext_lazy("企业")
    )
    year = serializers.IntegerField(min_value=1949, max_value=2999, help_text=gettext_lazy("年度"))
