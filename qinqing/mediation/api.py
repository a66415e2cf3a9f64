"""Mediation API: the same actions and scopes as the pages (bodies and rosters, cases, parties, sessions,
extensions, outcomes, 司法确认, the 调解协议书, the exchange with the courts, figures)."""

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, OpenApiTypes, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from qinqing.accounts.models import User
from qinqing.core import figures as registry
from qinqing.core.api import RolePermission
from qinqing.core.api_base import REFUSED, DomainViewSet, one_in_scope, validated
from qinqing.orgs.models import Organization

from . import actions, contacts, views, views_bodies
from . import figures as med_figures
from . import serializers as s
from .permissions import (
    BODIES,
    FIGURES,
    HANDLE,
    REGISTER,
    VIEW,
    get_body,
    get_case,
    handles,
    managed_bodies,
    registers,
    sees_contacts,
    visible_bodies,
    visible_cases,
)

DOCX = OpenApiResponse(OpenApiTypes.BINARY, description=gettext_lazy("调解协议书 .docx"))
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A refused import: the file's row errors (nothing imported), or field errors such as an unknown body.
IMPORT_REFUSED = OpenApiResponse(
    {
        "oneOf": [
            {"$ref": "#/components/schemas/MediationImportResult"},
            {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
        ]
    },
    description=gettext_lazy("导入文件有误或输入有误，未作任何修改"),
)


def _step_schema(request_serializer, summary):
    return extend_schema(
        request=request_serializer, responses={200: s.MediationCaseDetailSerializer, 409: REFUSED}, summary=summary
    )


class BodyViewSet(DomainViewSet):
    required_permission = VIEW
    required_permissions = {"create": BODIES, "update": BODIES, "roster_add": BODIES, "roster_remove": BODIES}
    serializer_class = s.MediationBodySerializer

    def get_queryset(self):
        return visible_bodies(self.request.user).select_related("organization")

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset().order_by("org_path", "pk"))
        return self.get_paginated_response(s.MediationBodySerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(s.MediationBodySerializer(get_body(request.user, pk)).data)

    @extend_schema(
        request=s.MediationBodyInputSerializer,
        responses={201: s.MediationBodySerializer},
        summary=gettext_lazy("新建调解组织"),
    )
    def create(self, request):
        d = validated(s.MediationBodyInputSerializer, request.data)
        nodes = views_bodies._nodes(request.user)
        organization = one_in_scope(nodes, d.pop("organization", None), "organization", _("所属组织"))
        body = actions.save_body(actor=request.user, organization=organization, data=d)
        return Response(s.MediationBodySerializer(body).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=s.MediationBodyInputSerializer,
        responses={200: s.MediationBodySerializer},
        summary=gettext_lazy("修改调解组织"),
    )
    def update(self, request, pk=None):
        body = views_bodies._managed(request.user, pk)
        d = validated(s.MediationBodyInputSerializer, request.data)
        d.pop("organization", None)
        body = actions.save_body(actor=request.user, organization=None, body=body, data=d)
        return Response(s.MediationBodySerializer(body).data)

    @extend_schema(responses={200: s.MediationRosterEntrySerializer(many=True)}, summary=gettext_lazy("调解员名册"))
    @action(detail=True, methods=["get"], pagination_class=None)
    def roster(self, request, pk=None):
        body = get_body(request.user, pk)
        entries = body.roster.select_related("user").order_by("-is_active", "pk")
        return Response(s.MediationRosterEntrySerializer(entries, many=True).data)

    @extend_schema(request=s.MediationRosterInputSerializer, responses={201: s.MediationRosterEntrySerializer},
                   summary=gettext_lazy("列入调解员名册"))  # fmt: skip
    @action(detail=True, methods=["post"], url_path="roster/add")
    def roster_add(self, request, pk=None):
        body = views_bodies._managed(request.user, pk)
        d = validated(s.MediationRosterInputSerializer, request.data)
        user = one_in_scope(views_bodies._candidates(body), d["user"], "user", _("调解员"))
        entry = actions.add_to_roster(body, actor=request.user, user=user, specialities=d.get("specialities") or [],
                                      title=d.get("title") or "")  # fmt: skip
        return Response(s.MediationRosterEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=s.MediationAssignInputSerializer,
        responses={200: s.MediationRosterEntrySerializer, 409: REFUSED},
        summary=gettext_lazy("移出调解员名册（mediator 为调解员账号 id）"),
    )
    @action(detail=True, methods=["post"], url_path="roster/remove")
    def roster_remove(self, request, pk=None):
        body = views_bodies._managed(request.user, pk)
        d = validated(s.MediationAssignInputSerializer, request.data)
        entry = body.roster.select_related("body").filter(user_id=d["mediator"]).first()
        if entry is None:
            raise ValidationError({"mediator": [_("该调解员不在本调解组织的名册中")]})
        entry = actions.remove_from_roster(entry, actor=request.user)
        return Response(s.MediationRosterEntrySerializer(entry).data)


CASE_PARAMS = [
    OpenApiParameter("status", str, description=gettext_lazy("状态")),
    OpenApiParameter("source", str, description=gettext_lazy("案件来源（court 为法院委派和委托）")),
    OpenApiParameter("case_type", str, description=gettext_lazy("纠纷类型")),
    OpenApiParameter("body", int, description=gettext_lazy("调解组织 id")),
    OpenApiParameter("overdue", str, description=gettext_lazy("1：仅超期未结")),
    OpenApiParameter("q", str, description=gettext_lazy("案件编号或法院案号")),
]


class CaseViewSet(DomainViewSet):
    required_permission = VIEW
    required_permissions = {"create": REGISTER, "assign": REGISTER, "party": REGISTER, "extend": REGISTER,
                            "session": HANDLE, "settle": HANDLE, "fail": HANDLE, "withdraw": HANDLE,
                            "return_to_court": HANDLE, "request_confirmation": HANDLE, "confirmation": HANDLE,
                            "lawsuit": HANDLE, "reveal_contacts": HANDLE}  # fmt: skip
    serializer_class = s.MediationCaseSerializer

    def get_queryset(self):
        return visible_cases(self.request.user).select_related("body", "mediator").prefetch_related("parties")

    def _context(self):
        # Parties masked by default; those who handle the case reveal them with reveal-contacts (audited).
        return {"today": actions.today()}

    def _detail(self, case, code=status.HTTP_200_OK):
        case = get_case(self.request.user, case.pk)
        return Response(s.MediationCaseDetailSerializer(case, context=self._context()).data, status=code)

    @extend_schema(parameters=CASE_PARAMS, responses={200: s.MediationCaseSerializer(many=True)})
    def list(self, request):
        qs = views.filter_cases(request.query_params, self.get_queryset()).order_by("-received_on", "-pk")
        page = self.paginate_queryset(qs)
        # Lists always mask the parties' details (the case page shows them to those who handle it).
        return self.get_paginated_response(
            s.MediationCaseSerializer(page, many=True, context={"today": actions.today()}).data
        )

    @extend_schema(responses={200: s.MediationCaseDetailSerializer})
    def retrieve(self, request, pk=None):
        return self._detail(get_case(request.user, pk))

    @extend_schema(request=s.MediationCaseInputSerializer, responses={201: s.MediationCaseDetailSerializer},
                   summary=gettext_lazy("登记调解案件"))  # fmt: skip
    def create(self, request):
        d = validated(s.MediationCaseInputSerializer, request.data)
        body = one_in_scope(managed_bodies(request.user), d.pop("body"), "body", _("调解组织"))
        mediator_id = d.pop("mediator", None)
        mediator = User.objects.filter(pk=mediator_id).first() if mediator_id else None
        if mediator_id and mediator is None:
            raise ValidationError({"mediator": [_("调解员不存在")]})
        parties = d.pop("parties")
        case = actions.register_case(actor=request.user, body=body, data=d, parties=parties, mediator=mediator)
        return self._detail(case, status.HTTP_201_CREATED)

    def _step(self, request, pk, serializer_class, verb, allowed):
        case = get_case(request.user, pk)
        if not allowed(request.user, case):
            raise Http404
        d = validated(serializer_class, request.data)
        verb(case, actor=request.user, data=d)
        return self._detail(case)

    @_step_schema(s.MediationAssignInputSerializer, gettext_lazy("指派调解员"))
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        case = get_case(request.user, pk)
        if not registers(request.user, case):
            raise Http404
        d = validated(s.MediationAssignInputSerializer, request.data)
        mediator = one_in_scope(User.objects.filter(is_active=True), d["mediator"], "mediator", _("调解员"))
        actions.assign_mediator(case, actor=request.user, mediator=mediator)
        return self._detail(case)

    @extend_schema(request=None, responses={200: s.MediationPartySerializer(many=True)},
                   summary=gettext_lazy("查看当事人完整联系方式（记入审计日志）"))  # fmt: skip
    @action(detail=True, methods=["post"], url_path="reveal-contacts", pagination_class=None)
    def reveal_contacts(self, request, pk=None):
        case = get_case(request.user, pk)
        if not sees_contacts(request.user, case):
            raise Http404
        return Response(s.MediationPartySerializer(contacts.reveal(case, actor=request.user), many=True).data)

    @_step_schema(s.MediationPartyInputSerializer, gettext_lazy("添加当事人"))
    @action(detail=True, methods=["post"])
    def party(self, request, pk=None):
        return self._step(request, pk, s.MediationPartyInputSerializer, actions.add_party, registers)

    @_step_schema(s.MediationExtensionInputSerializer, gettext_lazy("经法院同意延长调解期限"))
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        return self._step(request, pk, s.MediationExtensionInputSerializer, actions.extend_deadline, registers)

    @_step_schema(s.MediationSessionInputSerializer, gettext_lazy("登记调解记录"))
    @action(detail=True, methods=["post"])
    def session(self, request, pk=None):
        return self._step(request, pk, s.MediationSessionInputSerializer, actions.log_session, handles)

    @_step_schema(s.MediationSettleInputSerializer, gettext_lazy("调解成功"))
    @action(detail=True, methods=["post"])
    def settle(self, request, pk=None):
        return self._step(request, pk, s.MediationSettleInputSerializer, actions.settle, handles)

    @_step_schema(s.MediationFailInputSerializer, gettext_lazy("调解不成"))
    @action(detail=True, methods=["post"])
    def fail(self, request, pk=None):
        return self._step(request, pk, s.MediationFailInputSerializer, actions.fail, handles)

    @_step_schema(s.MediationCloseInputSerializer, gettext_lazy("撤回"))
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._step(request, pk, s.MediationCloseInputSerializer, actions.withdraw, handles)

    @_step_schema(s.MediationCloseInputSerializer, gettext_lazy("超期退回法院"))
    @action(detail=True, methods=["post"], url_path="return")
    def return_to_court(self, request, pk=None):
        return self._step(request, pk, s.MediationCloseInputSerializer, actions.return_to_court, handles)

    @_step_schema(s.MediationConfirmationRequestSerializer, gettext_lazy("申请司法确认"))
    @action(detail=True, methods=["post"], url_path="request-confirmation")
    def request_confirmation(self, request, pk=None):
        return self._step(request, pk, s.MediationConfirmationRequestSerializer, actions.request_confirmation, handles)

    @_step_schema(s.MediationConfirmationResultSerializer, gettext_lazy("登记司法确认裁定结果"))
    @action(detail=True, methods=["post"])
    def confirmation(self, request, pk=None):
        return self._step(request, pk, s.MediationConfirmationResultSerializer, actions.record_confirmation, handles)

    @_step_schema(s.MediationLawsuitInputSerializer, gettext_lazy("登记立案案号"))
    @action(detail=True, methods=["post"])
    def lawsuit(self, request, pk=None):
        return self._step(request, pk, s.MediationLawsuitInputSerializer, actions.record_lawsuit, handles)

    @extend_schema(responses={200: DOCX}, summary=gettext_lazy("下载调解协议书"))
    @action(detail=True, methods=["get"])
    def agreement(self, request, pk=None):
        return views.agreement_response(request, get_case(request.user, pk))


class ExchangeExportView(APIView):
    """Court-referred cases and their outcomes in the exchange format (format=json or xlsx)."""

    permission_classes = [RolePermission]
    required_permission = REGISTER

    def perform_content_negotiation(self, request, force=False):
        # ?format= names the file, not a DRF renderer: without force, format=xlsx would be a 404.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        parameters=[
            OpenApiParameter("format", str, enum=["json", "xlsx"], description=gettext_lazy("文件格式")),
            OpenApiParameter("body", int, description=gettext_lazy("调解组织 id")),
            OpenApiParameter("from", OpenApiTypes.DATE, description=gettext_lazy("受理日期起")),
            OpenApiParameter("to", OpenApiTypes.DATE, description=gettext_lazy("受理日期止")),
            OpenApiParameter("court", str, description=gettext_lazy("法院名称")),
        ],
        responses={
            (200, "application/json"): OpenApiResponse(
                OpenApiTypes.OBJECT, description=gettext_lazy("交换文件（JSON）")
            ),
            (200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description=gettext_lazy("交换文件（xlsx）")),
        },
        summary=gettext_lazy("导出法院交换文件"),
    )
    def get(self, request):
        fmt = request.query_params.get("format") or "json"
        if fmt not in ("json", "xlsx"):
            raise ValidationError({"format": [_("文件格式只能是 json 或 xlsx")]})
        return views_bodies.export_response(request.user, request.query_params, fmt)


class ExchangeImportView(APIView):
    permission_classes = [RolePermission]
    required_permission = REGISTER
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request={"multipart/form-data": s.MediationFileSerializer},
                   responses={200: s.MediationImportResultSerializer, 400: IMPORT_REFUSED},
                   summary=gettext_lazy("导入法院交换文件（有任何错误则不作修改）"))  # fmt: skip
    def post(self, request):
        d = validated(s.MediationFileSerializer, request.data)
        body = one_in_scope(managed_bodies(request.user).filter(is_active=True), d["body"], "body", _("调解组织"))
        result = views_bodies.import_upload(request.user, body, d["file"])
        data = {"rows": result.rows, "created": result.created, "updated": result.updated,
                "unchanged": result.unchanged, "errors": result.errors}  # fmt: skip
        return Response(data, status=status.HTTP_200_OK if result.ok else status.HTTP_400_BAD_REQUEST)


class FiguresView(APIView):
    permission_classes = [RolePermission]
    required_permission = FIGURES

    @extend_schema(
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, description=gettext_lazy("起始日期")),
            OpenApiParameter("to", OpenApiTypes.DATE, description=gettext_lazy("截止日期")),
            OpenApiParameter("org", int, description=gettext_lazy("组织 id（默认本级；须在本人管辖范围内）")),
        ],
        responses={200: OpenApiTypes.OBJECT},
        summary=gettext_lazy("调解统计（含下级汇总）"),
    )
    def get(self, request):
        from qinqing.core.badinput import date_param, int_param

        user = request.user
        node = user.org
        org_id = int_param(request.query_params, "org", _("组织"))
        if org_id:
            node = one_in_scope(Organization.objects.filter(path__startswith=user.org.path), org_id, "org", _("组织"))
        today = actions.today()
        start = date_param(request.query_params, "from", _("起始日期")) or today.replace(month=1, day=1)
        end = date_param(request.query_params, "to", _("截止日期")) or today.replace(month=12, day=31)
        period = registry.Period(min(start, end), max(start, end))
        table = views_bodies.figure_table(node, period)

        def plain(values):
            return {k: (str(v) if hasattr(v, "quantize") else v) for k, v in values.items()}

        return Response({
            "org": node.pk, "from": period.start, "to": period.end,
            "labels": {f.key: str(f.label) for f in registry.all_figures(domain="mediation")},
            "values": plain(table["own"]),
            "children": [{"org": r["node"].pk, "name": r["node"].name, "values": plain(r["values"])}
                         for r in table["rows"]],
            "headline": med_figures.HEADLINE,
        })  # fmt: skip
