"""API representations; personal numbers are masked unless the user holds registry.view_pii."""

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from .chambers.serializers import (
    BranchCreateSerializer,
    BranchDetailSerializer,
    BranchUpdateSerializer,
    ChamberBranchSerializer,
    ChamberCreateSerializer,
    ChamberFieldsSerializer,
    ChamberRatingSerializer,
    ChamberSerializer,
    ChamberTermSerializer,
    ChamberUpdateSerializer,
    RatingCreateSerializer,
    RatingDetailSerializer,
    TermCreateSerializer,
    TermDetailSerializer,
    TermUpdateSerializer,
)
from .choices import RatingScheme
from .enterprises.serializers import (
    FIGURE_DECIMAL,
    ContactCreateSerializer,
    ContactSerializer,
    ContactUpdateSerializer,
    EnterpriseCreateSerializer,
    EnterpriseSerializer,
    EnterpriseUpdateSerializer,
    YearFiguresCreateSerializer,
    YearFiguresSerializer,
    YearFiguresUpdateSerializer,
)
from .importing.serializers import ImportJobSerializer, ImportRequestSerializer
from .members.serializers import (
    MemberCreateSerializer,
    MemberDetailSerializer,
    MemberSerializer,
    MemberUpdateSerializer,
)
from .serializer_kit import ScopedPrimaryKey, without_masked

# The serializers live beside their models (enterprises/, members/, chambers/, importing/); every name
# stays importable from here.
__all__ = [
    "FIGURE_DECIMAL",
    "BranchCreateSerializer",
    "BranchDetailSerializer",
    "BranchUpdateSerializer",
    "ChamberBranchSerializer",
    "ChamberCreateSerializer",
    "ChamberFieldsSerializer",
    "ChamberRatingSerializer",
    "ChamberSerializer",
    "ChamberTermSerializer",
    "ChamberUpdateSerializer",
    "ContactCreateSerializer",
    "ContactSerializer",
    "ContactUpdateSerializer",
    "EnterpriseCreateSerializer",
    "EnterpriseSerializer",
    "EnterpriseUpdateSerializer",
    "ImportJobSerializer",
    "ImportRequestSerializer",
    "MemberCreateSerializer",
    "MemberDetailSerializer",
    "MemberSerializer",
    "MemberUpdateSerializer",
    "RatingCreateSerializer",
    "RatingDetailSerializer",
    "ScopedPrimaryKey",
    "TermCreateSerializer",
    "TermDetailSerializer",
    "TermUpdateSerializer",
    "YearFiguresCreateSerializer",
    "YearFiguresSerializer",
    "YearFiguresUpdateSerializer",
    "without_masked",
]


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
