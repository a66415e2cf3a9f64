"""Meetings API: meetings in scope with their figures; FIC staff plan and edit meetings, publish the
agenda, record pre-visits and issues (each an appeal), mark issues solved on the spot, hold and sign
off; the problem and responsibility lists download as .docx/.xlsx. Same actions as the pages."""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from qinqing.appeals.models import AppealDomain, AppealType
from qinqing.appeals.permissions import get_appeal
from qinqing.appeals.serializers import AppealRefusalSerializer, AppealSerializer
from qinqing.core.api import Pagination, RolePermission
from qinqing.core.api_base import validated
from qinqing.orgs.models import Organization
from qinqing.registry.permissions import visible_enterprises

from . import actions, exports
from .figures import meeting_figures
from .models import Meeting, MeetingKind, PreVisit
from .permissions import LISTS, MANAGE, VIEW, agenda_visible, get_meeting, visible_meetings

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ID = 2**31 - 1
REFUSED = OpenApiResponse(
    AppealRefusalSerializer, description=gettext_lazy("当前状态不允许（如会议已销号），未作任何修改")
)


class MeetingSerializer(serializers.ModelSerializer):
    issues = serializers.SerializerMethodField()
    agenda = serializers.SerializerMethodField()
    departments = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    enterprises = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "kind", "title", "date", "location", "host_leader", "agenda", "agenda_published_at",
                  "attendees", "status", "signed_off_at", "signoff_note", "departments", "enterprises",
                  "issues"]  # fmt: skip

    def get_issues(self, meeting) -> list[str]:
        return [a.number for a in meeting.appeals.all()]

    def get_agenda(self, meeting) -> str:
        """Invited enterprises and departments read the agenda only once it is published."""
        request = self.context.get("request")
        if request is None or agenda_visible(request.user, meeting):
            return meeting.agenda
        return ""


class MeetingPlanSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MeetingKind.choices, help_text=gettext_lazy("会议类型"))
    title = serializers.CharField(max_length=200, help_text=gettext_lazy("会议名称"))
    date = serializers.DateField(help_text=gettext_lazy("日期（已召开的会议不能改日期）"))
    host_leader = serializers.CharField(max_length=100, help_text=gettext_lazy("主持领导"))
    location = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    departments = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        default=list,
        help_text=gettext_lazy("参会部门 id 列表"),
    )
    enterprises = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        default=list,
        help_text=gettext_lazy("邀请企业 id 列表"),
    )


class AgendaSerializer(serializers.Serializer):
    agenda = serializers.CharField(help_text=gettext_lazy("议程（发布后受邀企业和参会部门可见）"))


class VisitSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text=gettext_lazy("走访企业 id"))
    visited_on = serializers.DateField()
    notes = serializers.CharField(help_text=gettext_lazy("走访记录"))


class PreVisitSerializer(serializers.ModelSerializer):
    class Meta:
        model = PreVisit
        fields = ["id", "meeting", "enterprise", "visited_on", "notes"]


class IssueSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text=gettext_lazy("提出问题的企业 id"))
    appeal_type = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text=gettext_lazy("诉求类型 id"))
    domain = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text=gettext_lazy("诉求领域 id"))
    title = serializers.CharField(max_length=200, help_text=gettext_lazy("问题"))
    description = serializers.CharField(required=False, allow_blank=True, default="")
    solved_on_spot = serializers.BooleanField(required=False, default=False, help_text=gettext_lazy("现场解决"))
    comment = serializers.CharField(required=False, allow_blank=True, default="", help_text=gettext_lazy("现场答复"))


class SolveSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="", help_text=gettext_lazy("现场答复"))


class HoldSerializer(serializers.Serializer):
    attendees = serializers.IntegerField(min_value=0, max_value=100000, help_text=gettext_lazy("参会企业家人数"))


class SignOffSerializer(serializers.Serializer):
    at_meeting = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text=gettext_lazy("在哪次（之后召开的）会议上销号：会议 id")
    )
    note = serializers.CharField(help_text=gettext_lazy("销号说明"))


class MeetingFiguresSerializer(serializers.Serializer):
    held = serializers.IntegerField(help_text=gettext_lazy("已召开会议场数"))
    attendees = serializers.IntegerField(help_text=gettext_lazy("参会企业家人次"))
    issues = serializers.IntegerField(help_text=gettext_lazy("收集问题数"))
    solved_on_spot = serializers.IntegerField(help_text=gettext_lazy("现场解决数"))
    closed = serializers.IntegerField(help_text=gettext_lazy("已办结问题数"))
    satisfaction_rate = serializers.FloatField(allow_null=True, help_text=gettext_lazy("满意率（%），无评价时为空"))


def _by_ids(qs, ids: list[int], field: str, label: str) -> list:
    found = {o.pk: o for o in qs.filter(pk__in=ids)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise ValidationError(
            {field: [_("%(label)s id %(id)s 不存在或不在您的管辖范围内") % {"label": label, "id": missing[0]}]}
        )
    return [found[i] for i in dict.fromkeys(ids)]


def _one(qs, pk: int, field: str, label: str):
    return _by_ids(qs, [pk], field, label)[0]


class MeetingViewSet(viewsets.GenericViewSet):
    permission_classes = [RolePermission]
    required_permission = VIEW
    required_permissions = {
        "create": MANAGE,
        "update": MANAGE,
        "publish_agenda": MANAGE,
        "visits": MANAGE,
        "issues": MANAGE,
        "solve": MANAGE,
        "hold": MANAGE,
        "sign_off": MANAGE,
        "lists": LISTS,
    }
    serializer_class = MeetingSerializer
    pagination_class = Pagination
    http_method_names = ["get", "post", "put", "head", "options"]

    def get_queryset(self):
        return (
            visible_meetings(self.request.user)
            .prefetch_related("appeals", "departments", "enterprises")
            .order_by("-date", "-id")
        )

    def get_object(self):
        return get_meeting(self.request.user, self.kwargs["pk"])

    def _answer(self, meeting, code=status.HTTP_200_OK) -> Response:
        meeting = get_meeting(self.request.user, meeting.pk)
        return Response(MeetingSerializer(meeting, context={"request": self.request}).data, status=code)

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(MeetingSerializer(page, many=True, context={"request": request}).data)

    def retrieve(self, request, pk=None):
        return Response(MeetingSerializer(self.get_object(), context={"request": request}).data)

    def _plan(self, data) -> dict:
        user = self.request.user
        d = validated(MeetingPlanSerializer, data)
        departments = Organization.objects.filter(kind="department", path__startswith=user.org.path)
        return {
            "kind": d["kind"],
            "title": d["title"],
            "day": d["date"],
            "host_leader": d["host_leader"],
            "location": d["location"],
            "departments": _by_ids(departments, d["departments"], "departments", _("参会部门")),
            "enterprises": _by_ids(visible_enterprises(user), d["enterprises"], "enterprises", _("企业")),
        }

    @extend_schema(
        request=MeetingPlanSerializer,
        responses={201: MeetingSerializer, 409: REFUSED},
        summary=gettext_lazy("筹备会议"),
    )
    def create(self, request):
        plan = self._plan(request.data)
        meeting = actions.create_meeting(actor=request.user, **plan)
        return self._answer(meeting, status.HTTP_201_CREATED)

    @extend_schema(
        request=MeetingPlanSerializer,
        responses={200: MeetingSerializer, 409: REFUSED},
        summary=gettext_lazy("修改会议"),
    )
    def update(self, request, pk=None):
        meeting = self.get_object()
        plan = self._plan(request.data)
        meeting = actions.update_meeting(meeting, actor=request.user, **plan)
        return self._answer(meeting)

    @extend_schema(
        request=AgendaSerializer, responses={200: MeetingSerializer, 409: REFUSED}, summary=gettext_lazy("发布议程")
    )
    @action(detail=True, methods=["post"], url_path="publish-agenda")
    def publish_agenda(self, request, pk=None):
        meeting = self.get_object()
        d = validated(AgendaSerializer, request.data)
        meeting = actions.publish_agenda(meeting, actor=request.user, agenda=d["agenda"])
        return self._answer(meeting)

    @extend_schema(
        request=VisitSerializer, responses={201: PreVisitSerializer, 409: REFUSED}, summary=gettext_lazy("会前走访")
    )
    @action(detail=True, methods=["post"])
    def visits(self, request, pk=None):
        meeting = self.get_object()
        d = validated(VisitSerializer, request.data)
        enterprise = _one(visible_enterprises(request.user), d["enterprise"], "enterprise", _("企业"))
        visit = actions.add_visit(
            meeting, actor=request.user, enterprise=enterprise, visited_on=d["visited_on"], notes=d["notes"]
        )
        return Response(PreVisitSerializer(visit).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=IssueSerializer,
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                description=gettext_lazy("可选，最长64个字符：同一键重复提交只登记一次，返回已登记的问题（200）"),
            )
        ],
        responses={201: AppealSerializer, 200: AppealSerializer, 409: REFUSED},
        summary=gettext_lazy("登记会上提出的问题"),
    )
    @action(detail=True, methods=["post"])
    def issues(self, request, pk=None):
        """Each issue becomes an appeal (channel 恳谈会, registered on the meeting's date)."""
        meeting = self.get_object()
        d = validated(IssueSerializer, request.data)
        enterprise = _one(visible_enterprises(request.user), d["enterprise"], "enterprise", _("企业"))
        appeal_type = _one(AppealType.objects.filter(is_active=True), d["appeal_type"], "appeal_type", _("诉求类型"))
        domain = _one(AppealDomain.objects.filter(is_active=True), d["domain"], "domain", _("诉求领域"))
        appeal = actions.record_issue(
            meeting,
            actor=request.user,
            enterprise=enterprise,
            appeal_type=appeal_type,
            domain=domain,
            title=d["title"],
            description=d["description"],
            solved_on_spot=d["solved_on_spot"],
            comment=d["comment"],
            submission_key=request.headers.get("Idempotency-Key", "").strip()[:64],
        )
        if getattr(appeal, "replayed", False):  # a retried request with the same Idempotency-Key
            response = Response(AppealSerializer(appeal).data, status=status.HTTP_200_OK)
            response["Idempotent-Replayed"] = "true"
            return response
        return Response(AppealSerializer(appeal).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[
            OpenApiParameter("appeal_id", int, OpenApiParameter.PATH, description=gettext_lazy("问题（诉求）id"))
        ],
        request=SolveSerializer,
        responses={200: AppealSerializer, 409: REFUSED},
        summary=gettext_lazy("标记问题现场解决"),
    )
    @action(detail=True, methods=["post"], url_path=r"issues/(?P<appeal_id>[0-9]{1,10})/solve")
    def solve(self, request, pk=None, appeal_id=None):
        meeting = self.get_object()
        if int(appeal_id) > MAX_ID:
            raise NotFound(_("对象不存在或不在您的管辖范围内"))
        appeal = get_appeal(request.user, appeal_id)
        if appeal.meeting_id != meeting.pk:
            raise NotFound(_("对象不存在或不在您的管辖范围内"))
        d = validated(SolveSerializer, request.data)
        appeal = actions.solve_issue(meeting, appeal, actor=request.user, comment=d["comment"])
        return Response(AppealSerializer(appeal).data)

    @extend_schema(
        request=HoldSerializer, responses={200: MeetingSerializer, 409: REFUSED}, summary=gettext_lazy("会议召开")
    )
    @action(detail=True, methods=["post"])
    def hold(self, request, pk=None):
        meeting = self.get_object()
        d = validated(HoldSerializer, request.data)
        meeting = actions.hold_meeting(meeting, actor=request.user, attendees=d["attendees"])
        return self._answer(meeting)

    @extend_schema(
        request=SignOffSerializer, responses={200: MeetingSerializer, 409: REFUSED}, summary=gettext_lazy("销号")
    )
    @action(detail=True, methods=["post"], url_path="sign-off")
    def sign_off(self, request, pk=None):
        meeting = self.get_object()
        d = validated(SignOffSerializer, request.data)
        at_meeting = _one(visible_meetings(request.user), d["at_meeting"], "at_meeting", _("会议"))
        meeting = actions.sign_off(meeting, actor=request.user, at_meeting=at_meeting, note=d["note"])
        return self._answer(meeting)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "kind", str, enum=["problems", "duties"], required=True, description=gettext_lazy("问题清单或责任清单")
            ),
            OpenApiParameter("fmt", str, enum=["docx", "xlsx"], required=True, description=gettext_lazy("文件格式")),
        ],
        responses={(200, DOCX): OpenApiTypes.BINARY, (200, XLSX): OpenApiTypes.BINARY},
        summary=gettext_lazy("下载问题清单/责任清单"),
    )
    @action(detail=True, methods=["get"])
    def lists(self, request, pk=None):
        meeting = self.get_object()
        kind, fmt = request.query_params.get("kind", ""), request.query_params.get("fmt", "")
        if kind not in ("problems", "duties"):
            raise ValidationError({"kind": [_("清单类型须为 problems（问题清单）或 duties（责任清单）")]})
        if fmt not in ("docx", "xlsx"):
            raise ValidationError({"fmt": [_("文件格式须为 docx 或 xlsx")]})
        data = exports.to_docx(meeting, kind) if fmt == "docx" else exports.to_xlsx(meeting, kind)
        response = HttpResponse(data, content_type=DOCX if fmt == "docx" else XLSX)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''meeting-{meeting.pk}-{kind}.{fmt}"
        return response


class MeetingFiguresView(APIView):
    permission_classes = [RolePermission]
    required_permission = LISTS

    @extend_schema(responses=MeetingFiguresSerializer, summary=gettext_lazy("恳谈会统计"))
    def get(self, request):
        return Response(meeting_figures(visible_meetings(request.user)))
