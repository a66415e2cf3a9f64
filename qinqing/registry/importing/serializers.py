"""Import jobs in the API."""

from django.utils.translation import gettext as _
from rest_framework import serializers

from qinqing.core.models import Job

from ..importing import limits


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
