"""Surveys API: the same actions and scopes as the pages (build, open, close, remind, answer, import, results,
cross-tabs, scores, progress). Anonymous surveys' responses never appear one by one."""

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from qinqing.core import audit
from qinqing.core.api import Pagination, RolePermission
from qinqing.core.api_base import REFUSED, validated
from qinqing.core.permissions import AUTHENTICATED

from . import actions, exports, importing, results
from . import serializers as s
from .choices import DIMENSIONS, Audience, Status
from .models import Survey
from .permissions import (
    ANSWER,
    MANAGE,
    VIEW,
    answerable,
    get_managed,
    get_public,
    get_response,
    get_survey,
    visible_responses,
    visible_surveys,
)


class SurveyViewSet(viewsets.GenericViewSet):
    permission_classes = [RolePermission]
    pagination_class = Pagination
    http_method_names = ["get", "post", "put", "head", "options"]
    serializer_class = s.SurveySerializer
    required_permission = VIEW
    required_permissions = {"list": VIEW, "retrieve": VIEW, "create": MANAGE, "update": MANAGE, "structure": MANAGE,
                            "open": MANAGE, "close": MANAGE, "remind": MANAGE, "import_file": MANAGE,
                            "answer": ANSWER, "mine": ANSWER}  # fmt: skip

    def get_queryset(self):
        return visible_surveys(self.request.user).select_related("fic").order_by("-created_at", "-id")

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.SurveySerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(s.SurveySerializer(get_survey(request.user, pk)).data)

    @extend_schema(
        request=s.SurveyInputSerializer, responses={201: s.SurveySerializer}, summary=gettext_lazy("新建问卷")
    )
    def create(self, request):
        d = dict(validated(s.SurveyInputSerializer, request.data))
        template = d.pop("template")
        survey = actions.create_survey(actor=request.user, data=d, template=template)
        return Response(s.SurveySerializer(survey).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.SurveyInputSerializer, responses={200: s.SurveySerializer, 409: REFUSED},
                   summary=gettext_lazy("修改问卷设置"))  # fmt: skip
    def update(self, request, pk=None):
        survey = get_managed(request.user, pk)
        d = dict(validated(s.SurveyInputSerializer, request.data))
        d.pop("template")
        return Response(s.SurveySerializer(actions.update_survey(survey, actor=request.user, data=d)).data)

    @extend_schema(request=s.StructureInputSerializer, responses={200: s.SurveySerializer, 409: REFUSED},
                   summary=gettext_lazy("保存问卷结构（有答卷后修改将生成新版本）"))  # fmt: skip
    @action(detail=True, methods=["post"])
    def structure(self, request, pk=None):
        survey = get_managed(request.user, pk)
        d = validated(s.StructureInputSerializer, request.data)
        return Response(
            s.SurveySerializer(actions.save_structure(survey, actor=request.user, data=d["structure"])).data
        )

    @extend_schema(request=None, responses={200: s.SurveySerializer, 409: REFUSED}, summary=gettext_lazy("发布问卷"))
    @action(detail=True, methods=["post"])
    def open(self, request, pk=None):
        return Response(s.SurveySerializer(actions.open_survey(get_managed(request.user, pk), actor=request.user)).data)

    @extend_schema(request=None, responses={200: s.SurveySerializer, 409: REFUSED}, summary=gettext_lazy("结束问卷"))
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return Response(
            s.SurveySerializer(actions.close_survey(get_managed(request.user, pk), actor=request.user)).data
        )

    @extend_schema(
        request=None, responses={200: s.CountSerializer, 409: REFUSED}, summary=gettext_lazy("提醒未填写企业")
    )
    @action(detail=True, methods=["post"])
    def remind(self, request, pk=None):
        return Response({"count": actions.remind(get_managed(request.user, pk), actor=request.user)})

    def _answerable(self, request, pk, token: str = "") -> Survey:
        user = request.user
        survey = visible_surveys(user).filter(pk=pk).first() if str(pk).isdigit() else None
        if survey is None and token and str(pk).isdigit():
            survey = Survey.objects.filter(pk=pk, link_token=token, audience=Audience.LINK).first()
        if survey is None or not answerable(user, survey):
            raise Http404
        return survey

    @extend_schema(request=s.AnswerInputSerializer, responses={200: s.OwnAnswerSerializer, 409: REFUSED},
                   summary=gettext_lazy("填写或修改答卷"))  # fmt: skip
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        d = validated(s.AnswerInputSerializer, request.data)
        survey = self._answerable(request, pk, d["token"])
        from qinqing.registry.models import Enterprise

        enterprise = Enterprise.objects.get(pk=request.user.enterprise_id)
        response = actions.submit_response(survey, actor=request.user, enterprise=enterprise, raw=d["answers"])
        return Response({"answered": True, "version": response.version, "answers": response.answers})

    @extend_schema(parameters=[OpenApiParameter("token", str, description=gettext_lazy("开放链接令牌"))],
                   responses={200: s.OwnAnswerSerializer}, summary=gettext_lazy("本企业的答卷"))  # fmt: skip
    @action(detail=True, methods=["get"])
    def mine(self, request, pk=None):
        survey = self._answerable(request, pk, request.query_params.get("token", ""))
        own = actions.own_response(survey, request.user.enterprise_id) if not survey.multiple else None
        return Response({"answered": own is not None, "version": own.version if own else None,
                         "answers": own.answers if own else {}})  # fmt: skip

    @extend_schema(responses={200: s.ResultsSerializer}, summary=gettext_lazy("各题结果"))
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        computed = results.compute(get_survey(request.user, pk))
        return Response(s.ResultsSerializer(computed).data)

    @extend_schema(
        parameters=[OpenApiParameter("item", str, required=True, description=gettext_lazy("单选或量表题的编码")),
                    OpenApiParameter("by", str, enum=[*DIMENSIONS], description=gettext_lazy("分组维度"))],
        responses={200: s.CrosstabSerializer}, summary=gettext_lazy("交叉分析"),
    )  # fmt: skip
    @action(detail=True, methods=["get"])
    def crosstab(self, request, pk=None):
        survey = get_survey(request.user, pk)
        dimension = request.query_params.get("by") or "region"
        if dimension not in DIMENSIONS:
            raise ValidationError({"by": [_("分组维度须为：%(list)s") % {"list": ", ".join(DIMENSIONS)}]})
        code = request.query_params.get("item") or ""
        if results.compute(survey).suppressed:
            raise ValidationError({"item": [_("匿名问卷答卷不足 5 份，暂不提供分析")]})
        try:
            table = results.crosstab(survey, code, dimension)
        except KeyError:
            raise ValidationError({"item": [_("“%(code)s”不是本问卷的单选或量表题") % {"code": code[:20]}]}) from None
        table["item"] = table["item"].code
        table["values"] = [{"value": v, "label": str(label)} for v, label in table["values"]]
        return Response(s.CrosstabSerializer(table).data)

    @extend_schema(responses={200: dict}, summary=gettext_lazy("营商环境得分与排名（百分制）"))
    @action(detail=True, methods=["get"])
    def scores(self, request, pk=None):
        return Response(results.score_table(get_survey(request.user, pk)))

    @extend_schema(responses={200: s.ProgressRowSerializer(many=True)}, summary=gettext_lazy("填写进度（按地区）"))
    @action(detail=True, methods=["get"], pagination_class=None)
    def progress(self, request, pk=None):
        from .views import progress

        return Response(s.ProgressRowSerializer(progress(get_survey(request.user, pk)), many=True).data)

    @extend_schema(responses={(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): bytes},
                   summary=gettext_lazy("导出答卷（含编码表）"))  # fmt: skip
    @action(detail=True, methods=["get"])
    def export(self, request, pk=None):
        survey = get_survey(request.user, pk)
        audit.record("surveys.export", obj=survey, actor=request.user, after={"anonymous": survey.anonymous})
        response = HttpResponse(exports.to_xlsx(survey), content_type=exports.XLSX)
        response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}.xlsx"'
        return response

    @extend_schema(
        request={"multipart/form-data": s.SurveyFileSerializer},
        responses={200: s.SurveyImportResultSerializer},
        summary=gettext_lazy("导入线下答卷"),
    )
    @action(detail=True, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def import_file(self, request, pk=None):
        survey = get_managed(request.user, pk)
        d = validated(s.SurveyFileSerializer, request.data)
        result = importing.import_responses(survey, d["file"], actor=request.user)
        code = status.HTTP_200_OK if result.ok else status.HTTP_400_BAD_REQUEST
        return Response({"rows": result.rows, "done": result.done, "errors": result.errors}, status=code)


class ResponseViewSet(viewsets.GenericViewSet):
    """Named responses (never those of an anonymous survey)."""

    permission_classes = [RolePermission]
    pagination_class = Pagination
    http_method_names = ["get", "head", "options"]
    serializer_class = s.ResponseSerializer
    required_permission = AUTHENTICATED  # staff: their subtree's; an enterprise: its own (visible_responses)

    def get_queryset(self):
        return visible_responses(self.request.user).select_related("enterprise").order_by("survey_id", "pk")

    def list(self, request):
        qs = self.get_queryset()
        survey = request.query_params.get("survey")
        if survey and survey.isdigit():
            qs = qs.filter(survey_id=survey)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(s.ResponseSerializer(page, many=True).data)

    @extend_schema(parameters=[OpenApiParameter("id", str, OpenApiParameter.PATH)])
    def retrieve(self, request, pk=None):
        return Response(s.ResponseSerializer(get_response(request.user, pk)).data)


class PublicAnswerView(APIView):
    """An anonymous open-link survey answered without signing in (the page's public link): the structure, and
    an answer kept without enterprise, user or date. The returned ``respondent`` token lets the same client edit
    its answer until the survey closes (only its keyed hash is stored); rate-limited per client address."""

    is_public = True
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(responses={200: s.PublicSurveySerializer}, summary=gettext_lazy("公开链接问卷（无需登录）"))
    def get(self, request, token: str):
        survey = get_public(token)
        return Response({"title": survey.title, "description": survey.description, "structure": survey.structure,
                         "multiple": survey.multiple, "open": survey.status == Status.OPEN})  # fmt: skip

    @extend_schema(request=s.PublicAnswerInputSerializer, responses={200: s.PublicAnswerSerializer, 409: REFUSED},
                   summary=gettext_lazy("通过公开链接填写或修改答卷（无需登录）"))  # fmt: skip
    def post(self, request, token: str):
        import secrets

        from qinqing.accounts.throttles import hit, throttled_message
        from qinqing.core.middleware import client_ip

        survey = get_public(token)
        wait = hit("survey_public", f"ip:{client_ip(request._request)}")
        if wait is not None:
            response = Response({"detail": throttled_message(wait)}, status=status.HTTP_429_TOO_MANY_REQUESTS)
            response["Retry-After"] = str(int(wait) + 1)
            return response
        d = validated(s.PublicAnswerInputSerializer, request.data)
        respondent = d["respondent"] or secrets.token_urlsafe(24)
        answer = actions.submit_public_response(survey, browser=respondent, raw=d["answers"])
        return Response({"answered": True, "respondent": respondent, "answers": answer.answers})
