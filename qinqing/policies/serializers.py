"""API representations of policies, explanations and matching results."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from qinqing.orgs.models import Organization

from .choices import ApplicationMethod, BenefitType, Level, Status
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
            "auto_push",
            "state",
            "status",
            "org_path",
            "highlight",
        ]
        read_only_fields = fields

    def get_highlight(self, obj) -> str:
        return str(self.context.get("highlights", {}).get(obj.pk, ""))


class PolicyAttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    filename = serializers.CharField()
    size = serializers.IntegerField()
    download_url = serializers.SerializerMethodField()

    def get_download_url(self, obj) -> str:
        return reverse("api-policy-attachment", args=[obj.policy_id, obj.pk])


class AttachmentUploadSerializer(serializers.Serializer):
    """A new attachment (multipart): type and size are checked by the action (attachments.validate)."""

    name = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text=_("附件名称（默认文件名）")
    )
    file = serializers.FileField(
        help_text=_("pdf、docx、xlsx、txt、jpg 或 png"),
        error_messages={"required": _("附件文件：请选择要上传的文件"), "empty": _("附件文件：文件是空的"),
                        "invalid": _("附件文件：不是有效的文件")},
    )  # fmt: skip


class PolicyDetailSerializer(PolicySerializer):
    """One policy with its attachments (each downloaded through the API, never from /media/)."""

    attachments = PolicyAttachmentSerializer(many=True, read_only=True)

    class Meta(PolicySerializer.Meta):
        fields = [*PolicySerializer.Meta.fields, "attachments"]
        read_only_fields = fields


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
    auto_push = serializers.BooleanField(required=False, default=True)


class StateSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=["published", "withdrawn", "draft"])


# --- response shapes of the views without a model serializer (documented in the OpenAPI schema) -------


class AttributeSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.ChoiceField(choices=["code", "enum", "number", "set", "bool", "idset"])
    unit = serializers.CharField()
    missing_hint = serializers.CharField()
    operators = serializers.ListField(child=serializers.CharField())


class VocabularySerializer(serializers.Serializer):
    attributes = AttributeSerializer(many=True)
    operators = serializers.DictField(child=serializers.CharField(), help_text=_("运算代码 → 名称"))
    groups = serializers.DictField(child=serializers.CharField(), help_text=_("all/any → 名称"))
    qualifications = serializers.ListField(child=serializers.CharField())
    size_classes = serializers.ListField(child=serializers.CharField())


class ConditionSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    attr = serializers.CharField()
    label = serializers.CharField()
    text = serializers.CharField()
    actual = serializers.CharField()
    status = serializers.ChoiceField(choices=["met", "not_met", "unknown"])
    missing_hint = serializers.CharField()


class ExplanationSerializer(serializers.Serializer):
    policy = serializers.IntegerField()
    title = serializers.CharField()
    verdict = serializers.ChoiceField(choices=["eligible", "near_miss", "unknown", "not_eligible"])
    verdict_label = serializers.CharField()
    conditions = ConditionSerializer(many=True)
    near_miss = serializers.ListField(child=serializers.CharField())
    missing_data = serializers.ListField(child=serializers.CharField())


class MyPoliciesSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField()
    results = ExplanationSerializer(many=True)


class JobStartedSerializer(serializers.Serializer):
    job = serializers.IntegerField()
    status_url = serializers.CharField()


class EligibleEnterpriseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    credit_code = serializers.CharField()
    region_code = serializers.CharField()


class PushedSerializer(serializers.Serializer):
    pushed = serializers.IntegerField(help_text=_("本次新推送的企业数（已推送过的不再重复）"))


class PolicyStatusCountSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices)
    label = serializers.CharField()
    count = serializers.IntegerField()


class PolicyBenefitCountSerializer(serializers.Serializer):
    benefit_type = serializers.ChoiceField(choices=BenefitType.choices)
    label = serializers.CharField()
    count = serializers.IntegerField()


class PolicyFiguresSerializer(serializers.Serializer):
    scope = serializers.CharField(help_text=_("统计范围（组织路径）"))
    by_status = PolicyStatusCountSerializer(many=True, help_text=_("已发布政策按状态（有效/未生效/已失效）"))
    by_benefit = PolicyBenefitCountSerializer(many=True, help_text=_("已发布政策按扶持类型"))
    enterprises_reached = serializers.IntegerField(help_text=_("收到过推送的企业数"))
    pushes_sent = serializers.IntegerField(help_text=_("推送次数（每项政策每家企业至多一次）"))
    pushes_opened = serializers.IntegerField(help_text=_("企业已查看的推送数"))
