"""Meetings API (read): meetings in scope, with their figures."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from qinqing.core.api import Pagination, RolePermission

from .figures import meeting_figures
from .models import Meeting
from .permissions import VIEW, get_meeting, visible_meetings


class MeetingSerializer(serializers.ModelSerializer):
    issues = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = ["id", "kind", "title", "date", "location", "host_leader", "agenda", "agenda_published_at",
                  "attendees", "status", "signed_off_at", "signoff_note", "issues"]  # fmt: skip

    def get_issues(self, meeting) -> list[str]:
        return [a.number for a in meeting.appeals.all()]


class MeetingFiguresSerializer(serializers.Serializer):
    held = serializers.IntegerField(help_text="已召开会议场数")
    attendees = serializers.IntegerField(help_text="参会企业家人次")
    issues = serializers.IntegerField(help_text="收集问题数")
    solved_on_spot = serializers.IntegerField(help_text="现场解决数")
    closed = serializers.IntegerField(help_text="已办结问题数")
    satisfaction_rate = serializers.FloatField(allow_null=True, help_text="满意率（%），无评价时为空")


class MeetingViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [RolePermission]
    required_permission = VIEW
    serializer_class = MeetingSerializer
    pagination_class = Pagination

    def get_queryset(self):
        return visible_meetings(self.request.user).prefetch_related("appeals").order_by("-date", "-id")

    def get_object(self):
        return get_meeting(self.request.user, self.kwargs["pk"])


class MeetingFiguresView(APIView):
    permission_classes = [RolePermission]
    required_permission = VIEW

    @extend_schema(responses=MeetingFiguresSerializer, summary="恳谈会统计")
    def get(self, request):
        return Response(meeting_figures(visible_meetings(request.user)))
