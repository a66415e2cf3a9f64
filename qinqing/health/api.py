"""Health-check API: the same actions and scopes as the pages (results, diagnosis, the enterprise's figures and
questionnaire, scoring versions, runs, visits and appeals, figures)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from qinqing.core.api import RolePermission
from qinqing.core.api_base import REFUSED, DomainViewSet, validated

from . import actions, diagnosis
from . import serializers as s
from .filters import ResultFilter, VisitFilter
from .models import QuestionnaireAnswers
from .permissions import (
    FIGURES,
    MANAGE,
    SCHEME,
    VIEW,
    can_state,
    get_enterprise,
    get_result,
    get_run,
    get_version,
    get_visit,
    visible_enterprises,
    visible_results,
    visible_runs,
    visible_supplements,
    visible_versions,
    visible_visits,
)


class ResultViewSet(DomainViewSet):
    """Current results in the caller's scope (``?history=1``: every result), filtered like the page."""

    required_permission = VIEW
    serializer_class = s.ResultSerializer
    filterset_class = ResultFilter

    def get_queryset(self):
        history = self.request.query_params.get("history") == "1"
        return visible_results(self.request.user, current_only=not history).select_related("enterprise", "version")

    @extend_schema(parameters=[OpenApiParameter("history", str, description=gettext_lazy("1：含历史结果"))])
    def list(self, request):
        flt = ResultFilter(request.query_params, queryset=self.get_queryset())
        if not flt.is_valid():
            raise ValidationError(flt.errors)
        return self._page(flt.qs.order_by("total", "pk"), s.ResultSerializer)

    def retrieve(self, request, pk=None):
        return Response(s.ResultSerializer(get_result(request.user, pk)).data)


class DiagnosisViewSet(DomainViewSet):
    """One enterprise's diagnosis (as on the page), its supplementary figures and questionnaire."""

    required_permission = VIEW
    serializer_class = s.DiagnosisSerializer

    def get_queryset(self):
        return visible_enterprises(self.request.user)

    @extend_schema(responses={200: s.DiagnosisSerializer}, summary=gettext_lazy("企业健康诊断"))
    def retrieve(self, request, pk=None):
        enterprise = get_enterprise(request.user, pk)
        result = enterprise.health_results.filter(is_current=True).select_related("enterprise", "version").first()
        data = {"enterprise": enterprise.pk, "enterprise_name": enterprise.name, "result": None, "diagnosis": None,
                "radar": None, "services": []}  # fmt: skip
        if result is not None:
            answers = QuestionnaireAnswers.objects.filter(enterprise=enterprise).values_list("answers", flat=True)
            view = diagnosis.build(result, answers.first())
            data.update(result=s.ResultSerializer(result).data, diagnosis=view, radar=diagnosis.radar(view),
                        services=diagnosis.suggestions(view, enterprise))  # fmt: skip
        return Response(data)

    @extend_schema(request=s.SupplementInputSerializer, responses={200: s.SupplementSerializer},
                   summary=gettext_lazy("补充财务数据"))  # fmt: skip
    @action(detail=True, methods=["post"])
    def supplement(self, request, pk=None):
        enterprise = get_enterprise(request.user, pk)
        if not can_state(request.user, enterprise):
            raise PermissionDenied()
        data = validated(s.SupplementInputSerializer, request.data)
        row = actions.save_supplement(enterprise, actor=request.user, year=data["year"], data=data)
        return Response(s.SupplementSerializer(row).data)

    @extend_schema(request=s.QuestionnaireInputSerializer, responses={200: dict}, summary=gettext_lazy("体检问卷"))
    @action(detail=True, methods=["post"])
    def questionnaire(self, request, pk=None):
        enterprise = get_enterprise(request.user, pk)
        if not can_state(request.user, enterprise):
            raise PermissionDenied()
        data = validated(s.QuestionnaireInputSerializer, request.data)
        row = actions.answer_questionnaire(enterprise, actor=request.user, answers=data)
        return Response({"enterprise": enterprise.pk, "answers": row.answers})


class SupplementViewSet(DomainViewSet):
    required_permission = VIEW
    serializer_class = s.SupplementSerializer

    def get_queryset(self):
        return visible_supplements(self.request.user)

    def list(self, request):
        return self._page(self.get_queryset().order_by("enterprise_id", "-year"), s.SupplementSerializer)


class VersionViewSet(DomainViewSet):
    required_permission = VIEW
    required_permissions = {"create": SCHEME, "update": SCHEME, "publish": SCHEME}
    serializer_class = s.VersionSerializer

    def get_queryset(self):
        return visible_versions(self.request.user)

    def list(self, request):
        return self._page(self.get_queryset(), s.VersionSerializer)

    def retrieve(self, request, pk=None):
        return Response(s.VersionSerializer(get_version(request.user, pk)).data)

    @extend_schema(request=s.VersionInputSerializer, responses={201: s.VersionSerializer},
                   summary=gettext_lazy("新建评分方案版本（草稿）"))  # fmt: skip
    def create(self, request):
        d = validated(s.VersionInputSerializer, request.data)
        version = actions.save_version(actor=request.user, config=d["config"], name=d["name"], note=d["note"])
        return Response(s.VersionSerializer(version).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.VersionInputSerializer, responses={200: s.VersionSerializer, 409: REFUSED},
                   summary=gettext_lazy("修改草稿方案"))  # fmt: skip
    def update(self, request, pk=None):
        version = get_version(request.user, pk)
        d = validated(s.VersionInputSerializer, request.data)
        version = actions.save_version(actor=request.user, config=d["config"], name=d["name"], note=d["note"],
                                       version=version)  # fmt: skip
        return Response(s.VersionSerializer(version).data)

    @extend_schema(request=None, responses={200: s.VersionSerializer, 409: REFUSED}, summary=gettext_lazy("启用方案"))
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        version = actions.publish_version(get_version(request.user, pk), actor=request.user)
        return Response(s.VersionSerializer(version).data)


class RunViewSet(DomainViewSet):
    required_permission = VIEW
    required_permissions = {"create": MANAGE}
    serializer_class = s.RunSerializer

    def get_queryset(self):
        return visible_runs(self.request.user)

    def list(self, request):
        return self._page(self.get_queryset(), s.RunSerializer)

    def retrieve(self, request, pk=None):
        return Response(s.RunSerializer(get_run(request.user, pk)).data)

    @extend_schema(request=None, responses={202: s.RunSerializer, 409: REFUSED}, summary=gettext_lazy("发起体检评分"))
    def create(self, request):
        run = actions.start_run(actor=request.user)
        return Response(s.RunSerializer(run).data, status=status.HTTP_202_ACCEPTED)


class VisitViewSet(DomainViewSet):
    required_permission = VIEW
    required_permissions = {"create": MANAGE, "record": MANAGE, "appeal": MANAGE}
    serializer_class = s.VisitSerializer
    filterset_class = VisitFilter

    def get_queryset(self):
        return visible_visits(self.request.user).select_related("enterprise")

    def list(self, request):
        flt = VisitFilter(request.query_params, queryset=self.get_queryset())
        if not flt.is_valid():
            raise ValidationError(flt.errors)
        return self._page(flt.qs, s.VisitSerializer)

    def retrieve(self, request, pk=None):
        return Response(s.VisitSerializer(get_visit(request.user, pk)).data)

    @extend_schema(request=s.VisitCreateSerializer, responses={201: s.VisitSerializer(many=True), 409: REFUSED},
                   summary=gettext_lazy("创建走访任务"))  # fmt: skip
    def create(self, request):
        from .views import _staff

        d = validated(s.VisitCreateSerializer, request.data)
        results = list(visible_results(request.user).filter(pk__in=d["results"]))
        unknown = sorted(set(d["results"]) - {r.pk for r in results})
        if unknown:
            raise ValidationError({"results": [_("体检结果 id %(ids)s 不存在或不在您的管辖范围内")
                                               % {"ids": "、".join(map(str, unknown[:10]))}]})  # fmt: skip
        assignee = None
        if d.get("assignee"):
            assignee = _staff(request.user).filter(pk=d["assignee"]).first()
            if assignee is None:
                raise ValidationError({"assignee": [_("走访人应为本级或下级工商联的工作人员")]})
        created = actions.create_visits(actor=request.user, results=results, due_on=d["due_on"], assignee=assignee)
        return Response(s.VisitSerializer(created, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.VisitRecordSerializer, responses={200: s.VisitSerializer, 409: REFUSED},
                   summary=gettext_lazy("记录走访"))  # fmt: skip
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        task = get_visit(request.user, pk)
        d = validated(s.VisitRecordSerializer, request.data)
        task = actions.record_visit(task, actor=request.user, **d)
        return Response(s.VisitSerializer(task).data)

    @extend_schema(request=s.VisitAppealSerializer, responses={200: s.VisitSerializer, 409: REFUSED},
                   summary=gettext_lazy("走访问题转诉求"))  # fmt: skip
    @action(detail=True, methods=["post"])
    def appeal(self, request, pk=None):
        from .views_visits import _departments

        task = get_visit(request.user, pk)
        d = validated(s.VisitAppealSerializer, request.data)
        department = _departments(request.user).filter(pk=d["department"]).first()
        if department is None:
            raise ValidationError({"department": [_("责任部门 id %(id)s 不存在或不在您的管辖范围内")
                                                  % {"id": d["department"]}]})  # fmt: skip
        actions.visit_to_appeal(task, actor=request.user, department=department, problem=d["problem"])
        task.refresh_from_db()
        return Response(s.VisitSerializer(task).data)


class FiguresView(APIView):
    permission_classes = [RolePermission]
    required_permission = FIGURES

    @extend_schema(
        parameters=[
            OpenApiParameter("start", str, description=gettext_lazy("起始日期 YYYY-MM-DD")),
            OpenApiParameter("end", str, description=gettext_lazy("截止日期 YYYY-MM-DD")),
        ],
        responses={200: dict},
        summary=gettext_lazy("企业健康体检统计"),
    )
    def get(self, request):
        from qinqing.core import figures as registry

        from .views_figures import _period, _scope, values

        period, scope = _period(request), _scope(request)
        found = values(scope, period)
        out = {f.key: {"label": str(f.label), "unit": str(f.unit), "value": found[f.key]}
               for f in registry.all_figures(domain="health")}  # fmt: skip
        return Response({"start": period.start, "end": period.end, "figures": out})
