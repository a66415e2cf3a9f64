"""Core API: who am I, and the progress of my background jobs."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular import generators
from drf_spectacular.utils import extend_schema, inline_serializer
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .api import RolePermission
from .permissions import AUTHENTICATED
from .serializers import JobSerializer
from .views import visible_jobs


class MeView(APIView):
    required_permission = AUTHENTICATED

    @extend_schema(
        responses=inline_serializer(
            "Me",
            {
                "id": serializers.IntegerField(),
                "username": serializers.CharField(),
                "name": serializers.CharField(),
                "role": serializers.CharField(),
                "role_display": serializers.CharField(),
                "org_id": serializers.IntegerField(),
                "org_name": serializers.CharField(),
                "permissions": serializers.ListField(child=serializers.CharField()),
            },
        ),
        summary=gettext_lazy("当前用户"),
    )
    def get(self, request):
        user = request.user
        return Response(
            {
                "id": user.pk,
                "username": user.username,
                "name": user.name,
                "role": user.role,
                "role_display": user.get_role_display(),
                "org_id": user.org_id,
                "org_name": user.org.name,
                "permissions": sorted(user.get_all_permissions()),
            }
        )


class JobDetailView(generics.RetrieveAPIView):
    """Progress of one background job started by the current user."""

    required_permission = AUTHENTICATED
    serializer_class = JobSerializer

    def get_queryset(self):
        return visible_jobs(self.request.user)


def error_schema() -> dict:
    return {
        "type": "object",
        "properties": {"detail": {"type": "string", "description": _("中文错误说明")}},
        "required": ["detail"],
    }


def validation_error_schema() -> dict:
    return {
        "type": "object",
        "description": _("键为出错的字段名（或 detail / non_field_errors），值为中文错误说明列表"),
        "additionalProperties": True,
    }


ERROR_RESPONSES = {
    "400": (gettext_lazy("输入有误（按字段列出中文错误说明）"), "ValidationErrorResponse"),
    "401": (gettext_lazy("未登录或令牌无效"), "ErrorResponse"),
    "403": (gettext_lazy("没有执行此操作的权限"), "ErrorResponse"),
    "404": (gettext_lazy("对象不存在或不在您的管辖范围内"), "ErrorResponse"),
    "429": (gettext_lazy("请求过于频繁，请稍后再试"), "ErrorResponse"),
}


class SchemaGenerator(generators.SchemaGenerator):
    """drf-spectacular's generator, plus the JSON error responses every operation can return (api_errors.py)."""

    def get_schema(self, request=None, public=False):
        schema = super().get_schema(request=request, public=public)
        return add_error_responses(schema)


def add_error_responses(schema: dict) -> dict:
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("ErrorResponse", error_schema())
    components.setdefault("ValidationErrorResponse", validation_error_schema())
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete", "head", "options"}:
                continue
            for parameter in operation.get("parameters", []):
                # Django's <int:…> converter only matches digits: say so, so clients never send negatives.
                param_schema = parameter.get("schema", {})
                if parameter.get("in") == "path" and param_schema.get("type") == "integer":
                    param_schema.setdefault("minimum", 0)
            responses = operation.setdefault("responses", {})
            for code, (description, component) in ERROR_RESPONSES.items():
                responses.setdefault(
                    code,
                    {
                        "description": str(description),
                        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}},
                    },
                )
    return schema


class SchemaView(SpectacularJSONAPIView):
    """The OpenAPI 3 document (JSON), with the shared error responses added to every operation."""

    required_permission = AUTHENTICATED
    permission_classes = [RolePermission]  # drf-spectacular's default would be AllowAny
    generator_class = SchemaGenerator


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI, assets served from drf-spectacular-sidecar (no CDN); its script is a separate URL (CSP)."""

    required_permission = AUTHENTICATED
    permission_classes = [RolePermission]
