"""Reports API: figures (values and drill-down records), dashboard, rankings, published lists, 参政议政
outputs and annual summaries. Same permissions, scope and actions as the pages."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from qinqing.core.api import Pagination, RolePermission
from qinqing.core.api_base import RefusalSerializer
from qinqing.core.figures import Figure, Rate, get_visible, visible_figures

from . import actions, drilldown, rankings, summary
from .models import AdvisoryOutput, AnnualSummary, FicRating, RankingList
from .periods import from_params
from .permissions import MANAGE, VIEW, get_node, scoped

SCOPE_PARAMS = [
    OpenApiParameter("org", str, description=gettext_lazy("工商联组织编码（默认本级）")),
    OpenApiParameter("period", str, description=gettext_lazy("month、quarter、year 或 custom")),
    OpenApiParameter("from", OpenApiTypes.DATE, description=gettext_lazy("自定义期间起")),
    OpenApiParameter("to", OpenApiTypes.DATE, description=gettext_lazy("自定义期间止")),
]


REFUSED = OpenApiResponse(
    RefusalSerializer, description=gettext_lazy("业务规则不允许（如已定稿、正文超长），未作任何修改")
)


def _scope(request):
    node = get_node(request.user, request.query_params.get("org"))
    period, _preset, errors = from_params(request.query_params)
    if errors:
        raise ValidationError({"period": errors})
    return node, period


class FigureValueSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField()
    section = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    numerator = serializers.FloatField(required=False, allow_null=True)
    denominator = serializers.FloatField(required=False, allow_null=True)
    drilldown = serializers.CharField()


class FiguresView(APIView):
    permission_classes = [RolePermission]
    required_permission = VIEW

    @extend_schema(parameters=SCOPE_PARAMS, responses=FigureValueSerializer(many=True),
                   summary=gettext_lazy("全部统计指标"))  # fmt: skip
    def get(self, request):
        node, period = _scope(request)
        figures = visible_figures(request.user)
        values = drilldown.values(figures, node.path, period)
        return Response([_figure_row(f, values[f.key], node, period) for f in figures])


def _figure_row(f, v, node, period) -> dict:
    row = {
        "key": f.key,
        "label": str(f.label),
        "unit": str(f.unit),
        "section": f.section,
        "value": drilldown.plain(v["value"]),
        "drilldown": drilldown.url(f.key, node.code, period),
    }
    if isinstance(f, Rate):
        row.update(numerator=drilldown.plain(v["numerator"]), denominator=drilldown.plain(v["denominator"]))
    return row


class FigureRecordsView(APIView):
    """One figure's value and its drill-down records (paged), the rows its CSV export holds."""

    permission_classes = [RolePermission]
    required_permission = VIEW

    @extend_schema(parameters=SCOPE_PARAMS, responses=OpenApiTypes.OBJECT, summary=gettext_lazy("指标明细"))
    def get(self, request, key: str):
        try:
            figure = get_visible(key, request.user)
        except KeyError:
            raise Http404 from None
        node, period = _scope(request)
        base = _figure_row(figure, drilldown.value_of(figure, node.path, period), node, period)
        if not isinstance(figure, Figure):
            return Response(base)
        paginator = Pagination()
        page = paginator.paginate_queryset(drilldown.raw_rows(figure, node.path, period), request, view=self)
        headers = drilldown.headers(figure)
        rows = [dict(zip(headers, r, strict=True)) for r in drilldown.format_rows(figure, page)]
        return paginator.get_paginated_response({**base, "columns": headers, "records": rows})


class DashboardView(APIView):
    permission_classes = [RolePermission]
    required_permission = VIEW

    @extend_schema(parameters=SCOPE_PARAMS, responses=OpenApiTypes.OBJECT, summary=gettext_lazy("数据看板"))
    def get(self, request):
        from . import dashboard

        node, period = _scope(request)
        data = dashboard.build(node, period, user=request.user)
        return Response(
            {
                "org": node.code,
                "from": period.start,
                "to": period.end,
                "children": [{"code": c.code, "name": c.name} for c in data["children"]],
                "sections": [
                    {"key": s.key, "label": s.label,
                     "figures": [{k: drilldown.plain(v) if not isinstance(v, list) else [drilldown.plain(x) for x in v]
                                  for k, v in f.items()} for f in s.figures]}
                    for s in data["sections"]
                ],
            }
        )  # fmt: skip


class RankingView(APIView):
    permission_classes = [RolePermission]
    required_permission = VIEW

    @extend_schema(
        parameters=[
            OpenApiParameter("metric", str, required=True, description="revenue|tax|rnd|employees"),
            OpenApiParameter("year", int, required=True),
            OpenApiParameter("top", int, required=True),
            OpenApiParameter("org", str),
        ],
        responses=OpenApiTypes.OBJECT,
        summary=gettext_lazy("N强榜单（实时计算）"),
    )
    def get(self, request):
        node = get_node(request.user, request.query_params.get("org"))
        try:
            r = rankings.compute(
                request.query_params.get("metric", ""),
                int(request.query_params.get("year", "")),
                int(request.query_params.get("top", "")),
                node.path,
            )
        except ValueError as exc:
            raise ValidationError({"detail": str(exc) if isinstance(exc, rankings.RankingError) else
                                   gettext_lazy("年度和名次数应为整数")}) from None  # fmt: skip
        return Response(
            {
                "title": r.title,
                "rule": r.rule(),
                "note": r.note(),
                "value_header": r.value_header,
                "entries": [{**e, "value": rankings.format_value(e["value"])} for e in r.entries],
            }
        )


class RankingListSerializer(serializers.ModelSerializer):
    class Meta:
        model = RankingList
        fields = ["id", "title", "metric", "year", "top", "rule", "note", "value_header", "data_date", "entries",
                  "created_at"]  # fmt: skip
        read_only_fields = fields


class PublishSerializer(serializers.Serializer):
    org = serializers.CharField(required=False, allow_blank=True)
    metric = serializers.ChoiceField(choices=sorted(rankings.METRICS))
    year = serializers.IntegerField(min_value=1990, max_value=2999)
    top = serializers.IntegerField(min_value=1, max_value=10000)


class RankingListViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [RolePermission]
    required_permissions = {"list": VIEW, "retrieve": VIEW, "create": MANAGE}
    serializer_class = RankingListSerializer
    pagination_class = Pagination

    def get_queryset(self):
        return scoped(self.request.user, RankingList)

    @extend_schema(request=PublishSerializer, responses={201: RankingListSerializer, 409: REFUSED},
                   summary=gettext_lazy("发布并固定榜单"))  # fmt: skip
    def create(self, request):
        s = PublishSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        node = get_node(request.user, s.validated_data.get("org"))
        obj = actions.publish_ranking(node, actor=request.user, metric=s.validated_data["metric"],
                                      year=s.validated_data["year"], top=s.validated_data["top"])  # fmt: skip
        return Response(RankingListSerializer(obj).data, status=201)


class OutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = AdvisoryOutput
        fields = ["id", "kind", "proposal_type", "session", "number", "title", "authors", "units", "body",
                  "submitted_on", "submitted_to", "filed", "key_supervised", "adoption_levels", "adopted_on",
                  "instruction_level", "instruction_note", "award", "created_at"]  # fmt: skip
        read_only_fields = ["id", "created_at"]


@extend_schema_view(
    create=extend_schema(responses={201: OutputSerializer, 409: REFUSED}),
    update=extend_schema(responses={200: OutputSerializer, 409: REFUSED}),
    partial_update=extend_schema(responses={200: OutputSerializer, 409: REFUSED}),
)
class OutputViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    permission_classes = [RolePermission]
    required_permissions = {"list": VIEW, "retrieve": VIEW, "create": MANAGE, "update": MANAGE,
                            "partial_update": MANAGE}  # fmt: skip
    serializer_class = OutputSerializer
    pagination_class = Pagination

    def get_queryset(self):
        return scoped(self.request.user, AdvisoryOutput)

    def perform_create(self, serializer):
        node = get_node(self.request.user, None)
        serializer.instance = actions.record_output(node, actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = actions.update_output(
            serializer.instance, actor=self.request.user, **serializer.validated_data
        )


class SummaryTextSerializer(serializers.Serializer):
    texts = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)
    finalise = serializers.BooleanField(required=False, default=False)


class SummaryView(APIView):
    """GET: the summary as JSON (every figure with its drill-down); POST: save text and/or finalise."""

    permission_classes = [RolePermission]
    required_permissions = {"get": VIEW, "post": MANAGE}

    def _load(self, request, code, year):
        node = get_node(request.user, code)
        return node, AnnualSummary.objects.filter(org=node, year=year).first()

    @extend_schema(responses=OpenApiTypes.OBJECT, summary=gettext_lazy("年度工作总结"))
    def get(self, request, code: str, year: int):
        node, saved = self._load(request, code, year)
        return Response(summary.as_json(node, year, saved))

    @extend_schema(request=SummaryTextSerializer, responses={200: OpenApiTypes.OBJECT, 409: REFUSED},
                   summary=gettext_lazy("保存或定稿"))  # fmt: skip
    def post(self, request, code: str, year: int):
        node, saved = self._load(request, code, year)
        s = SummaryTextSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        if s.validated_data.get("texts") or saved is None:
            saved = actions.save_summary(node, year, actor=request.user, texts=s.validated_data.get("texts") or {})
        if s.validated_data.get("finalise"):
            saved = actions.finalise_summary(saved, actor=request.user)
        return Response(summary.as_json(node, year, saved))


class FicRatingSerializer(serializers.ModelSerializer):
    org = serializers.CharField(source="org.code", label=gettext_lazy("工商联编码"))
    org_name = serializers.CharField(source="org.name", read_only=True)

    class Meta:
        model = FicRating
        fields = ["id", "org", "org_name", "level", "year", "benchmark", "created_at"]
        read_only_fields = ["id", "org_name", "created_at"]


@extend_schema_view(
    create=extend_schema(responses={201: FicRatingSerializer, 409: REFUSED}),
    destroy=extend_schema(responses={204: None, 409: REFUSED}),
)
class FicRatingViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    """五好县级工商联 ratings of the reader's subtree; city and province FIC staff record and remove them."""

    permission_classes = [RolePermission]
    required_permissions = {"list": VIEW, "retrieve": VIEW, "create": MANAGE, "destroy": MANAGE}
    serializer_class = FicRatingSerializer
    pagination_class = Pagination

    def get_queryset(self):
        return scoped(self.request.user, FicRating).select_related("org")

    def perform_create(self, serializer):
        data = serializer.validated_data
        code = data["org"]["code"]
        try:
            org = get_node(self.request.user, code)
        except Http404:
            raise ValidationError(
                {"org": [gettext_lazy("工商联编码：未找到该工商联（或不在您的管辖范围内）")]}
            ) from None
        serializer.instance = actions.record_fic_rating(
            org, actor=self.request.user, level=data["level"], year=data["year"], benchmark=data.get("benchmark", False)
        )

    def perform_destroy(self, instance):
        actions.remove_fic_rating(instance, actor=self.request.user)
