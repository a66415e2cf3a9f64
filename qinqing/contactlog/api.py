"""亲清日志 API: the same actions and narrow scopes as the pages (entries, matters and their appeals, the
reviewer's conclusions, the negative list, figures). Reading an entry is audited as on the pages."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from qinqing.core.api import RolePermission
from qinqing.core.api_base import REFUSED, DomainViewSet, validated

from . import actions
from . import serializers as s
from .filters import filter_entries
from .models import Gift, Matter
from .permissions import (
    FIGURES,
    LOG,
    MANAGE_LIST,
    REVIEW,
    VIEW,
    get_conduct,
    get_entry,
    get_matter,
    visible_conduct,
    visible_entries,
    visible_matters,
)
from .views import record_read

ENTRY_FILTERS = [
    OpenApiParameter("purpose", str, description=gettext_lazy("事由")),
    OpenApiParameter("review", str, description=gettext_lazy("flagged、pending 或 concluded")),
    OpenApiParameter("from", str, description=gettext_lazy("起始日期 YYYY-MM-DD")),
    OpenApiParameter("to", str, description=gettext_lazy("截止日期 YYYY-MM-DD")),
    OpenApiParameter("mine", str, description=gettext_lazy("1：仅本人记录")),
]


class EntryViewSet(DomainViewSet):
    required_permission = VIEW
    required_permissions = {"create": LOG, "update": LOG, "add_matter": LOG, "conclude": REVIEW}
    serializer_class = s.EntrySerializer

    def get_queryset(self):
        return (
            visible_entries(self.request.user)
            .select_related("logged_by", "org")
            .prefetch_related(
                "enterprises",
                Prefetch("gifts", queryset=Gift.objects.order_by("id")),
                Prefetch("matters", queryset=Matter.objects.select_related("enterprise", "appeal").order_by("id")),
            )
        )

    @extend_schema(parameters=ENTRY_FILTERS)
    def list(self, request):
        qs = filter_entries(self.get_queryset(), request.query_params, request.user)
        return self._page(qs, s.EntrySerializer)

    def retrieve(self, request, pk=None):
        entry = get_entry(request.user, pk)
        record_read(request.user, entry)
        return Response(s.EntrySerializer(entry).data)

    @extend_schema(request=s.EntryInputSerializer, responses={201: s.EntrySerializer, 409: REFUSED},
                   summary=gettext_lazy("记录政企接触"))  # fmt: skip
    def create(self, request):
        entry = actions.save_entry(actor=request.user, data=validated(s.EntryInputSerializer, request.data))
        return Response(s.EntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.EntryInputSerializer, responses={200: s.EntrySerializer, 409: REFUSED},
                   summary=gettext_lazy("修改本人记录的亲清日志"))  # fmt: skip
    def update(self, request, pk=None):
        entry = get_entry(request.user, pk)
        data = validated(s.EntryInputSerializer, request.data)
        data.pop("matters", None)
        entry = actions.save_entry(actor=request.user, data=data, entry=entry)
        return Response(s.EntrySerializer(entry).data)

    @extend_schema(request=s.MatterInputSerializer, responses={201: s.MatterSerializer, 409: REFUSED},
                   summary=gettext_lazy("补充反映事项"))  # fmt: skip
    @action(detail=True, methods=["post"], url_path="matters")
    def add_matter(self, request, pk=None):
        entry = get_entry(request.user, pk)
        matter = actions.add_matter(entry, actor=request.user, data=validated(s.MatterInputSerializer, request.data))
        return Response(s.MatterSerializer(matter).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ReviewInputSerializer, responses={200: s.EntrySerializer, 409: REFUSED},
                   summary=gettext_lazy("记录审查结论"))  # fmt: skip
    @action(detail=True, methods=["post"])
    def conclude(self, request, pk=None):
        entry = get_entry(request.user, pk)
        d = validated(s.ReviewInputSerializer, request.data)
        entry = actions.conclude_review(entry, actor=request.user, conclusion=d["conclusion"],
                                        text=d["conclusion_text"])  # fmt: skip
        return Response(s.EntrySerializer(entry).data)


class MatterViewSet(DomainViewSet):
    required_permission = VIEW
    required_permissions = {"appeal": LOG}
    serializer_class = s.MatterSerializer

    def get_queryset(self):
        return visible_matters(self.request.user).select_related("enterprise", "appeal")

    def list(self, request):
        return self._page(self.get_queryset().order_by("-entry__date", "-pk"), s.MatterSerializer)

    def retrieve(self, request, pk=None):
        return Response(s.MatterSerializer(get_matter(request.user, pk)).data)

    @extend_schema(request=None, responses={200: s.MatterSerializer, 409: REFUSED},
                   summary=gettext_lazy("反映事项转为诉求"))  # fmt: skip
    @action(detail=True, methods=["post"])
    def appeal(self, request, pk=None):
        matter = get_matter(request.user, pk)
        actions.matter_to_appeal(matter, actor=request.user)
        return Response(s.MatterSerializer(get_matter(request.user, pk)).data)


class ConductViewSet(DomainViewSet):
    required_permission = VIEW
    required_permissions = {"create": MANAGE_LIST, "update": MANAGE_LIST}
    serializer_class = s.ConductSerializer

    def get_queryset(self):
        return visible_conduct(self.request.user)

    def list(self, request):
        return self._page(self.get_queryset(), s.ConductSerializer)

    def retrieve(self, request, pk=None):
        return Response(s.ConductSerializer(get_conduct(request.user, pk)).data)

    @extend_schema(request=s.ConductInputSerializer, responses={201: s.ConductSerializer, 409: REFUSED},
                   summary=gettext_lazy("新增负面清单条目"))  # fmt: skip
    def create(self, request):
        item = actions.save_conduct_item(actor=request.user, data=validated(s.ConductInputSerializer, request.data))
        return Response(s.ConductSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ConductInputSerializer, responses={200: s.ConductSerializer, 409: REFUSED},
                   summary=gettext_lazy("修改负面清单条目"))  # fmt: skip
    def update(self, request, pk=None):
        item = get_conduct(request.user, pk)
        d = validated(s.ConductInputSerializer, request.data)
        item = actions.save_conduct_item(actor=request.user, data=d, item=item)
        return Response(s.ConductSerializer(item).data)


class FiguresView(APIView):
    permission_classes = [RolePermission]
    required_permission = FIGURES

    @extend_schema(
        parameters=[
            OpenApiParameter("from", str, description=gettext_lazy("起始日期 YYYY-MM-DD")),
            OpenApiParameter("to", str, description=gettext_lazy("截止日期 YYYY-MM-DD")),
        ],
        responses={200: dict},
        summary=gettext_lazy("亲清日志统计"),
    )
    def get(self, request):
        from .views_figures import figure_rows, period_of, scope_of

        scope, period = scope_of(request.user), period_of(request.query_params)
        out = {}
        for row in figure_rows(scope, period):
            f = row["figure"]
            out[f.key] = {"label": str(f.label), "unit": str(f.unit), "value": row["value"]}
        return Response({"from": period.start, "to": period.end, "figures": out})
