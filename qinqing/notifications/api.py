"""Inbox API: the signed-in user's messages; mark read."""

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


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = [RolePermission]
    required_permission = AUTHENTICATED
    serializer_class = NotificationSerializer
    pagination_class = Pagination

    def get_queryset(self):
        qs = visible_notifications(self.request.user)
        return qs.filter(read_at__isnull=True) if self.request.query_params.get("unread") == "1" else qs


class MarkReadView(APIView):
    """POST {"ids": [..]} marks those (own) messages read; no ids marks all."""

    permission_classes = [RolePermission]
    required_permission = AUTHENTICATED

    def post(self, request):
        ids = request.data.get("ids") if hasattr(request.data, "get") else None
        ids = [int(i) for i in ids if str(i).isdigit()] if isinstance(ids, list) else None
        return Response({"marked": actions.mark_read(request.user, ids)})
