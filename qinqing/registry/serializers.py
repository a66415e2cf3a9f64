"""API representations; personal numbers are masked unless the user holds registry.view_pii."""

from rest_framework import serializers

from qinqing.core.models import Job

from .choices import Qualification, RatingScheme, SizeClass
from .masking import show_id, show_mobile
from .models import Chamber, ChamberBranch, ChamberRating, ChamberTerm, Enterprise, EnterpriseYearFigures, Member


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
    """Fields a PATCH may change; the action decides which of them this user may touch and checks them
    against the standards (``registry.rules``, shared with the form and imports)."""

    name = serializers.CharField(max_length=200, required=False)
    legal_representative = serializers.CharField(max_length=50, required=False, allow_blank=True)
    legal_rep_id_number = serializers.CharField(
        max_length=30, required=False, allow_blank=True, help_text="18位身份证号；原样回传的掩码值保持不变"
    )
    region_code = serializers.CharField(
        max_length=12, required=False, allow_blank=True, help_text="GB/T 2260 行政区划代码（6位）"
    )
    industry_code = serializers.CharField(
        max_length=12, required=False, allow_blank=True, help_text="GB/T 4754-2017 行业代码，如 C3311 或 3311"
    )
    founded_on = serializers.DateField(required=False, allow_null=True)
    employees = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    revenue_wan = serializers.DecimalField(max_digits=16, decimal_places=2, required=False, allow_null=True)
    total_assets_wan = serializers.DecimalField(max_digits=16, decimal_places=2, required=False, allow_null=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    contact_name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    contact_mobile = serializers.CharField(
        max_length=20, required=False, allow_blank=True, help_text="11位手机号码；原样回传的掩码值保持不变"
    )

    def validate(self, attrs):
        # A masked number sent back as received keeps the stored one.
        return {name: value for name, value in attrs.items() if not (isinstance(value, str) and "*" in value)}


class EnterpriseCreateSerializer(EnterpriseUpdateSerializer):
    """A new enterprise under the user's own FIC node; checked by the same action as the page."""

    credit_code = serializers.CharField(max_length=30, help_text="统一社会信用代码（GB 32100-2015）")
    name = serializers.CharField(max_length=200)
    qualifications = serializers.ListField(
        child=serializers.ChoiceField(choices=Qualification.choices), required=False, help_text="资质代码"
    )


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


class ChamberTermSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChamberTerm
        fields = ["id", "number", "starts_on", "ends_on", "president", "secretary_general"]
        read_only_fields = fields


class ChamberRatingSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChamberRating
        fields = ["id", "scheme", "year"]
        read_only_fields = fields


class ChamberBranchSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChamberBranch
        fields = ["id", "name", "region_code", "contact_name", "established_on"]
        read_only_fields = fields


class ChamberSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="organization.name", read_only=True)
    terms = ChamberTermSerializer(many=True, read_only=True)
    ratings = ChamberRatingSerializer(many=True, read_only=True)
    branches = ChamberBranchSerializer(many=True, read_only=True)

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
            "registered_on",
            "terms",
            "ratings",
            "branches",
        ]
        read_only_fields = fields


class ImportJobSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = Job
        fields = ["id", "kind", "title", "status", "done", "total", "percent", "message", "result", "error"]
        read_only_fields = fields


class ImportRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["enterprises", "members", "chambers"])
    file = serializers.FileField()
    dry_run = serializers.BooleanField(default=True)
    strict = serializers.BooleanField(default=False)


class MemberKindRowSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="会员类别代码；total 为合计")
    label = serializers.CharField()
    count = serializers.IntegerField(help_text="年末在册")
    last_year = serializers.IntegerField(help_text="上年末在册")
    change = serializers.IntegerField(help_text="较上年增减")


class GroupMembersSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="年末在册团体会员数")
    chambers = serializers.IntegerField(help_text="其中登记在册的商会")
    associations = serializers.IntegerField(help_text="其中其他协会（不在本系统登记）")
    represented = serializers.IntegerField(help_text="团体会员代表的企业数")
    represented_in_registry = serializers.IntegerField(help_text="按团体会员商会的年末在册企业会员计（不重复）")
    represented_declared = serializers.IntegerField(help_text="协会申报的代表企业数合计")
    direct = serializers.IntegerField(help_text="直接企业会员（不重复的企业）")
    also_direct = serializers.IntegerField(help_text="团体会员代表的企业中同时是直接企业会员的")
    reached = serializers.IntegerField(help_text="联系企业合计：直接与通过团体会员，同一企业只计一次")


class ChamberTypeRowSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="商会类型代码；total 为合计")
    label = serializers.CharField()
    count = serializers.IntegerField(help_text="年末商会数（不含已注销）")
    last_year = serializers.IntegerField()
    change = serializers.IntegerField()


class PartyCoverageSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text="商会数")
    covered = serializers.IntegerField(help_text="已建立党组织的商会数")
    rate = serializers.FloatField(allow_null=True, help_text="覆盖率（%），无商会时为空")
    party_members = serializers.IntegerField(help_text="党员人数合计")


class RatingRowSerializer(serializers.Serializer):
    scheme = serializers.ChoiceField(choices=RatingScheme.choices)
    label = serializers.CharField()
    count = serializers.IntegerField(help_text="截至该年度获此评定的商会数")
    this_year = serializers.IntegerField(help_text="该年度获此评定的商会数")


class StatisticsSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    members_by_kind = MemberKindRowSerializer(many=True)
    group_members = GroupMembersSerializer()
    chambers_by_type = ChamberTypeRowSerializer(many=True)
    party_coverage = PartyCoverageSerializer()
    chambers_by_rating = RatingRowSerializer(many=True)
