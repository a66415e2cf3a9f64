"""Members in the API; personal numbers are masked unless the user holds registry.view_pii."""

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from ..choices import MemberKind, MemberRole
from ..models import (
    Member,
)
from ..serializer_kit import without_masked


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
