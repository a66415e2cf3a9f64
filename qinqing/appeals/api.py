"""Appeals API: list/retrieve/register, one endpoint per step, figures — same rules as the pages."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from qinqing.core.api import Pagination, RolePermission

from . import actions, duplicates, figures, steps
from . import workflow as wf
from .filters import filter_appeals
from .forms import AppealForm
from .permissions import FIGURES, VIEW, get_appeal, visible_appeals
from .serializers import (
    AppealDetailSerializer,
    AppealRefusalSerializer,
    AppealRegisterSerializer,
    AppealSerializer,
    AppealStepSerializer,
    FiguresSerializer,
    PublicStatusRequestSerializer,
    PublicStatusSerializer,
    SimilarAppealSerializer,
)

FILTER_PARAMETERS = [
    OpenApiParameter("q", str, description=gettext_lazy("编号、标题或企业名称")),
    OpenApiParameter("status", str, enum=["open", *wf.STATE_LABELS], description=gettext_lazy("状态；open 为所有在办")),
    OpenApiParameter(
        "deadline", str, enum=["warning", "overdue", "paused", "escalated"], description=gettext_lazy("时限状态")
    ),
    OpenApiParameter("type", str, description=gettext_lazy("诉求类型编码")),
    OpenApiParameter("domain", str, description=gettext_lazy("诉求领域编码")),
    OpenApiParameter("channel", str, description=gettext_lazy("来源渠道")),
    OpenApiParameter("department", int, description=gettext_lazy("主办单位 id")),
    OpenApiParameter("from", OpenApiTypes.DATE, description=gettext_lazy("登记日期起")),
    OpenApiParameter("to", OpenApiTypes.DATE, description=gettext_lazy("登记日期止")),
]


@extend_schema_view(list=extend_schema(parameters=FILTER_PARAMETERS))
class AppealViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [RolePermission]
    required_permission = VIEW
    pagination_class = Pagination

    def get_queryset(self):
        qs, _params = filter_appeals(visible_appeals(self.request.user), self.request.query_params)
        return qs.select_related("enterprise", "appeal_type", "domain", "lead_department")

    def get_serializer_class(self):
        return AppealDetailSerializer if self.action == "retrieve" else AppealSerializer

    def get_object(self):
        return get_appeal(self.request.user, self.kwargs["pk"])

    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        request={"application/json": AppealRegisterSerializer, "multipart/form-data": AppealRegisterSerializer},
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                description=gettext_lazy(
                    "可选，最长64个字符。同一用户以相同的键重复提交（重试、重复点击）只登记一次，"
                    "返回已登记的诉求（200，响应头 Idempotent-Replayed: true）；同一键用于不同内容返回409"
                ),
            )
        ],
        responses={201: AppealDetailSerializer, 200: AppealDetailSerializer, 409: AppealRefusalSerializer},
    )
    def create(self, request):
        """Register an appeal (enterprise online, FIC staff by credit code, chamber secretary); attachments
        go as ``files`` in a multipart/form-data body. Send an ``Idempotency-Key`` header to make a retry
        safe: the same key from the same user returns the appeal already registered."""
        user = request.user
        if not (user.has_perm("appeals.submit_appeal") or user.has_perm("appeals.manage_appeal")):
            raise NotFound()
        data = request.data
        if hasattr(data, "getlist"):  # multipart: plain fields as values, files separately
            data = {k: data.get(k) for k in data if k != "files"}
        key = request.headers.get("Idempotency-Key", "").strip()
        if len(key) > 64:
            raise ValidationError({"detail": _("Idempotency-Key 最长64个字符")})
        form = AppealForm(data, request.FILES or None, role=user.role)
        if not form.is_valid():
            raise ValidationError({"detail": steps.form_errors(form)})
        from .views import _enterprise_for, register_with_enterprise

        d = form.cleaned_data
        enterprise = _enterprise_for(user, d.get("credit_code", ""), form, provisional=d.get("provisional"))
        if enterprise is None:
            raise ValidationError({"detail": steps.form_errors(form)})
        d = form.cleaned_data
        try:
            appeal = register_with_enterprise(
                enterprise,
                actor=user,
                appeal_type=d["appeal_type"],
                domain=d["domain"],
                title=d["title"],
                description=d["description"],
                channel=d.get("channel") or "online",
                contact_name=d["contact_name"],
                contact_phone=d["contact_phone"],
                files=d.get("files") or [],
                submission_key=key,
            )
        except actions.AppealError as exc:
            if key and "Idempotency-Key" in str(exc):
                return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
            raise ValidationError({"detail": str(exc)}) from None
        replayed = getattr(appeal, "replayed", False)
        appeal = get_appeal(user, appeal.pk)
        response = Response(
            AppealDetailSerializer(appeal, context={"request": request}).data,
            status=status.HTTP_200_OK if replayed else status.HTTP_201_CREATED,
        )
        if replayed:
            response["Idempotent-Replayed"] = "true"
        return response

    @extend_schema(
        parameters=[
            OpenApiParameter("title", str, description=gettext_lazy("标题")),
            OpenApiParameter("description", str, description=gettext_lazy("诉求内容")),
            OpenApiParameter(
                "credit_code", str, description=gettext_lazy("企业统一社会信用代码（企业用户不填，取本企业）")
            ),
            OpenApiParameter("domain", int, description=gettext_lazy("诉求领域 id（同领域近90天的诉求参与比对）")),
        ],
        responses=SimilarAppealSerializer(many=True),
        summary=gettext_lazy("可能重复或相关的诉求"),
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def similar(self, request):
        """Likely duplicates while registering: the same enterprise's appeals (180 days) first, then the
        same domain's (90 days), in the caller's scope, ranked by text similarity (at most 5)."""
        user = request.user
        params = request.query_params
        text = f"{params.get('title', '')} {params.get('description', '')}".strip()
        credit_code = params.get("credit_code", "")
        if user.role == wf.ENTERPRISE and user.enterprise_id:
            credit_code = user.enterprise.credit_code
        domain = params.get("domain", "")
        if domain and (not domain.isdigit() or len(domain) > 9):
            raise ValidationError({"domain": [_("诉求领域须为整数 id")]})
        matches = duplicates.suggest(
            visible_appeals(user),
            text,
            credit_code=credit_code,
            domain=int(domain) if domain else None,
            today=actions.today(),
        )
        rows = [
            {
                "id": m["appeal"].pk,
                "number": m["appeal"].number,
                "title": m["appeal"].title,
                "enterprise_name": m["appeal"].enterprise.name,
                "status": m["appeal"].status,
                "status_label": m["appeal"].status_label,
                "registered_on": m["appeal"].registered_on,
                "score": m["score"],
                "same_enterprise": m["same_enterprise"],
            }
            for m in matches
        ]
        return Response(SimilarAppealSerializer(rows, many=True).data)


class AppealStepView(APIView):
    """POST /api/v1/appeals/<id>/steps/<op>/ with the step's fields (comment, lead_department, satisfaction…)."""

    permission_classes = [RolePermission]
    required_permission = VIEW
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        parameters=[
            OpenApiParameter("op", str, OpenApiParameter.PATH, enum=steps.STEP_OPS, description=gettext_lazy("步骤"))
        ],
        request={"application/json": AppealStepSerializer, "multipart/form-data": AppealStepSerializer},
        responses={200: AppealDetailSerializer, 409: AppealRefusalSerializer},
        summary=gettext_lazy("办理诉求的一个步骤"),
    )
    def post(self, request, pk: int, op: str):
        appeal = get_appeal(request.user, pk)
        if op not in steps.STEP_OPS:
            raise NotFound()
        try:
            form = steps.run_step(request.user, appeal, op, request.data, request.FILES or None)
        except actions.AppealError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        if form is not None:
            return Response({"detail": steps.form_errors(form)}, status=status.HTTP_400_BAD_REQUEST)
        appeal = get_appeal(request.user, pk)
        return Response(AppealDetailSerializer(appeal, context={"request": request}).data)


class FiguresView(APIView):
    permission_classes = [RolePermission]
    required_permission = FIGURES

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "by", str, enum=list(figures.DIMENSIONS), description=gettext_lazy("分组维度，默认 department")
            ),
            *FILTER_PARAMETERS,
        ],
        responses=FiguresSerializer,
        summary=gettext_lazy("诉求办理统计"),
    )
    def get(self, request):
        qs, _params = filter_appeals(visible_appeals(request.user), request.query_params)
        dimension = request.query_params.get("by", "department")
        if dimension not in figures.DIMENSIONS:
            raise ValidationError({"by": _("维度须为 %(names)s 之一") % {"names": ", ".join(figures.DIMENSIONS)}})
        rows = figures.by_dimension(qs, dimension, base_path=request.user.org.path)
        base_path = request.user.org.path
        dept_rows = rows if dimension == "department" else figures.by_dimension(qs, "department", base_path=base_path)
        by_region = figures.departments_by_region(dept_rows) if dimension == "region" else []
        return Response(
            {
                "total": figures.totals_from(rows),
                "rows": rows,
                "league": figures.league_from(dept_rows),
                "department_regions": by_region,
            }
        )


class PublicStatusView(APIView):
    """诉求进度查询 without signing in: the appeal number plus the phone number given at intake.

    Public; the same limits as the page (per client address and per appeal number, 429 with
    Retry-After); an unknown number and a wrong phone both answer 404 with the same message."""

    is_public = True
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        request=PublicStatusRequestSerializer,
        responses={200: PublicStatusSerializer, 404: AppealRefusalSerializer, 429: AppealRefusalSerializer},
        summary=gettext_lazy("诉求进度查询（无需登录）"),
    )
    def post(self, request):
        from .views_public import lookup, not_found_message, public_steps

        form = PublicStatusRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        appeal, wait = lookup(request._request, form.validated_data["number"], form.validated_data["phone"])
        if wait:
            response = Response(
                {"detail": _("查询过于频繁，请 %(seconds)s 秒后再试") % {"seconds": int(wait) + 1}},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
            response["Retry-After"] = str(int(wait) + 1)
            return response
        if appeal is None:
            return Response({"detail": not_found_message()}, status=status.HTTP_404_NOT_FOUND)
        body = {
            "number": appeal.number,
            "status": appeal.status,
            "status_label": appeal.status_label,
            "is_paused": appeal.is_paused,
            "registered_on": appeal.registered_on,
            "current_due": appeal.current_due,
            "merged_into_number": appeal.merged_into.number if appeal.merged_into_id else None,
            "steps": [
                {"created_at": e.created_at, "label": e.label, "unit": e.actor_org} for e in public_steps(appeal)
            ],
        }
        return Response(PublicStatusSerializer(body).data)
