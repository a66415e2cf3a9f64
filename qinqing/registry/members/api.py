"""Member API."""

from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from qinqing.core.api import Pagination, RolePermission

from .. import actions, permissions
from ..filters import MemberFilter
from ..serializers import (
    MemberCreateSerializer,
    MemberDetailSerializer,
    MemberSerializer,
    MemberUpdateSerializer,
)


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
