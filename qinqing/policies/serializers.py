"""API representations of policies, explanations and matching results."""

from rest_framework import serializers

from qinqing.orgs.models import Organization

from .choices import ApplicationMethod, BenefitType, Level
from .models import Policy


class PolicySerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True)
    issuer_display = serializers.CharField(read_only=True)
    highlight = serializers.SerializerMethodField()

    class Meta:
        model = Policy
        fields = [
            "id",
            "title",
            "doc_number",
            "issuer",
            "issuer_name",
            "issuer_display",
            "level",
            "published_on",
            "effective_on",
            "expires_on",
            "summary",
            "body",
            "benefit_type",
            "application_method",
            "contact",
            "rule",
            "state",
            "status",
            "org_path",
            "highlight",
        ]
        read_only_fields = fields

    def get_highlight(self, obj) -> str:
        return str(self.context.get("highlights", {}).get(obj.pk, ""))


class PolicyWriteSerializer(serializers.Serializer):
    """Input for create/update; validation of the rule is the action's (rules.normalize)."""

    title = serializers.CharField(max_length=200)
    doc_number = serializers.CharField(max_length=100, required=False, allow_blank=True)
    issuer = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.filter(kind="department"), required=False, allow_null=True
    )
    issuer_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    level = serializers.ChoiceField(choices=Level.choices)
    published_on = serializers.DateField(required=False, allow_null=True)
    effective_on = serializers.DateField(required=False, allow_null=True)
    expires_on = serializers.DateField(required=False, allow_null=True)
    summary = serializers.CharField(max_length=500, required=False, allow_blank=True)
    body = serializers.CharField(required=False, allow_blank=True)
    benefit_type = serializers.ChoiceField(choices=BenefitType.choices)
    application_method = serializers.ChoiceField(choices=ApplicationMethod.choices, required=False)
    contact = serializers.CharField(max_length=200, required=False, allow_blank=True)
    rule = serializers.JSONField(required=False)


class StateSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=["published", "withdrawn", "draft"])
