"""Registry API: the same permissions, filters and actions as the pages."""

import io
from urllib.parse import quote

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, mixins, status, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from qinqing.core.api import Pagination, RolePermission

from . import actions, permissions, statistics
from .choices import Qualification
from .exporting import EXPORTS, template_rows, write_xlsx
from .filters import EnterpriseFilter, MemberFilter
from .importing.runner import TITLES
from .serializers import (
    ContactCreateSerializer,
    ContactSerializer,
    ContactUpdateSerializer,
    EnterpriseCreateSerializer,
    EnterpriseSerializer,
    EnterpriseUpdateSerializer,
    ImportJobSerializer,
    ImportRequestSerializer,
    MemberCreateSerializer,
    MemberDetailSerializer,
    MemberSerializer,
    MemberUpdateSerializer,
    StatisticsSerializer,
    YearFiguresCreateSerializer,
    YearFiguresSerializer,
    YearFiguresUpdateSerializer,
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
            raise PermissionDenied(_("您不能修改该企业"))
        data = EnterpriseUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        try:
            actions.update_enterprise(enterprise, actor=request.user, **data.validated_data)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc) or _("您不能修改这些字段")) from None
        return Response(EnterpriseSerializer(enterprise, context={"request": request}).data)


def _editable_enterprise(user, enterprise):
    """The pages answer 404 for an object the user may see but not change; the API says 403, in Chinese."""
    if not permissions.can_edit_enterprise(user, enterprise):
        raise PermissionDenied(_("您不能修改该企业的数据"))
    return enterprise


class YearFiguresViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Yearly figures (one row per enterprise and year). POST enters or corrects a year; the latest year
    also updates the enterprise's current figures and size class (``actions.record_year_figures``)."""

    permission_classes = [RolePermission]
    required_permission = "registry.view_enterprise"
    serializer_class = YearFiguresSerializer
    pagination_class = Pagination
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    @extend_schema(
        parameters=[OpenApiParameter("enterprise", int, description=gettext_lazy("只看这家企业"))],
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        qs = permissions.visible_year_figures(self.request.user).order_by("enterprise_id", "-year", "id")
        enterprise = self.request.query_params.get("enterprise")
        return qs.filter(enterprise_id=enterprise) if enterprise and enterprise.isdigit() else qs

    def get_object(self):
        return permissions.get_year_figures(self.request.user, self.kwargs["pk"])

    @extend_schema(request=YearFiguresCreateSerializer, responses={201: YearFiguresSerializer})
    def create(self, request):
        data = YearFiguresCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        enterprise = _editable_enterprise(request.user, values.pop("enterprise"))
        row = actions.record_year_figures(enterprise, values.pop("year"), actor=request.user, **values)
        return Response(YearFiguresSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=YearFiguresUpdateSerializer, responses=YearFiguresSerializer)
    def partial_update(self, request, pk=None):
        row = self.get_object()
        _editable_enterprise(request.user, row.enterprise)
        data = YearFiguresUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        row = actions.record_year_figures(row.enterprise, row.year, actor=request.user, **data.validated_data)
        return Response(YearFiguresSerializer(row).data)

    def perform_destroy(self, instance):
        _editable_enterprise(self.request.user, instance.enterprise)
        actions.remove_year_figures(instance, actor=self.request.user)


class ContactViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Contact persons of enterprises; numbers masked unless the user holds registry.view_pii."""

    permission_classes = [RolePermission]
    required_permission = "registry.view_enterprise"
    serializer_class = ContactSerializer
    pagination_class = Pagination
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    @extend_schema(parameters=[OpenApiParameter("enterprise", int, description=gettext_lazy("只看这家企业的联系人"))])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        qs = permissions.visible_contacts(self.request.user).order_by("enterprise_id", "id")
        enterprise = self.request.query_params.get("enterprise")
        return qs.filter(enterprise_id=enterprise) if enterprise and enterprise.isdigit() else qs

    def get_object(self):
        return permissions.get_contact(self.request.user, self.kwargs["pk"])

    def finalize_response(self, request, response, *args, **kwargs):
        """Full numbers sent to a view_pii holder are audited, as for enterprises."""
        user = request.user
        if response.status_code in (200, 201) and user.is_authenticated and permissions.can_see_pii(user):
            data = response.data
            items = data.get("results", [data]) if isinstance(data, dict) else data
            ids = [item["id"] for item in items if item.get("mobile") or item.get("id_number")]
            if ids:
                actions.record_pii_access(actor=user, object_type="registry.enterprisecontact", ids=ids, channel="API")
        return super().finalize_response(request, response, *args, **kwargs)

    @extend_schema(request=ContactCreateSerializer, responses={201: ContactSerializer})
    def create(self, request):
        data = ContactCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        enterprise = _editable_enterprise(request.user, values.pop("enterprise"))
        contact = actions.add_contact(enterprise, actor=request.user, **values)
        return Response(self.get_serializer(contact).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ContactUpdateSerializer, responses=ContactSerializer)
    def partial_update(self, request, pk=None):
        contact = self.get_object()
        _editable_enterprise(request.user, contact.enterprise)
        data = ContactUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        contact = actions.update_contact(contact, actor=request.user, **data.validated_data)
        return Response(self.get_serializer(contact).data)

    def perform_destroy(self, instance):
        _editable_enterprise(self.request.user, instance.enterprise)
        actions.remove_contact(instance, actor=self.request.user)


class MemberViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Members of all three kinds; POST adds one, PATCH changes role, dates and a person's or group's data."""

    permission_classes = [RolePermission]
    required_permission = "registry.view_member"
    serializer_class = MemberSerializer
    pagination_class = Pagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = MemberFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return permissions.visible_members(self.request.user).select_related("enterprise", "group").order_by("id")

    def get_serializer_class(self):
        return MemberDetailSerializer if self.action != "list" else MemberSerializer

    def get_object(self):
        return permissions.get_member(self.request.user, self.kwargs["pk"])

    @extend_schema(request=MemberCreateSerializer, responses={201: MemberDetailSerializer})
    def create(self, request):
        data = MemberCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        user = request.user
        organization = permissions.member_organizations(user).filter(pk=values.pop("organization")).first()
        if organization is None:
            raise ValidationError({"organization": [_("入会组织：不存在或您不能为其添加会员")]})
        enterprise = group = None
        code = values.pop("credit_code", "")
        group_id = values.pop("group", None)
        if values["kind"] == "enterprise":
            enterprise = permissions.enterprise_for_membership(organization, code)
            if enterprise is None:
                raise ValidationError({"credit_code": [_("企业统一社会信用代码：未找到该企业（须已登记在本工商联）")]})
        if values["kind"] == "group" and group_id:
            group = permissions.group_chambers(user).filter(pk=group_id).first()
            if group is None:
                raise ValidationError({"group": [_("团体会员单位：不存在或不在您的管辖范围内")]})
        member = actions.add_member(
            actor=user,
            organization=organization,
            kind=values.pop("kind"),
            joined_on=values.pop("joined_on"),
            enterprise=enterprise,
            group=group,
            **values,
        )
        return Response(MemberDetailSerializer(member).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MemberUpdateSerializer, responses=MemberDetailSerializer)
    def partial_update(self, request, pk=None):
        member = self.get_object()
        if not permissions.can_keep_members(request.user, member.organization):
            raise PermissionDenied(_("您不能修改该会员"))
        data = MemberUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        member = actions.update_member(member, actor=request.user, **data.validated_data)
        return Response(MemberDetailSerializer(member).data)


class StatisticsView(APIView):
    permission_classes = [RolePermission]
    required_permission = "registry.view_statistics"

    serializer_class = StatisticsSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "year", int, description=gettext_lazy("统计年度（年末口径），默认本年；不合理的年度按本年计算")
            )
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
