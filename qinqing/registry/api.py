"""Registry API: the same permissions, filters and actions as the pages."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, mixins, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from qinqing.core.api import Pagination, RolePermission

from . import actions, permissions, statistics
from .choices import Qualification
from .filters import ChamberFilter, EnterpriseFilter, MemberFilter
from .serializers import (
    ChamberSerializer,
    EnterpriseCreateSerializer,
    EnterpriseSerializer,
    EnterpriseUpdateSerializer,
    ImportJobSerializer,
    ImportRequestSerializer,
    MemberSerializer,
    StatisticsSerializer,
    YearFiguresSerializer,
)


class EnterpriseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [RolePermission]
    required_permission = "registry.view_enterprise"
    serializer_class = EnterpriseSerializer
    pagination_class = Pagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = EnterpriseFilter

    def get_queryset(self):
        return permissions.visible_enterprises(self.request.user).order_by("name", "id")

    def finalize_response(self, request, response, *args, **kwargs):
        """Holders of registry.view_pii get full numbers here; each response that carried some is audited."""
        user = request.user
        if response.status_code == 200 and user.is_authenticated and permissions.can_see_pii(user):
            data = response.data
            items = data.get("results", [data]) if isinstance(data, dict) else data
            ids = [item["id"] for item in items if item.get("legal_rep_id_number") or item.get("contact_mobile")]
            if ids:
                actions.record_pii_access(actor=user, object_type="registry.enterprise", ids=ids, channel="API")
        return super().finalize_response(request, response, *args, **kwargs)

    required_permissions = {"create": "registry.change_enterprise"}

    @extend_schema(request=EnterpriseCreateSerializer, responses={201: EnterpriseSerializer})
    def create(self, request):
        """Register an enterprise under the user's own FIC node (the same action and checks as the page)."""
        data = EnterpriseCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if "qualifications" in values:
            order = [code for code, _label in Qualification.choices]
            values["qualifications"] = ",".join(sorted(set(values["qualifications"]), key=order.index))
        enterprise = actions.create_enterprise(
            actor=request.user,
            fic=request.user.org,
            credit_code=values.pop("credit_code"),
            name=values.pop("name"),
            **values,
        )
        body = EnterpriseSerializer(enterprise, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=EnterpriseUpdateSerializer, responses=EnterpriseSerializer)
    def partial_update(self, request, pk=None):
        enterprise = permissions.get_enterprise(request.user, pk)
        if not permissions.can_edit_enterprise(request.user, enterprise):
            raise PermissionDenied("您不能修改该企业")
        data = EnterpriseUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        try:
            actions.update_enterprise(enterprise, actor=request.user, **data.validated_data)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc) or "您不能修改这些字段") from None
        return Response(EnterpriseSerializer(enterprise, context={"request": request}).data)


class YearFiguresList(generics.ListAPIView):
    permission_classes = [RolePermission]
    required_permission = "registry.view_enterprise"
    serializer_class = YearFiguresSerializer
    pagination_class = Pagination

    def get_queryset(self):
        qs = permissions.visible_year_figures(self.request.user).order_by("enterprise_id", "-year")
        enterprise = self.request.query_params.get("enterprise")
        return qs.filter(enterprise_id=enterprise) if enterprise and enterprise.isdigit() else qs


class MemberViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [RolePermission]
    required_permission = "registry.view_member"
    serializer_class = MemberSerializer
    pagination_class = Pagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = MemberFilter

    def get_queryset(self):
        return permissions.visible_members(self.request.user).select_related("enterprise", "group").order_by("id")


class ChamberViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [RolePermission]
    required_permission = "registry.view_chamber"
    serializer_class = ChamberSerializer
    pagination_class = Pagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = ChamberFilter

    def get_queryset(self):
        return (
            permissions.visible_chambers(self.request.user)
            .select_related("organization")
            .prefetch_related("terms", "ratings", "branches")
            .order_by("org_path")
        )


class StatisticsView(APIView):
    permission_classes = [RolePermission]
    required_permission = "registry.view_statistics"

    serializer_class = StatisticsSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("year", int, description="统计年度（年末口径），默认本年；不合理的年度按本年计算")
        ],
        responses=StatisticsSerializer,
    )
    def get(self, request):
        year = statistics.report_year(request.query_params.get("year"), timezone.localdate())
        user = request.user
        figures = statistics.overview(permissions.visible_members(user), permissions.visible_chambers(user), year)
        return Response(StatisticsSerializer(figures).data)


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
