"""Activities API: the same actions and scopes as the pages (setup, registration and waitlist, check-in by
signed link or by staff, job fair jobs and intentions, figures)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from qinqing.core import figures as registry
from qinqing.core.api import RolePermission
from qinqing.core.api_base import REFUSED, DomainViewSet, validated
from qinqing.core.roles import Role
from qinqing.orgs.models import Organization
from qinqing.registry.permissions import visible_enterprises

from . import actions
from . import figures as act_figures
from . import serializers as s
from .filters import filter_activities
from .permissions import (
    CHECKIN,
    FIGURES,
    MANAGE,
    REGISTER,
    VIEW,
    can_manage,
    get_activity,
    get_job,
    get_managed_activity,
    get_registration,
    visible_activities,
    visible_jobs,
    visible_registrations,
)


def _enterprise_for(request, enterprise_id, activity=None):
    """The enterprise a registration or job is for: the user's own, or (staff) one in their scope."""
    user = request.user
    if user.role == Role.ENTERPRISE:
        if not user.enterprise_id:
            raise PermissionDenied()
        return user.enterprise
    if activity is None or not can_manage(user, activity):
        raise PermissionDenied()
    if not enterprise_id:
        raise ValidationError({"enterprise": [_("请指定企业")]})
    enterprise = visible_enterprises(user).filter(pk=enterprise_id).first()
    if enterprise is None and user.role == Role.CHAMBER_SECRETARY:
        from qinqing.registry.models import Enterprise

        enterprise = Enterprise.objects.filter(pk=enterprise_id, members__organization_id=user.org_id).first()
    if enterprise is None:
        raise ValidationError({"enterprise": [_("企业 id %(id)s 不存在或不在您的管辖范围内") % {"id": enterprise_id}]})
    return enterprise


class ActivityViewSet(DomainViewSet):
    required_permission = VIEW
    required_permissions = {"create": MANAGE, "update": MANAGE}
    serializer_class = s.ActivitySerializer

    def get_queryset(self):
        return visible_activities(self.request.user).select_related("organiser").prefetch_related("sessions")

    @extend_schema(parameters=[OpenApiParameter("kind", str), OpenApiParameter("organiser", int),
                               OpenApiParameter("start", str), OpenApiParameter("end", str),
                               OpenApiParameter("q", str)])  # fmt: skip
    def list(self, request):
        qs, _used = filter_activities(self.get_queryset(), request.query_params)
        return self._page(qs.order_by("-starts_on", "-pk"), s.ActivitySerializer)

    def retrieve(self, request, pk=None):
        return Response(s.ActivitySerializer(get_activity(request.user, pk)).data)

    def _data(self, request) -> dict:
        d = validated(s.ActivityInputSerializer, request.data)
        if d.get("organiser"):
            d["organiser"] = Organization.objects.filter(pk=d["organiser"]).first()
            if d["organiser"] is None:
                raise ValidationError({"organiser": [_("主办单位不存在")]})
        if "sessions" in d:
            d["sessions"] = [dict(x) for x in d["sessions"]]
        else:
            d["sessions"] = None
        return d

    @extend_schema(request=s.ActivityInputSerializer, responses={201: s.ActivitySerializer, 409: REFUSED},
                   summary=gettext_lazy("新建活动"))  # fmt: skip
    def create(self, request):
        activity = actions.save_activity(actor=request.user, data=self._data(request))
        return Response(s.ActivitySerializer(activity).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ActivityInputSerializer, responses={200: s.ActivitySerializer, 409: REFUSED},
                   summary=gettext_lazy("修改活动"))  # fmt: skip
    def update(self, request, pk=None):
        activity = get_managed_activity(request.user, pk)
        activity = actions.save_activity(actor=request.user, data=self._data(request), activity=activity)
        return Response(s.ActivitySerializer(activity).data)

    @extend_schema(request=s.RegisterInputSerializer, responses={201: s.RegistrationSerializer, 409: REFUSED},
                   summary=gettext_lazy("报名（名额已满时进入候补）"))  # fmt: skip
    @action(detail=True, methods=["post"])
    def register(self, request, pk=None):
        activity = get_activity(request.user, pk)
        if not (request.user.has_perm(REGISTER) or request.user.has_perm(MANAGE)):
            raise PermissionDenied()
        d = validated(s.RegisterInputSerializer, request.data)
        enterprise = _enterprise_for(request, d.get("enterprise"), activity)
        registration = actions.register(
            activity,
            actor=request.user,
            enterprise=enterprise,
            attendee_name=d["attendee_name"],
            attendee_phone=d["attendee_phone"],
        )
        data = s.RegistrationSerializer(registration, context={"request": request}).data
        return Response(data, status=status.HTTP_201_CREATED)


class RegistrationViewSet(DomainViewSet):
    required_permission = VIEW
    required_permissions = {"checkin": MANAGE, "scan": CHECKIN}
    serializer_class = s.RegistrationSerializer

    def get_queryset(self):
        return visible_registrations(self.request.user).select_related("enterprise").prefetch_related("attendances")

    @extend_schema(parameters=[OpenApiParameter("activity", int), OpenApiParameter("status", str)])
    def list(self, request):
        qs = self.get_queryset().order_by("-registered_at", "-pk")
        activity = request.query_params.get("activity") or ""
        if activity.isdigit() and len(activity) < 10:
            qs = qs.filter(activity_id=int(activity))
        if request.query_params.get("status"):
            qs = qs.filter(status=request.query_params["status"][:12])
        return self._page(qs, s.RegistrationSerializer)

    def retrieve(self, request, pk=None):
        registration = get_registration(request.user, pk)
        return Response(s.RegistrationSerializer(registration, context={"request": request}).data)

    def _mine_or_managed(self, request, registration):
        user = request.user
        own = user.role == Role.ENTERPRISE and user.enterprise_id == registration.enterprise_id
        if not own and not can_manage(user, registration.activity):
            raise PermissionDenied()

    @extend_schema(request=None, responses={200: s.RegistrationSerializer, 409: REFUSED},
                   summary=gettext_lazy("取消报名（空出的名额自动给候补第一位）"))  # fmt: skip
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        registration = get_registration(request.user, pk)
        self._mine_or_managed(request, registration)
        registration = actions.cancel(registration, actor=request.user)
        return Response(s.RegistrationSerializer(registration, context={"request": request}).data)

    @extend_schema(responses={200: s.CheckinUrlSerializer}, summary=gettext_lazy("个人签到链接（二维码内容）"))
    @action(detail=True, methods=["get"], url_path="checkin-url")
    def checkin_url(self, request, pk=None):
        registration = get_registration(request.user, pk)
        self._mine_or_managed(request, registration)
        if registration.status != "confirmed":
            raise ValidationError({"status": [_("只有报名成功的报名才有签到码")]})
        return Response({"url": request.build_absolute_uri(actions.checkin_path(registration))})

    @extend_schema(request=s.ManualCheckinSerializer, responses={201: s.AttendanceSerializer, 409: REFUSED},
                   summary=gettext_lazy("工作人员手工签到"))  # fmt: skip
    @action(detail=True, methods=["post"])
    def checkin(self, request, pk=None):
        registration = get_registration(request.user, pk)
        if not can_manage(request.user, registration.activity):
            raise PermissionDenied()
        d = validated(s.ManualCheckinSerializer, request.data)
        session = registration.activity.sessions.filter(pk=d["session"]).first()
        if session is None:
            raise ValidationError({"session": [_("场次 id %(id)s 不属于该活动") % {"id": d["session"]}]})
        attendance = actions.check_in(registration, session, actor=request.user, method="manual")
        return Response(s.AttendanceSerializer(attendance).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.CheckinInputSerializer, responses={201: s.AttendanceSerializer, 409: REFUSED},
                   summary=gettext_lazy("扫码签到（签到码为二维码中的链接或其末段）"))  # fmt: skip
    @action(detail=False, methods=["post"])
    def scan(self, request):
        d = validated(s.CheckinInputSerializer, request.data)
        token = d["token"].rstrip("/").rsplit("/", 1)[-1]
        attendance = actions.check_in_by_token(token, actor=request.user)
        return Response(s.AttendanceSerializer(attendance).data, status=status.HTTP_201_CREATED)


class JobViewSet(DomainViewSet):
    required_permission = VIEW
    required_permissions = {"intentions": MANAGE}
    serializer_class = s.FairJobSerializer

    def get_queryset(self):
        return visible_jobs(self.request.user).select_related("enterprise")

    @extend_schema(parameters=[OpenApiParameter("activity", int)])
    def list(self, request):
        qs = self.get_queryset().order_by("activity_id", "pk")
        activity = request.query_params.get("activity") or ""
        if activity.isdigit() and len(activity) < 10:
            qs = qs.filter(activity_id=int(activity))
        return self._page(qs, s.FairJobSerializer)

    def retrieve(self, request, pk=None):
        return Response(s.FairJobSerializer(get_job(request.user, pk)).data)

    @extend_schema(request=s.FairJobInputSerializer, responses={201: s.FairJobSerializer, 409: REFUSED},
                   summary=gettext_lazy("发布招聘岗位"))  # fmt: skip
    def create(self, request):
        d = validated(s.FairJobInputSerializer, request.data)
        activity = get_activity(request.user, d.pop("activity"))
        enterprise = _enterprise_for(request, d.pop("enterprise", None), activity)
        job = actions.post_job(activity, actor=request.user, enterprise=enterprise, data=d)
        return Response(s.FairJobSerializer(job).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.IntentionsInputSerializer, responses={200: s.FairJobSerializer, 409: REFUSED},
                   summary=gettext_lazy("记录达成就业意向人数"))  # fmt: skip
    @action(detail=True, methods=["post"])
    def intentions(self, request, pk=None):
        job = get_job(request.user, pk)
        if not can_manage(request.user, job.activity):
            raise PermissionDenied()
        d = validated(s.IntentionsInputSerializer, request.data)
        job = actions.record_intentions(job, actor=request.user, intentions=d["intentions"])
        return Response(s.FairJobSerializer(job).data)


class FiguresView(APIView):
    permission_classes = [RolePermission]
    required_permission = FIGURES

    @extend_schema(
        parameters=[
            OpenApiParameter("start", str, description=gettext_lazy("起始日期 YYYY-MM-DD")),
            OpenApiParameter("end", str, description=gettext_lazy("截止日期 YYYY-MM-DD")),
            OpenApiParameter("kind", str, description=gettext_lazy("活动类型")),
            OpenApiParameter("organiser", int, description=gettext_lazy("主办单位 id")),
            OpenApiParameter("by", str, description=gettext_lazy("分组：kind / organiser / month / region")),
        ],
        responses={200: dict},
        summary=gettext_lazy("活动统计"),
    )
    def get(self, request):
        from .views_figures import params, scope

        period, dims = params(request)
        scope_path = scope(request)
        by = request.query_params.get("by") or ""
        out = {}
        for figure in registry.all_figures(domain="activities"):
            entry = {"label": str(figure.label), "unit": str(figure.unit),
                     "value": act_figures.value(figure, scope_path, period, dims)}  # fmt: skip
            if by in act_figures.BY and not isinstance(figure, registry.Rate):
                groups = act_figures.breakdown(figure, scope_path, period, dims, by)
                entry["groups"] = {str(k): v for k, v in groups.items()}
            out[figure.key] = entry
        return Response({"start": period.start, "end": period.end, "dims": dims, "figures": out})
