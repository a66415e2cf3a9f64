"""Registry API: the same permissions, filters and actions as the pages."""

from django.utils import timezone
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from qinqing.core.api import RolePermission

from . import permissions, statistics
from .serializers import (
    StatisticsSerializer,
)


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
