"""API representations; personal numbers are masked unless the user holds registry.view_pii."""

from rest_framework import serializers

from qinqing.core.models import Job

from .choices import SizeClass
from .masking import show_id, show_mobile
from .models import Chamber, Enterprise, EnterpriseYearFigures, Member


class EnterpriseSerializer(serializers.ModelSerializer):
    legal_rep_id_number = serializers.SerializerMethodField()
    contact_mobile = serializers.SerializerMethodField()
    qualifications = serializers.ListField(child=serializers.CharField(), source="qualification_codes", read_only=True)
    size_class = serializers.ChoiceField(
        choices=SizeClass.choices,
        allow_blank=True,
        read_only=True,
        help_text="大型/中型/小型/微型；空字符串表示行业不适用或数据不全",
    )

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "credit_code",
            "name",
            "fic",
            "region_code",
            "industry_code",
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

    def get_contact_mobile(self, obj) -> str:
        return show_mobile(obj.contact_mobile, self.context["request"].user)


class EnterpriseUpdateSerializer(serializers.Serializer):
    """Fields a PATCH may change; the action decides which of them this user may touch."""

    name = serializers.CharField(max_length=200, required=False)
    legal_representative = serializers.CharField(max_length=50, required=False, allow_blank=True)
    industry_code = serializers.CharField(max_length=5, required=False, allow_blank=True)
    employees = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    revenue_wan = serializers.DecimalField(max_digits=16, decimal_places=2, required=False, allow_null=True)
    total_assets_wan = serializers.DecimalField(max_digits=16, decimal_places=2, required=False, allow_null=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    contact_name = serializers.CharField(max_length=50, required=False, allow_blank=True)


class YearFiguresSerializer(serializers.ModelSerializer):
    class Meta:
        model = EnterpriseYearFigures
        fields = ["id", "enterprise", "year", "revenue_wan", "tax_wan", "rd_spend_wan", "employees", "total_assets_wan"]
        read_only_fields = fields


class MemberSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name", read_only=True)
    status = serializers.CharField(read_only=True)

    class Meta:
        model = Member
        fields = ["id", "organization", "kind", "enterprise", "group", "name", "role", "joined_on", "left_on", "status"]
        read_only_fields = fields


class ChamberSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = Chamber
        fields = [
            "id",
            "organization",
            "name",
            "chamber_type",
            "registration_status",
            "credit_code",
            "party_org_established",
            "party_members",
            "has_mediation_committee",
            "law_firm",
            "term_ends_on",
        ]
        read_only_fields = fields


class ImportJobSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = Job
        fields = ["id", "kind", "title", "status", "done", "total", "percent", "message", "result", "error"]
        read_only_fields = fields


class ImportRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["enterprises", "members"])
    file = serializers.FileField()
    dry_run = serializers.BooleanField(default=True)
    strict = serializers.BooleanField(default=False)
