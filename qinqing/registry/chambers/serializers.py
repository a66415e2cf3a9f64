"""Chambers, their terms, ratings and branches in the API."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from ..choices import ChamberType, RatingScheme, RegistrationStatus
from ..models import (
    Chamber,
    ChamberBranch,
    ChamberRating,
    ChamberTerm,
)
from ..permissions import visible_chambers
from ..serializer_kit import ScopedPrimaryKey


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
