"""Inbox API: the signed-in user's messages; mark read."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from qinqing.core.api import Pagination, RolePermission
from qinqing.core.permissions import AUTHENTICATED

from . import actions
from .models import Notification
from .permissions import visible_notifications


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "read_at", "created_at"]


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("unread", str, enum=["1"], description=gettext_lazy("1：只看未读"))]
    )
)
class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = [RolePermission]
    required_permission = AUTHENTICATED
    serializer_class = NotificationSerializer
    pagination_class = Pagination

    def get_queryset(self):
        qs = visible_notifications(self.request.user)
        return qs.filter(read_at__isnull=True) if self.request.query_params.get("unread") == "1" else qs


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        help_text=gettext_lazy("要标记为已读的消息 id；不传则全部标记"),
    )


class MarkReadResultSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text=gettext_lazy("本次标记为已读的消息数"))


class MarkReadView(APIView):
    """POST {"ids": [..]} marks those (own) messages read; no ids marks all."""

    permission_classes = [RolePermission]
    required_permission = AUTHENTICATED

    @extend_schema(request=MarkReadSerializer, responses=MarkReadResultSerializer, summary=gettext_lazy("标记消息已读"))
    def post(self, request):
        ids = request.data.get("ids") if hasattr(request.data, "get") else None
        ids = [int(i) for i in ids if str(i).isdigit()] if isinstance(ids, list) else None
        return Response({"marked": actions.mark_read(request.user, ids)})
