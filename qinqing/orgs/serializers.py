from rest_framework import serializers

from .models import Organization, Region


class OrganizationSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Organization
        fields = [
            "id",
            "kind",
            "kind_display",
            "name",
            "short_name",
            "code",
            "fic_level",
            "region_code",
            "parent",
            "path",
            "contact_phone",
            "address",
            "is_active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name", "level", "parent_code", "valid_from", "valid_to"]
        read_only_fields = fields
