"""API shapes of surveys, structures, answers and results."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .choices import Audience, Status
from .models import Response, Survey


class SurveySerializer(serializers.ModelSerializer):
    fic_name = serializers.CharField(source="fic.name", read_only=True)

    class Meta:
        model = Survey
        fields = ["id", "title", "description", "fic", "fic_name", "template", "status", "version", "anonymous",
                  "multiple", "audience", "rule", "opened_on", "closes_on", "closed_on", "structure", "created_at",
                  "updated_at"]  # fmt: skip
        read_only_fields = fields


class SurveyInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    description = serializers.CharField(required=False, allow_blank=True, default="")
    template = serializers.ChoiceField(choices=["", "wanjia", "satisfaction"], required=False, default="")
    anonymous = serializers.BooleanField(required=False, default=False)
    multiple = serializers.BooleanField(required=False, default=False)
    audience = serializers.ChoiceField(choices=Audience.choices, required=False, default=Audience.RULE)
    rule = serializers.JSONField(
        required=False, default=dict, help_text=_("统一条件引擎的规则（地区、行业、规模、会员、商会）")
    )
    closes_on = serializers.DateField(required=False, allow_null=True, default=None)


class StructureInputSerializer(serializers.Serializer):
    structure = serializers.JSONField(help_text=_("问卷结构：sections → questions（见用户指南）"))


class AnswerInputSerializer(serializers.Serializer):
    answers = serializers.JSONField(help_text=_("题目编码 → 答案"))
    token = serializers.CharField(required=False, allow_blank=True, default="", help_text=_("开放链接令牌"))


class OwnAnswerSerializer(serializers.Serializer):
    answered = serializers.BooleanField()
    version = serializers.IntegerField(allow_null=True)
    answers = serializers.JSONField()


class ResponseSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True, default="")

    class Meta:
        model = Response
        fields = ["id", "survey", "version", "enterprise", "enterprise_name", "submitted_on", "region_code",
                  "industry", "size_class", "is_member", "source", "answers"]  # fmt: skip
        read_only_fields = fields


class OptionResultSerializer(serializers.Serializer):
    value = serializers.IntegerField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    percent = serializers.FloatField()


class ItemResultSerializer(serializers.Serializer):
    code = serializers.CharField(source="item.code")
    label = serializers.CharField(source="item.label")
    kind = serializers.CharField(source="item.kind")
    environment = serializers.CharField(source="item.environment")
    answered = serializers.IntegerField()
    options = OptionResultSerializer(many=True)
    mean = serializers.FloatField(allow_null=True)
    score = serializers.FloatField(allow_null=True)
    stats = serializers.DictField()
    texts = serializers.ListField(child=serializers.CharField())


class ResultsSerializer(serializers.Serializer):
    responses = serializers.IntegerField()
    suppressed = serializers.BooleanField()
    items = ItemResultSerializer(many=True)


class CrosstabRowSerializer(serializers.Serializer):
    group = serializers.CharField(allow_null=True)
    label = serializers.CharField()
    responses = serializers.IntegerField(allow_null=True)
    suppressed = serializers.BooleanField()
    cells = serializers.ListField(child=serializers.IntegerField(allow_null=True))
    mean = serializers.FloatField(allow_null=True)
    score = serializers.FloatField(allow_null=True)


class CrosstabSerializer(serializers.Serializer):
    item = serializers.CharField()
    dimension = serializers.CharField()
    values = serializers.ListField(child=serializers.DictField())
    rows = CrosstabRowSerializer(many=True)


class ProgressRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    targets = serializers.IntegerField()
    answered = serializers.IntegerField(allow_null=True)
    rate = serializers.FloatField(allow_null=True)


class CountSerializer(serializers.Serializer):
    count = serializers.IntegerField()


class SurveyFileSerializer(serializers.Serializer):
    file = serializers.FileField()


class SurveyImportResultSerializer(serializers.Serializer):
    rows = serializers.IntegerField()
    done = serializers.IntegerField()
    errors = serializers.ListField(child=serializers.CharField())


STATUSES = Status.values


class PublicSurveySerializer(serializers.Serializer):
    title = serializers.CharField()
    description = serializers.CharField()
    structure = serializers.JSONField()
    multiple = serializers.BooleanField()
    open = serializers.BooleanField()


class PublicAnswerInputSerializer(serializers.Serializer):
    answers = serializers.JSONField(help_text=_("题目编码 → 答案"))
    respondent = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=64,
        help_text=_("上次填写时返回的填写人令牌（修改本人答卷时提供；首次填写留空）"),
    )  # fmt: skip


class PublicAnswerSerializer(serializers.Serializer):
    answered = serializers.BooleanField()
    respondent = serializers.CharField()
    answers = serializers.JSONField()
