"""Registry API for chambers: records, leadership terms (换届), ratings, branches (联络站), the 换届 due list.

The same permissions and actions as the chamber pages: objects come from ``permissions`` (another node's
answers 404), writes go through ``actions_chambers``; an object the user may see but not change answers 403.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, mixins, status, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from qinqing.core.api import Pagination, RolePermission

from .. import permissions, statistics
from ..filters import ChamberFilter
from ..serializers import (
    BranchCreateSerializer,
    BranchDetailSerializer,
    BranchUpdateSerializer,
    ChamberCreateSerializer,
    ChamberSerializer,
    ChamberUpdateSerializer,
    RatingCreateSerializer,
    RatingDetailSerializer,
    TermCreateSerializer,
    TermDetailSerializer,
    TermUpdateSerializer,
)
from . import actions as actions_chambers

WRITE_METHODS = ["get", "post", "patch", "delete", "head", "options"]
TERM_DUE_DAYS = 90


def _changeable(user, chamber):
    if not permissions.can_change_chamber(user, chamber):
        raise PermissionDenied(_("您不能修改该商会的信息"))
    return chamber


def _chamber_param() -> OpenApiParameter:
    return OpenApiParameter("chamber", int, description=gettext_lazy("只看这个商会"))


def _by_chamber(request, queryset):
    chamber = request.query_params.get("chamber")
    return queryset.filter(chamber_id=chamber) if chamber and chamber.isdigit() else queryset


def _chambers(user):
    return (
        permissions.visible_chambers(user)
        .select_related("organization")
        .prefetch_related("terms", "ratings", "branches")
        .order_by("org_path")
    )


class ChamberViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Chambers with their terms, ratings and branches. POST registers one (FIC staff, in their subtree);
    PATCH changes its details and party organisation (FIC staff, or the chamber's own secretariat)."""

    permission_classes = [RolePermission]
    required_permission = "registry.view_chamber"
    required_permissions = {"create": "registry.change_chamber"}
    serializer_class = ChamberSerializer
    pagination_class = Pagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = ChamberFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return _chambers(self.request.user)

    def get_object(self):
        chamber = permissions.get_chamber(self.request.user, self.kwargs["pk"])
        return _chambers(self.request.user).get(pk=chamber.pk)

    @extend_schema(request=ChamberCreateSerializer, responses={201: ChamberSerializer})
    def create(self, request):
        data = ChamberCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        user = request.user
        organization_id, fic_id = values.pop("organization", None), values.pop("fic", None)
        name, region_code = values.pop("name", ""), values.pop("region_code", "")
        if organization_id:
            organization = permissions.unregistered_chamber_orgs(user).filter(pk=organization_id).first()
            if organization is None:
                raise ValidationError({"organization": [_("已有商会组织：不存在、已登记或不在您的管辖范围内")]})
            chamber = actions_chambers.register_chamber(organization, actor=user, **values)
        else:
            fic = permissions.chamber_parents(user).filter(pk=fic_id).first()
            if fic is None:
                raise ValidationError({"fic": [_("所属工商联：不存在或不在您的管辖范围内")]})
            chamber = actions_chambers.create_chamber(actor=user, fic=fic, name=name, region_code=region_code, **values)
        return Response(self.get_serializer(_chambers(user).get(pk=chamber.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ChamberUpdateSerializer, responses=ChamberSerializer)
    def partial_update(self, request, pk=None):
        chamber = _changeable(request.user, permissions.get_chamber(request.user, pk))
        data = ChamberUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        firm = values.get("law_firm_id")
        if firm and not permissions.law_firms_for(chamber).filter(pk=firm).exists():
            raise ValidationError({"law_firm_id": [_("联系律师事务所：请选择本会所属工商联或其上级的律师事务所")]})
        actions_chambers.update_chamber(chamber, actor=request.user, **values)
        return Response(self.get_serializer(_chambers(request.user).get(pk=chamber.pk)).data)


class TermDueList(generics.ListAPIView):
    """Chambers whose current term ends within 90 days, or has ended (换届 overdue), soonest first."""

    permission_classes = [RolePermission]
    required_permission = "registry.view_chamber"
    serializer_class = ChamberSerializer
    pagination_class = Pagination

    def get_queryset(self):
        return statistics.term_due(_chambers(self.request.user), timezone.localdate(), days=TERM_DUE_DAYS).order_by(
            "term_ends_on", "id"
        )


class _PartViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """A part of a chamber (term, rating, branch), read through the chambers the user sees and written through
    its actions: ``add(chamber, actor=…, **values)``, ``change(part, actor=…, **values)``, ``remove(part, actor=…)``."""

    permission_classes = [RolePermission]
    required_permission = "registry.view_chamber"
    pagination_class = Pagination
    http_method_names = WRITE_METHODS
    model = None
    getter = None
    create_serializer = None
    update_serializer = None
    add = change = remove = None

    @extend_schema(parameters=[_chamber_param()])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        qs = self.model.objects.filter(chamber__in=permissions.visible_chambers(self.request.user))
        return _by_chamber(self.request, qs).order_by("chamber_id", "id")

    def get_object(self):
        return type(self).getter(self.request.user, self.kwargs["pk"])

    def check_chamber(self, user, chamber):
        return _changeable(user, chamber)

    def create(self, request):
        data = self.create_serializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        chamber = self.check_chamber(request.user, values.pop("chamber"))
        part = type(self).add(chamber, actor=request.user, **values)
        return Response(self.serializer_class(part).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        part = self.get_object()
        self.check_chamber(request.user, part.chamber)
        data = self.update_serializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        part = type(self).change(part, actor=request.user, **data.validated_data)
        return Response(self.serializer_class(part).data)

    def perform_destroy(self, instance):
        self.check_chamber(self.request.user, instance.chamber)
        type(self).remove(instance, actor=self.request.user)


def _part_schema(create, detail, update=None):
    documented = {"create": extend_schema(request=create, responses={201: detail})}
    if update is not None:
        documented["partial_update"] = extend_schema(request=update, responses=detail)
    return extend_schema_view(**documented)


@_part_schema(TermCreateSerializer, TermDetailSerializer, TermUpdateSerializer)
class TermViewSet(_PartViewSet):
    """Leadership terms (届). POST records the next term (换届); only the latest term can be deleted."""

    serializer_class = TermDetailSerializer
    model = TermDetailSerializer.Meta.model
    getter = staticmethod(permissions.get_term)
    create_serializer, update_serializer = TermCreateSerializer, TermUpdateSerializer
    add = staticmethod(actions_chambers.start_term)
    change = staticmethod(actions_chambers.update_term)
    remove = staticmethod(actions_chambers.remove_term)


@_part_schema(RatingCreateSerializer, RatingDetailSerializer)
class RatingViewSet(_PartViewSet):
    """Ratings (四好 / 五好, by year). Recorded and withdrawn by FIC staff only: a chamber does not rate itself."""

    serializer_class = RatingDetailSerializer
    model = RatingDetailSerializer.Meta.model
    getter = staticmethod(permissions.get_rating)
    http_method_names = ["get", "post", "delete", "head", "options"]
    required_permissions = {"create": "registry.change_chamber", "destroy": "registry.change_chamber"}
    create_serializer = RatingCreateSerializer
    add = staticmethod(actions_chambers.add_rating)
    remove = staticmethod(actions_chambers.remove_rating)

    def check_chamber(self, user, chamber):
        if not permissions.can_rate_chamber(user, chamber):
            raise PermissionDenied(_("您不能为该商会登记评定"))
        return chamber


@_part_schema(BranchCreateSerializer, BranchDetailSerializer, BranchUpdateSerializer)
class BranchViewSet(_PartViewSet):
    """Branches (联络站) of chambers, often in another city."""

    serializer_class = BranchDetailSerializer
    model = BranchDetailSerializer.Meta.model
    getter = staticmethod(permissions.get_branch)
    create_serializer, update_serializer = BranchCreateSerializer, BranchUpdateSerializer
    add = staticmethod(actions_chambers.add_branch)
    change = staticmethod(actions_chambers.update_branch)
    remove = staticmethod(actions_chambers.remove_branch)
