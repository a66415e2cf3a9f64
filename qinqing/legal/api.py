"""Legal check-up API: the same actions and scopes as the pages (check-ups and each step, risk points, rounds,
万所联万会 links, talks, the questionnaire versions, figures)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from qinqing.core import figures as registry
from qinqing.core.api import RolePermission
from qinqing.core.api_base import REFUSED, DomainViewSet, validated
from qinqing.core.roles import Role
from qinqing.registry.permissions import visible_enterprises

from . import actions, exports
from . import figures as legal_figures
from . import serializers as s
from .models import Question
from .permissions import (
    FIGURES,
    HANDLE,
    LINKS,
    MANAGE,
    MANAGE_LINKS,
    QUESTIONNAIRE,
    RECORD_TALKS,
    REQUEST,
    RESPOND,
    TALKS,
    VIEW,
    get_checkup,
    get_link,
    get_risk,
    get_round,
    get_talk,
    get_version,
    visible_checkups,
    visible_links,
    visible_risks,
    visible_rounds,
    visible_talks,
    visible_versions,
)
from .views import filter_checkups
from .views_figures import params, scope

FILE = OpenApiParameter("fmt", str, enum=["pdf", "docx"], required=True, description=gettext_lazy("文件格式"))


class _Base(DomainViewSet):
    output = None  # the read serializer of list and retrieve
    ordering: tuple[str, ...] = ("-pk",)
    getter = None  # permissions.get_* for one object (404 when missing or out of scope)

    def list(self, request):
        return self._page(self.get_queryset().order_by(*self.ordering), self.output)

    def retrieve(self, request, pk=None):
        return Response(self.output(type(self).getter(request.user, pk)).data)


class CheckupViewSet(_Base):
    required_permission = VIEW
    required_permissions = {"create": REQUEST, "assign": MANAGE, "selfcheck": RESPOND, "visit": HANDLE,
                            "risks": HANDLE, "issue": HANDLE, "follow": RESPOND, "call": HANDLE}  # fmt: skip
    serializer_class = s.LegalCheckupSerializer

    def get_queryset(self):
        return visible_checkups(self.request.user).select_related("enterprise", "law_firm", "lawyer")

    def _detail(self, checkup, code=status.HTTP_200_OK):
        checkup = get_checkup(self.request.user, checkup.pk)
        return Response(s.LegalCheckupDetailSerializer(checkup, context={"request": self.request}).data, status=code)

    @extend_schema(parameters=[OpenApiParameter("status", str), OpenApiParameter("level", str),
                               OpenApiParameter("q", str, description=gettext_lazy("体检编号或企业名称"))])  # fmt: skip
    def list(self, request):
        qs = filter_checkups(request.query_params, self.get_queryset()).order_by("-requested_on", "-pk")
        return self._page(qs, s.LegalCheckupSerializer)

    @extend_schema(responses=s.LegalCheckupDetailSerializer)
    def retrieve(self, request, pk=None):
        return self._detail(get_checkup(request.user, pk))

    @extend_schema(request=s.LegalRequestInputSerializer, responses={201: s.LegalCheckupDetailSerializer, 409: REFUSED},
                   summary=gettext_lazy("申请法治体检"))  # fmt: skip
    def create(self, request):
        user = request.user
        d = dict(validated(s.LegalRequestInputSerializer, request.data))
        if user.role == Role.ENTERPRISE:
            from qinqing.registry.models import Enterprise

            enterprise = Enterprise.objects.filter(pk=user.enterprise_id).first()
            if enterprise is None:
                raise PermissionDenied()
        else:
            from qinqing.registry.models import Enterprise

            enterprise = Enterprise.objects.filter(pk=d.get("enterprise") or 0).first()
            if enterprise is None:
                raise ValidationError({"enterprise": [_("企业：请指定本商会的会员企业")]})
        return self._detail(actions.request_checkup(actor=user, enterprise=enterprise, data=d), status.HTTP_201_CREATED)

    @extend_schema(request=s.LegalAssignInputSerializer, responses={200: s.LegalCheckupDetailSerializer, 409: REFUSED},
                   summary=gettext_lazy("安排律师并预约走访"))  # fmt: skip
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        d = validated(s.LegalAssignInputSerializer, request.data)
        checkup = get_checkup(request.user, pk)
        return self._detail(actions.assign_checkup(checkup, actor=request.user, lawyer=d["lawyer"],
                                                   visit_on=d["visit_on"]))  # fmt: skip

    @extend_schema(request=s.LegalReasonInputSerializer, responses={200: s.LegalCheckupDetailSerializer, 409: REFUSED},
                   summary=gettext_lazy("取消体检"))  # fmt: skip
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        user = request.user
        if not (user.has_perm(MANAGE) or user.has_perm(RESPOND)):
            raise PermissionDenied()
        d = validated(s.LegalReasonInputSerializer, request.data)
        return self._detail(actions.cancel_checkup(get_checkup(user, pk), actor=user, reason=d["reason"]))

    @staticmethod
    def _answers(items) -> dict:
        return {a["question"]: (a["answer"], a["note"]) for a in items}

    @extend_schema(request=s.LegalSelfCheckInputSerializer, summary=gettext_lazy("提交企业自查问卷"),
                   responses={200: s.LegalCheckupDetailSerializer, 409: REFUSED})  # fmt: skip
    @action(detail=True, methods=["post"])
    def selfcheck(self, request, pk=None):
        d = validated(s.LegalSelfCheckInputSerializer, request.data)
        checkup = get_checkup(request.user, pk)
        return self._detail(actions.submit_selfcheck(checkup, actor=request.user, answers=self._answers(d["answers"])))

    @extend_schema(request=s.LegalVisitInputSerializer, responses={200: s.LegalCheckupDetailSerializer, 409: REFUSED},
                   summary=gettext_lazy("登记律师走访（核查问卷）"))  # fmt: skip
    @action(detail=True, methods=["post"])
    def visit(self, request, pk=None):
        d = validated(s.LegalVisitInputSerializer, request.data)
        checkup = get_checkup(request.user, pk)
        answers = self._answers(d["answers"])
        checkup = actions.record_visit(checkup, actor=request.user, visited_on=d["visited_on"], answers=answers,
                                       note=d["visit_note"])  # fmt: skip
        return self._detail(checkup)

    @extend_schema(request=s.LegalRiskInputSerializer, responses={201: s.LegalRiskSerializer, 409: REFUSED},
                   summary=gettext_lazy("添加风险点"))  # fmt: skip
    @action(detail=True, methods=["post"])
    def risks(self, request, pk=None):
        d = validated(s.LegalRiskInputSerializer, request.data)
        risk = actions.add_risk(get_checkup(request.user, pk), actor=request.user, data=d)
        return Response(s.LegalRiskSerializer(risk).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.LegalIssueInputSerializer, responses={200: s.LegalCheckupDetailSerializer, 409: REFUSED},
                   summary=gettext_lazy("出具法律风险评估报告"))  # fmt: skip
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        d = validated(s.LegalIssueInputSerializer, request.data)
        checkup = get_checkup(request.user, pk)
        return self._detail(actions.issue_report(checkup, actor=request.user, summary=d["report_summary"]))

    @extend_schema(request=s.LegalFollowInputSerializer, responses={200: s.LegalCheckupDetailSerializer, 409: REFUSED},
                   summary=gettext_lazy("反馈整改情况"))  # fmt: skip
    @action(detail=True, methods=["post"])
    def follow(self, request, pk=None):
        d = validated(s.LegalFollowInputSerializer, request.data)
        checkup = get_checkup(request.user, pk)
        items = {i["risk"]: (i["status"], i["reason"]) for i in d["items"]}
        actions.follow_risks(checkup, actor=request.user, items=items)
        return self._detail(checkup)

    @extend_schema(request=s.LegalCallInputSerializer, responses={201: s.LegalCallSerializer, 409: REFUSED},
                   summary=gettext_lazy("登记回访"))  # fmt: skip
    @action(detail=True, methods=["post"])
    def call(self, request, pk=None):
        d = validated(s.LegalCallInputSerializer, request.data)
        call = actions.record_call(get_checkup(request.user, pk), actor=request.user, called_on=d["called_on"],
                                   summary=d["summary"])  # fmt: skip
        return Response(s.LegalCallSerializer(call).data, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[FILE], responses={(200, exports.PDF): OpenApiTypes.BINARY,
                   (200, exports.DOCX): OpenApiTypes.BINARY}, summary=gettext_lazy("下载法律风险评估报告"))  # fmt: skip
    @action(detail=True, methods=["get"])
    def report(self, request, pk=None):
        checkup = get_checkup(request.user, pk)
        fmt = request.query_params.get("fmt", "")
        if fmt not in ("pdf", "docx"):
            raise ValidationError({"fmt": [_("文件格式须为 pdf 或 docx")]})
        if checkup.report_on is None:
            raise NotFound(_("报告尚未出具"))
        return exports.download(checkup, fmt, actor=request.user)


class RiskViewSet(_Base):
    required_permission = VIEW
    required_permissions = {"appeal": MANAGE, "update": HANDLE}
    serializer_class = s.LegalRiskSerializer

    def get_queryset(self):
        return visible_risks(self.request.user).select_related("area")

    @extend_schema(parameters=[OpenApiParameter("level", str), OpenApiParameter("follow_status", str)])
    def list(self, request):
        qs = self.get_queryset().order_by("-pk")
        for name in ("level", "follow_status"):
            value = request.query_params.get(name)
            if value:
                qs = qs.filter(**{name: value[:10]})
        return self._page(qs, s.LegalRiskSerializer)

    output, getter = s.LegalRiskSerializer, get_risk

    @extend_schema(request=s.LegalRiskInputSerializer, responses={200: s.LegalRiskSerializer, 409: REFUSED},
                   summary=gettext_lazy("修改风险点（出具报告前）"))  # fmt: skip
    def update(self, request, pk=None):
        risk = get_risk(request.user, pk)
        d = validated(s.LegalRiskInputSerializer, request.data)
        return Response(s.LegalRiskSerializer(actions.update_risk(risk, actor=request.user, data=d)).data)

    @extend_schema(request=s.LegalAppealInputSerializer, responses={200: s.LegalRiskSerializer, 409: REFUSED},
                   summary=gettext_lazy("红色风险转为诉求"))  # fmt: skip
    @action(detail=True, methods=["post"])
    def appeal(self, request, pk=None):
        d = validated(s.LegalAppealInputSerializer, request.data)
        risk = get_risk(request.user, pk)
        actions.risk_to_appeal(risk, actor=request.user, department=d["department"])
        return Response(s.LegalRiskSerializer(get_risk(request.user, pk)).data)


class RoundViewSet(_Base):
    required_permission = MANAGE
    serializer_class = s.LegalRoundSerializer

    output, getter = s.LegalRoundSerializer, get_round

    def get_queryset(self):
        return visible_rounds(self.request.user).prefetch_related("checkups")

    @extend_schema(request=s.LegalRoundInputSerializer, responses={201: s.LegalRoundSerializer, 409: REFUSED},
                   summary=gettext_lazy("组织体检批次"))  # fmt: skip
    def create(self, request):
        d = validated(s.LegalRoundInputSerializer, request.data)
        found = list(visible_enterprises(request.user).filter(pk__in=d["enterprises"]))
        if len(found) != len(set(d["enterprises"])):
            raise ValidationError({"enterprises": [_("部分企业不存在或不在您的管辖范围内")]})
        rnd = actions.plan_round(actor=request.user, title=d["title"], enterprises=found,
                                 planned_on=d.get("planned_on"), note=d["note"])  # fmt: skip
        return Response(s.LegalRoundSerializer(rnd).data, status=status.HTTP_201_CREATED)


class LinkViewSet(_Base):
    required_permission = LINKS
    required_permissions = {"create": MANAGE_LINKS, "update": MANAGE_LINKS, "services": LINKS}
    serializer_class = s.LegalLinkSerializer

    output, getter, ordering = s.LegalLinkSerializer, get_link, ("-starts_on", "-pk")

    def get_queryset(self):
        return visible_links(self.request.user).select_related("law_firm", "chamber").prefetch_related("lawyers")

    @extend_schema(request=s.LegalLinkInputSerializer, responses={201: s.LegalLinkSerializer, 409: REFUSED},
                   summary=gettext_lazy("登记所会联系（万所联万会）"))  # fmt: skip
    def create(self, request):
        d = validated(s.LegalLinkInputSerializer, request.data)
        link = actions.save_link(actor=request.user, data=d)
        return Response(s.LegalLinkSerializer(link).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.LegalLinkInputSerializer, responses={200: s.LegalLinkSerializer, 409: REFUSED},
                   summary=gettext_lazy("修改所会联系"))  # fmt: skip
    def update(self, request, pk=None):
        link = get_link(request.user, pk)
        d = validated(s.LegalLinkInputSerializer, request.data)
        return Response(s.LegalLinkSerializer(actions.save_link(actor=request.user, data=d, link=link)).data)

    @extend_schema(request=s.LegalLinkServiceInputSerializer, responses={201: s.LegalLinkServiceSerializer,
                   409: REFUSED}, summary=gettext_lazy("登记所会服务（法律咨询、合同审查等）"))  # fmt: skip
    @action(detail=True, methods=["post"])
    def services(self, request, pk=None):
        link = get_link(request.user, pk)
        d = validated(s.LegalLinkServiceInputSerializer, request.data)
        record = actions.record_link_service(link, actor=request.user, data=d)
        return Response(s.LegalLinkServiceSerializer(record).data, status=status.HTTP_201_CREATED)


class TalkViewSet(_Base):
    required_permission = TALKS
    required_permissions = {"create": RECORD_TALKS}
    serializer_class = s.LegalTalkSerializer

    output, getter, ordering = s.LegalTalkSerializer, get_talk, ("-date", "-pk")

    def get_queryset(self):
        return visible_talks(self.request.user).prefetch_related("enterprises")

    @extend_schema(request=s.LegalTalkInputSerializer, responses={201: s.LegalTalkSerializer, 409: REFUSED},
                   summary=gettext_lazy("登记法律讲座/培训"))  # fmt: skip
    def create(self, request):
        d = validated(s.LegalTalkInputSerializer, request.data)
        talk = actions.save_talk(actor=request.user, data=d)
        return Response(s.LegalTalkSerializer(talk).data, status=status.HTTP_201_CREATED)


class VersionViewSet(_Base):
    required_permission = VIEW
    required_permissions = {"create": QUESTIONNAIRE, "areas": QUESTIONNAIRE, "questions": QUESTIONNAIRE,
                            "publish": QUESTIONNAIRE}  # fmt: skip
    serializer_class = s.LegalVersionSerializer

    output, getter, ordering = s.LegalVersionSerializer, get_version, ("-number",)

    def get_queryset(self):
        return visible_versions(self.request.user).prefetch_related("areas__questions")

    @extend_schema(request=s.LegalVersionInputSerializer, responses={201: s.LegalVersionSerializer, 409: REFUSED},
                   summary=gettext_lazy("新建问卷版本（复制当前版本）"))  # fmt: skip
    def create(self, request):
        d = validated(s.LegalVersionInputSerializer, request.data)
        version = actions.new_version(actor=request.user, title=d["title"], note=d["note"])
        return Response(s.LegalVersionSerializer(version).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.LegalAreaInputSerializer, responses={200: s.LegalVersionSerializer, 409: REFUSED},
                   summary=gettext_lazy("添加领域"))  # fmt: skip
    @action(detail=True, methods=["post"])
    def areas(self, request, pk=None):
        d = validated(s.LegalAreaInputSerializer, request.data)
        version = get_version(request.user, pk)
        actions.add_area(version, actor=request.user, code=d["code"], name=d["name"])
        return Response(s.LegalVersionSerializer(get_version(request.user, pk)).data)

    @extend_schema(request=s.LegalQuestionInputSerializer, responses={200: s.LegalVersionSerializer, 409: REFUSED},
                   summary=gettext_lazy("添加问题"))  # fmt: skip
    @action(detail=True, methods=["post"])
    def questions(self, request, pk=None):
        d = validated(s.LegalQuestionInputSerializer, request.data)
        version = get_version(request.user, pk)
        actions.add_question(version, actor=request.user, area=d["area"], question=d["question"], hint=d["hint"])
        return Response(s.LegalVersionSerializer(get_version(request.user, pk)).data)

    @extend_schema(request=None, responses={200: s.LegalVersionSerializer, 409: REFUSED},
                   summary=gettext_lazy("发布为当前版本"))  # fmt: skip
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        version = actions.publish_version(get_version(request.user, pk), actor=request.user)
        return Response(s.LegalVersionSerializer(version).data)


class QuestionDeleteView(APIView):
    """Remove a question from a draft version (published versions are frozen)."""

    permission_classes = [RolePermission]
    required_permission = QUESTIONNAIRE

    @extend_schema(request=None, responses={204: None, 409: REFUSED}, summary=gettext_lazy("删除草稿中的问题"))
    def post(self, request, pk: int):
        question = Question.objects.select_related("area__version").filter(pk=pk).first()
        if question is None:
            raise NotFound()
        actions.delete_question(question, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class FiguresView(APIView):
    permission_classes = [RolePermission]
    required_permission = FIGURES

    @extend_schema(
        parameters=[
            OpenApiParameter("start", str, description=gettext_lazy("起始日期 YYYY-MM-DD")),
            OpenApiParameter("end", str, description=gettext_lazy("截止日期 YYYY-MM-DD")),
            OpenApiParameter("law_firm", int, description=gettext_lazy("律师事务所 id")),
            OpenApiParameter("chamber", int, description=gettext_lazy("商会 id")),
        ],
        responses={200: dict},
        summary=gettext_lazy("法治体检统计（含按律所、按商会）"),
    )
    def get(self, request):
        period, dims = params(request.query_params.get)
        path = scope(request.user)
        out = {}
        for figure in registry.all_figures(domain="legal"):
            out[figure.key] = {"label": str(figure.label), "unit": str(figure.unit),
                               "value": legal_figures.value(figure, path, period, dims)}  # fmt: skip
        return Response({"start": period.start, "end": period.end, "dims": dims, "figures": out,
                         "by_law_firm": legal_figures.breakdown("law_firm", path, period),
                         "by_chamber": legal_figures.breakdown("chamber", path, period),
                         "breakdown_keys": legal_figures.BREAKDOWN})  # fmt: skip
