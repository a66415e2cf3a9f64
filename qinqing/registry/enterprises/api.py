"""Enterprise API: read, edit, yearly figures and contacts."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from qinqing.core.api import Pagination, RolePermission

from .. import actions, permissions
from ..choices import Qualification
from ..filters import EnterpriseFilter
from ..serializers import (
    ContactCreateSerializer,
    ContactSerializer,
    ContactUpdateSerializer,
    EnterpriseCreateSerializer,
    EnterpriseSerializer,
    EnterpriseUpdateSerializer,
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
