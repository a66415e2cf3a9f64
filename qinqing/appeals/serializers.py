"""API shapes for appeals; input is validated by the same forms as the pages (steps.py)."""

from rest_framework import serializers

from .models import Appeal, AppealEvent, ExtensionRequest


class AppealEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AppealEvent
        fields = [
            "id",
            "action",
            "label",
            "from_status",
            "to_status",
            "actor_name",
            "actor_org",
            "comment",
            "created_at",
        ]


class ExtensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExtensionRequest
        fields = ["id", "days", "reason", "status", "decision_note", "old_due", "new_due", "created_at"]


class AppealSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    type = serializers.CharField(source="appeal_type.code", read_only=True)
    domain_code = serializers.CharField(source="domain.code", read_only=True)
    lead_department_name = serializers.CharField(source="lead_department.name", read_only=True, default=None)
    status_label = serializers.CharField(read_only=True)
    current_due = serializers.DateField(read_only=True)

    class Meta:
        model = Appeal
        fields = [
            "id",
            "number",
            "enterprise",
            "enterprise_name",
            "channel",
            "type",
            "domain_code",
            "title",
            "status",
            "status_label",
            "is_paused",
            "lead_department",
            "lead_department_name",
            "registered_on",
            "accept_due",
            "contact_due",
            "reply_due",
            "current_due",
            "deadline_state",
            "escalation",
            "rehandle_count",
            "extension_days",
            "satisfaction",
            "solved",
            "merged_into",
        ]


class AppealDetailSerializer(AppealSerializer):
    events = serializers.SerializerMethodField()
    extensions = ExtensionSerializer(many=True, read_only=True)

    class Meta(AppealSerializer.Meta):
        fields = [
            *AppealSerializer.Meta.fields,
            "description",
            "reply",
            "reject_reason",
            "rating_comment",
            "events",
            "extensions",
        ]

    def get_events(self, appeal):
        events = appeal.events.all()
        user = self.context["request"].user
        if user.role in ("enterprise", "chamber_secretary"):
            events = events.filter(public=True)
        return AppealEventSerializer(events, many=True).data
