"""Import API: start a job, read it, download a template."""

import io
from urllib.parse import quote

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from qinqing.core.api import RolePermission

from .. import actions, permissions
from ..exporting import EXPORTS, template_rows, write_xlsx
from ..importing.runner import TITLES
from ..serializers import (
    ImportJobSerializer,
    ImportRequestSerializer,
)


class ImportJobCreate(APIView):
    permission_classes = [RolePermission]
    required_permission = "registry.import_registry"
    parser_classes = [MultiPartParser]

    @extend_schema(request=ImportRequestSerializer, responses={202: ImportJobSerializer})
    def post(self, request):
        data = ImportRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        job = actions.start_import(
            actor=request.user, kind=v["kind"], upload=v["file"], dry_run=v["dry_run"], strict=v["strict"]
        )
        return Response(ImportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class ImportJobDetail(generics.RetrieveAPIView):
    permission_classes = [RolePermission]
    required_permission = "registry.import_registry"
    serializer_class = ImportJobSerializer

    def get_object(self):
        return permissions.get_import_job(self.request.user, self.kwargs["pk"])


IMPORT_KINDS = ["enterprises", "members", "chambers"]


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportTemplate(APIView):
    """The import template of one kind (.xlsx): the import's own columns with an example row."""

    permission_classes = [RolePermission]
    required_permission = "registry.import_registry"

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "kind", str, OpenApiParameter.PATH, enum=IMPORT_KINDS, description=gettext_lazy("导入内容")
            )
        ],
        responses={(200, XLSX): OpenApiTypes.BINARY},
    )
    def get(self, request, kind: str):
        if kind not in IMPORT_KINDS or kind not in EXPORTS:
            raise NotFound(_("没有这种导入模板"))
        columns, _rows = EXPORTS[kind]
        buffer = io.BytesIO()
        write_xlsx(columns, template_rows(columns), buffer, example=True)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX)
        name = _("%(title)s导入模板.xlsx") % {"title": TITLES[kind]}
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
        return response
