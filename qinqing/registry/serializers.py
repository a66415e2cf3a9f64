"""API representations; personal numbers are masked unless the user holds registry.view_pii."""

from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from qinqing.core.models import Job
from qinqing.orgs.regions import region_of

from .choices import ChamberType, MemberKind, MemberRole, Qualification, RatingScheme, RegistrationStatus, SizeClass
from .importing import limits
from .masking import show_id, show_mobile
from .models import (
    Chamber,
    ChamberBranch,
    ChamberRating,
    ChamberTerm,
    Enterprise,
    EnterpriseContact,
    EnterpriseYearFigures,
    Member,
)
from .permissions import visible_chambers, visible_enterprises
from .standards import industry as industry_standard


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


class MemberSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name", read_only=True)
    status = serializers.CharField(read_only=True)

    class Meta:
        model = Member
        fields = [
            "id",
            "organization",
            "kind",
            "enterprise",
            "group",
            "group_name",
            "name",
            "role",
            "joined_on",
            "left_on",
            "status",
        ]
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

    def validate_file(self, upload):
        if not upload.name.lower().endswith((".xlsx", ".xls", ".csv")):
            raise serializers.ValidationError(_("仅支持 .xlsx、.xls 和 .csv 文件"))
        try:
            limits.check_upload(upload)  # size, expanded size and rows, before the file is stored or parsed
        except limits.FileRefused as exc:
            raise serializers.ValidationError(str(exc)) from None
        return upload


class MemberKindRowSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=gettext_lazy("会员类别代码；total 为合计"))
    label = serializers.CharField()
    count = serializers.IntegerField(help_text=gettext_lazy("年末在册"))
    last_year = serializers.IntegerField(help_text=gettext_lazy("上年末在册"))
    change = serializers.IntegerField(help_text=gettext_lazy("较上年增减"))


class GroupMembersSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text=gettext_lazy("年末在册团体会员数"))
    chambers = serializers.IntegerField(help_text=gettext_lazy("其中登记在册的商会"))
    associations = serializers.IntegerField(help_text=gettext_lazy("其中其他协会（不在本系统登记）"))
    represented = serializers.IntegerField(help_text=gettext_lazy("团体会员代表的企业数"))
    represented_in_registry = serializers.IntegerField(
        help_text=gettext_lazy("按团体会员商会的年末在册企业会员计（不重复）")
    )
    represented_declared = serializers.IntegerField(help_text=gettext_lazy("协会申报的代表企业数合计"))
    direct = serializers.IntegerField(help_text=gettext_lazy("直接企业会员（不重复的企业）"))
    also_direct = serializers.IntegerField(help_text=gettext_lazy("团体会员代表的企业中同时是直接企业会员的"))
    reached = serializers.IntegerField(help_text=gettext_lazy("联系企业合计：直接与通过团体会员，同一企业只计一次"))


class ChamberTypeRowSerializer(serializers.Serializer):
    type = serializers.CharField(help_text=gettext_lazy("商会类型代码；total 为合计"))
    label = serializers.CharField()
    count = serializers.IntegerField(help_text=gettext_lazy("年末商会数（不含已注销）"))
    last_year = serializers.IntegerField()
    change = serializers.IntegerField()


class PartyCoverageSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text=gettext_lazy("商会数"))
    covered = serializers.IntegerField(help_text=gettext_lazy("已建立党组织的商会数"))
    rate = serializers.FloatField(allow_null=True, help_text=gettext_lazy("覆盖率（%），无商会时为空"))
    party_members = serializers.IntegerField(help_text=gettext_lazy("党员人数合计"))


class RatingRowSerializer(serializers.Serializer):
    scheme = serializers.ChoiceField(choices=RatingScheme.choices)
    label = serializers.CharField()
    count = serializers.IntegerField(help_text=gettext_lazy("截至该年度获此评定的商会数"))
    this_year = serializers.IntegerField(help_text=gettext_lazy("该年度获此评定的商会数"))


class StatisticsSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    members_by_kind = MemberKindRowSerializer(many=True)
    group_members = GroupMembersSerializer()
    chambers_by_type = ChamberTypeRowSerializer(many=True)
    party_coverage = PartyCoverageSerializer()
    chambers_by_rating = RatingRowSerializer(many=True)


# --- writes and the parts of enterprises and chambers ---------------------------------------------------


def _interpolate(template: str, label: str) -> str:
    return template % {"label": label}


# The fields are made when their serializer class is defined: the messages are put together when shown.
_interpolate_lazy = lazy(_interpolate, str)


class ScopedPrimaryKey(serializers.PrimaryKeyRelatedField):
    """An id of an object the user may see (``scope(user)``); anything else is refused naming the field,
    whether it is missing or another node's (the two look the same)."""

    def __init__(self, *, scope, label: str, **kwargs):
        self.scope = scope
        kwargs.setdefault(
            "error_messages",
            {
                "does_not_exist": _interpolate_lazy(gettext_lazy("%(label)s：不存在或不在您的管辖范围内"), label),
                "incorrect_type": _interpolate_lazy(gettext_lazy("%(label)s：应为编号（整数）"), label),
                "required": _interpolate_lazy(gettext_lazy("%(label)s：请填写"), label),
                "null": _interpolate_lazy(gettext_lazy("%(label)s：请填写"), label),
            },
        )
        super().__init__(label=label, **kwargs)

    def get_queryset(self):
        return self.scope(self.context["request"].user)


def without_masked(attrs: dict) -> dict:
    """A masked number sent back as received keeps the stored one."""
    return {name: value for name, value in attrs.items() if not (isinstance(value, str) and "*" in value)}


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


FIGURE_DECIMAL = {"max_digits": 16, "decimal_places": 2, "required": False, "allow_null": True, "min_value": 0}


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


class MemberDetailSerializer(MemberSerializer):
    """One member, with what a group member passes down."""

    represented = serializers.SerializerMethodField(
        help_text=gettext_lazy("团体会员代表的企业数（商会按其在册企业会员计）")
    )

    class Meta(MemberSerializer.Meta):
        fields = [*MemberSerializer.Meta.fields, "represented_enterprises", "represented"]
        read_only_fields = fields

    def get_represented(self, obj) -> int | None:
        return obj.represented_count()


class MemberUpdateSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=MemberRole.choices, required=False)
    joined_on = serializers.DateField(required=False)
    left_on = serializers.DateField(required=False, allow_null=True)
    person_name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    id_number = serializers.CharField(
        max_length=30, required=False, allow_blank=True, help_text=gettext_lazy("个人会员")
    )
    mobile = serializers.CharField(max_length=20, required=False, allow_blank=True)
    group_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    represented_enterprises = serializers.IntegerField(
        min_value=0, max_value=10_000_000, required=False, allow_null=True
    )

    def validate(self, attrs):
        return without_masked(attrs)


class MemberCreateSerializer(MemberUpdateSerializer):
    """A new member of any kind: ``group`` (a chamber) or ``group_name``
    (an outside association, with ``represented_enterprises``) for group members; ``person_name`` for
    individuals; ``credit_code`` for enterprises. The action checks what the kind needs."""

    organization = serializers.IntegerField(min_value=1, help_text=gettext_lazy("入会组织（工商联或商会）编号"))
    kind = serializers.ChoiceField(choices=MemberKind.choices)
    credit_code = serializers.CharField(
        max_length=30,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("企业会员：企业的统一社会信用代码（须已登记在入会组织的工商联）"),
    )
    group = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, help_text=gettext_lazy("团体会员商会的组织编号")
    )
    joined_on = serializers.DateField()


class ChamberFieldsSerializer(serializers.Serializer):
    chamber_type = serializers.ChoiceField(choices=ChamberType.choices, required=False)
    registration_status = serializers.ChoiceField(choices=RegistrationStatus.choices, required=False)
    credit_code = serializers.CharField(max_length=30, required=False, allow_blank=True)
    registered_on = serializers.DateField(required=False, allow_null=True)
    party_org_established = serializers.BooleanField(required=False)
    party_members = serializers.IntegerField(min_value=0, max_value=10_000_000, required=False)
    has_mediation_committee = serializers.BooleanField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ChamberUpdateSerializer(ChamberFieldsSerializer):
    law_firm_id = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, help_text=gettext_lazy("本会所属工商联及上级的律师事务所")
    )


class ChamberCreateSerializer(ChamberFieldsSerializer):
    """An existing chamber node of the user's subtree without a record (``organization``), or a new one
    (``name`` under ``fic``, region defaulting to the FIC's)."""

    chamber_type = serializers.ChoiceField(choices=ChamberType.choices)
    organization = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    fic = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, help_text=gettext_lazy("所属工商联组织编号")
    )
    region_code = serializers.CharField(max_length=6, required=False, allow_blank=True)

    def validate(self, attrs):
        if not attrs.get("organization") and not ((attrs.get("name") or "").strip() and attrs.get("fic")):
            raise serializers.ValidationError({"name": _("商会名称：请给出已有商会组织，或新商会的名称和所属工商联")})
        return attrs


class TermDetailSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChamberTerm
        fields = ["id", "chamber", "number", "starts_on", "ends_on", "president", "secretary_general"]
        read_only_fields = fields


class TermUpdateSerializer(serializers.Serializer):
    starts_on = serializers.DateField(required=False)
    ends_on = serializers.DateField(required=False)
    president = serializers.CharField(max_length=50, required=False, allow_blank=True)
    secretary_general = serializers.CharField(max_length=50, required=False, allow_blank=True)


class TermCreateSerializer(TermUpdateSerializer):
    """Record a new leadership term (换届); its end date becomes the chamber's next 换届 due date."""

    chamber = ScopedPrimaryKey(
        queryset=Chamber.objects.all(), scope=lambda user: visible_chambers(user), label=gettext_lazy("商会")
    )
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()


class RatingDetailSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChamberRating
        fields = ["id", "chamber", "scheme", "year"]
        read_only_fields = fields


class RatingCreateSerializer(serializers.Serializer):
    chamber = ScopedPrimaryKey(
        queryset=Chamber.objects.all(), scope=lambda user: visible_chambers(user), label=gettext_lazy("商会")
    )
    scheme = serializers.ChoiceField(choices=RatingScheme.choices)
    year = serializers.IntegerField(min_value=1990, max_value=2999)


class BranchDetailSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChamberBranch
        fields = ["id", "chamber", "name", "region_code", "contact_name", "established_on"]
        read_only_fields = fields


class BranchUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False)
    region_code = serializers.CharField(max_length=6, required=False, allow_blank=True)
    contact_name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    established_on = serializers.DateField(required=False, allow_null=True)


class BranchCreateSerializer(BranchUpdateSerializer):
    chamber = ScopedPrimaryKey(
        queryset=Chamber.objects.all(), scope=lambda user: visible_chambers(user), label=gettext_lazy("商会")
    )
    name = serializers.CharField(max_length=100)
