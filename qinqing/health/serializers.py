"""API shapes of health-check data (read side) and of the inputs each action takes."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .choices import Answer
from .indicators import QUESTIONS
from .models import FinancialSupplement, HealthResult, HealthRun, ScoringVersion, VisitTask

MAX_ID = 2**31 - 1
AMOUNT = {"max_digits": 16, "decimal_places": 2, "required": False, "allow_null": True}


class ResultSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    version_number = serializers.IntegerField(source="version.number", read_only=True)

    class Meta:
        model = HealthResult
        fields = ["id", "enterprise", "enterprise_name", "version", "version_number", "run", "year", "total", "grade",
                  "coverage", "dimensions", "values", "points", "missing", "peers", "weakest", "previous_total",
                  "is_low", "fell", "is_current", "computed_at"]  # fmt: skip


class DiagnosisSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField()
    enterprise_name = serializers.CharField()
    result = ResultSerializer(allow_null=True)
    diagnosis = serializers.DictField(allow_null=True, help_text=_("维度、指标、缺失数据（与诊断页相同）"))
    radar = serializers.DictField(allow_null=True)
    services = serializers.ListField(child=serializers.DictField(), help_text=_("按短板维度建议的服务"))


class VersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScoringVersion
        fields = ["id", "number", "name", "note", "status", "config", "published_at", "created_at"]


class VersionInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    config = serializers.JSONField(help_text=_("indicators: {代码: {weight, bands:[{low, high, score}]}}, "
                                               "questions: {代码: {weight}}, low_below, fall_by"))  # fmt: skip


class RunSerializer(serializers.ModelSerializer):
    class Meta:
        model = HealthRun
        fields = ["id", "version", "org_path", "job", "scored", "low", "created_at", "finished_at"]


class SupplementSerializer(serializers.ModelSerializer):
    class Meta:
        model = FinancialSupplement
        fields = ["id", "enterprise", "year", "profit_wan", "cost_wan", "liabilities_wan", "receivables_wan",
                  "inventory_wan"]  # fmt: skip


class SupplementInputSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=1900, max_value=2999)
    profit_wan = serializers.DecimalField(**AMOUNT)
    cost_wan = serializers.DecimalField(**AMOUNT)
    liabilities_wan = serializers.DecimalField(**AMOUNT)
    receivables_wan = serializers.DecimalField(**AMOUNT)
    inventory_wan = serializers.DecimalField(**AMOUNT)


class QuestionnaireInputSerializer(serializers.Serializer):
    def get_fields(self):
        return {
            q.code: serializers.ChoiceField(
                choices=Answer.choices, required=False, allow_blank=True, help_text=str(q.label)
            )
            for q in QUESTIONS
        }


class VisitSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = VisitTask
        fields = ["id", "enterprise", "enterprise_name", "result", "reason", "status", "assignee", "due_on",
                  "visited_on", "notes", "problems", "department", "appeal", "appealed_on"]  # fmt: skip


class VisitCreateSerializer(serializers.Serializer):
    results = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=MAX_ID), max_length=500,
                                    help_text=_("体检结果 id"))  # fmt: skip
    due_on = serializers.DateField()
    assignee = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True)


class VisitRecordSerializer(serializers.Serializer):
    visited_on = serializers.DateField()
    notes = serializers.CharField(max_length=4000)
    problems = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class VisitAppealSerializer(serializers.Serializer):
    department = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    problem = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
