"""Programs API: the same actions, scopes and filters as the pages (pairings with their projects and yearly funds,
the county ledger, donations with receipts, letters and the reporting list, the listing pipeline)."""

from functools import partial

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from qinqing.accounts.models import User
from qinqing.core.api_base import REFUSED, DomainViewSet, one_in_scope, validated
from qinqing.orgs.models import Organization
from qinqing.registry.permissions import visible_enterprises

from . import actions, filters
from . import serializers as s
from .permissions import (
    FIGURES,
    LISTING,
    MANAGE,
    REPORT,
    VIEW,
    get_candidate,
    get_donation,
    get_pairing,
    get_project,
    visible_candidates,
    visible_donations,
    visible_pairings,
    visible_projects,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"


# Optional references: an empty id is None, an unknown or out-of-scope one a 400 naming the field.
_one = partial(one_in_scope, required=False)


def _officer(user, pk):
    return _one(User.objects.filter(is_active=True).select_related("org"), pk, "officer", _("责任人"))


COUNTY = OpenApiParameter("county", str, description=gettext_lazy("村所在县级区划代码"))
PAIRING_FILTERS = [
    COUNTY,
    OpenApiParameter("party_kind", str, description=gettext_lazy("结对主体类型")),
    OpenApiParameter("project_kind", str, description=gettext_lazy("项目类型")),
    OpenApiParameter("q", str, description=gettext_lazy("村名、企业或商会")),
]


class PairingViewSet(DomainViewSet):
    required_permission = VIEW
    required_permissions = {"create": MANAGE, "update": MANAGE, "ledger": FIGURES}
    serializer_class = s.PairingSerializer

    def get_queryset(self):
        return visible_pairings(self.request.user).select_related("enterprise", "chamber")

    def _data(self, request) -> dict:
        d = validated(s.PairingInputSerializer, request.data)
        user = request.user
        d["enterprise"] = _one(visible_enterprises(user), d.get("enterprise"), "enterprise", _("企业"))
        chambers = Organization.objects.filter(kind="chamber")
        d["chamber"] = _one(chambers, d.get("chamber"), "chamber", _("商会"))
        return d

    @extend_schema(parameters=PAIRING_FILTERS)
    def list(self, request):
        qs = filters.filter_pairings(request.query_params, self.get_queryset()).order_by("-started_on", "-pk")
        return self._page(qs, s.PairingSerializer)

    @extend_schema(responses=s.PairingDetailSerializer)
    def retrieve(self, request, pk=None):
        pairing = get_pairing(request.user, pk)
        return Response(s.PairingDetailSerializer(pairing).data)

    @extend_schema(request=s.PairingInputSerializer, responses={201: s.PairingSerializer, 409: REFUSED},
                   summary=gettext_lazy("登记村企结对"))  # fmt: skip
    def create(self, request):
        pairing = actions.save_pairing(actor=request.user, data=self._data(request))
        return Response(s.PairingSerializer(pairing).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.PairingInputSerializer, responses={200: s.PairingSerializer, 409: REFUSED},
                   summary=gettext_lazy("修改村企结对"))  # fmt: skip
    def update(self, request, pk=None):
        pairing = get_pairing(request.user, pk)
        pairing = actions.save_pairing(actor=request.user, data=self._data(request), pairing=pairing)
        return Response(s.PairingSerializer(pairing).data)

    @extend_schema(request=s.ProjectInputSerializer, responses={201: s.ProjectSerializer, 409: REFUSED},
                   summary=gettext_lazy("登记帮扶项目"))  # fmt: skip
    @action(detail=True, methods=["post"])
    def projects(self, request, pk=None):
        pairing = get_pairing(request.user, pk)
        project = actions.add_project(
            pairing, actor=request.user, data=validated(s.ProjectInputSerializer, request.data)
        )
        return Response(s.ProjectSerializer(project).data, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[COUNTY, OpenApiParameter("year", int, description=gettext_lazy("年度"))],
                   responses={(200, XLSX): OpenApiTypes.BINARY},
                   summary=gettext_lazy("导出县级结对帮扶台账"))  # fmt: skip
    @action(detail=False, methods=["get"], pagination_class=None)
    def ledger(self, request):
        from .views import ledger_response

        return ledger_response(request.user, request.query_params)


class ProjectViewSet(DomainViewSet):
    required_permission = VIEW
    serializer_class = s.ProjectSerializer

    def get_queryset(self):
        return visible_projects(self.request.user)

    def retrieve(self, request, pk=None):
        return Response(s.ProjectSerializer(get_project(request.user, pk)).data)

    @extend_schema(request=s.YearInputSerializer, responses={200: s.ProjectYearSerializer, 409: REFUSED},
                   summary=gettext_lazy("填报项目年度资金与带动就业"))  # fmt: skip
    @action(detail=True, methods=["post"])
    def year(self, request, pk=None):
        project = get_project(request.user, pk)
        row = actions.record_year(project, actor=request.user, data=validated(s.YearInputSerializer, request.data))
        return Response(s.ProjectYearSerializer(row).data)


DONATION_FILTERS = [
    OpenApiParameter("major", bool, description=gettext_lazy("只看 100 万元及以上")),
    OpenApiParameter("unreported", bool, description=gettext_lazy("只看待上报的 100 万元及以上捐赠")),
    OpenApiParameter("form", str, description=gettext_lazy("捐赠形式")),
    OpenApiParameter("year", int, description=gettext_lazy("年度")),
    OpenApiParameter("q", str, description=gettext_lazy("编号、企业或受赠方")),
]


class DonationViewSet(DomainViewSet):
    required_permission = VIEW
    required_permissions = {"letter": MANAGE, "report": MANAGE}
    serializer_class = s.DonationSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return visible_donations(self.request.user).select_related("enterprise")

    @extend_schema(parameters=DONATION_FILTERS)
    def list(self, request):
        qs = filters.filter_donations(request.query_params, self.get_queryset()).order_by("-donated_on", "-pk")
        return self._page(qs, s.DonationSerializer)

    def retrieve(self, request, pk=None):
        return Response(s.DonationSerializer(get_donation(request.user, pk)).data)

    @extend_schema(request={"multipart/form-data": s.DonationInputSerializer},
                   responses={201: s.DonationSerializer, 409: REFUSED}, summary=gettext_lazy("登记捐赠"))  # fmt: skip
    def create(self, request):
        user = request.user
        if not (user.has_perm(MANAGE) or (user.has_perm(REPORT) and user.enterprise_id)):
            raise PermissionDenied()
        d = validated(s.DonationInputSerializer, request.data)
        receipt = d.pop("receipt", None)
        if user.has_perm(MANAGE):
            enterprise = _one(visible_enterprises(user), d.pop("enterprise", None), "enterprise", _("企业"))
        else:
            d.pop("enterprise", None)
            enterprise = visible_enterprises(user).filter(pk=user.enterprise_id).first()
            if enterprise is None:
                from qinqing.registry.models import Enterprise

                enterprise = Enterprise.objects.filter(pk=user.enterprise_id).first()
        donation = actions.register_donation(actor=user, enterprise=enterprise, data=d, receipt=receipt)
        return Response(s.DonationSerializer(donation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request={"multipart/form-data": s.ReceiptInputSerializer}, responses={200: s.DonationSerializer},
                   summary=gettext_lazy("上传捐赠票据"))  # fmt: skip
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def receipt(self, request, pk=None):
        donation = get_donation(request.user, pk)
        d = validated(s.ReceiptInputSerializer, request.data)
        donation = actions.attach_receipt(donation, actor=request.user, receipt=d["receipt"])
        return Response(s.DonationSerializer(donation).data)

    @extend_schema(responses={(200, PDF): OpenApiTypes.BINARY}, summary=gettext_lazy("生成感谢信 PDF"))
    @action(detail=True, methods=["get"], pagination_class=None)
    def letter(self, request, pk=None):
        donation = get_donation(request.user, pk)
        pdf = actions.issue_letter(donation, actor=request.user)
        disposition = f'attachment; filename="letter-{donation.number}.pdf"'
        return HttpResponse(pdf, content_type="application/pdf", headers={"Content-Disposition": disposition})

    @extend_schema(request=None, responses={200: s.DonationSerializer, 409: REFUSED},
                   summary=gettext_lazy("标记重大捐赠已上报"))  # fmt: skip
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        donation = actions.mark_reported(get_donation(request.user, pk), actor=request.user)
        return Response(s.DonationSerializer(donation).data)


CANDIDATE_FILTERS = [
    OpenApiParameter("tier", str, description=gettext_lazy("梯队")),
    OpenApiParameter("stage", str, description=gettext_lazy("阶段")),
    OpenApiParameter("q", str, description=gettext_lazy("企业名称")),
]


class CandidateViewSet(DomainViewSet):
    required_permission = LISTING
    required_permissions = {"create": MANAGE, "stage": MANAGE, "services": MANAGE, "tier": MANAGE}
    serializer_class = s.CandidateSerializer

    def get_queryset(self):
        return visible_candidates(self.request.user).select_related("enterprise")

    @extend_schema(parameters=CANDIDATE_FILTERS)
    def list(self, request):
        qs = filters.filter_candidates(request.query_params, self.get_queryset()).order_by("-entered_on", "-pk")
        return self._page(qs, s.CandidateSerializer)

    @extend_schema(responses=s.CandidateDetailSerializer)
    def retrieve(self, request, pk=None):
        return Response(s.CandidateDetailSerializer(get_candidate(request.user, pk)).data)

    @extend_schema(request=s.CandidateInputSerializer, responses={201: s.CandidateSerializer, 409: REFUSED},
                   summary=gettext_lazy("列入上市后备库"))  # fmt: skip
    def create(self, request):
        d = validated(s.CandidateInputSerializer, request.data)
        enterprise = _one(visible_enterprises(request.user), d.pop("enterprise"), "enterprise", _("企业"))
        d["officer"] = _officer(request.user, d["officer"])
        candidate = actions.add_candidate(actor=request.user, enterprise=enterprise, data=d)
        return Response(s.CandidateSerializer(candidate).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ListingStageInputSerializer, responses={200: s.CandidateDetailSerializer, 409: REFUSED},
                   summary=gettext_lazy("推进到下一阶段"))  # fmt: skip
    @action(detail=True, methods=["post"])
    def stage(self, request, pk=None):
        candidate = get_candidate(request.user, pk)
        d = validated(s.ListingStageInputSerializer, request.data)
        d["officer"] = _officer(request.user, d["officer"])
        actions.advance_stage(candidate, actor=request.user, data=d)
        return Response(s.CandidateDetailSerializer(get_candidate(request.user, pk)).data)

    @extend_schema(request=s.ServiceInputSerializer, responses={201: s.ServiceSerializer, 409: REFUSED},
                   summary=gettext_lazy("记录上市服务"))  # fmt: skip
    @action(detail=True, methods=["post"])
    def services(self, request, pk=None):
        candidate = get_candidate(request.user, pk)
        d = validated(s.ServiceInputSerializer, request.data)
        d["officer"] = _officer(request.user, d.get("officer"))
        service = actions.add_service(candidate, actor=request.user, data=d)
        return Response(s.ServiceSerializer(service).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ReclassifyInputSerializer, responses={200: s.CandidateSerializer, 409: REFUSED},
                   summary=gettext_lazy("调整梯队与入库条件"))  # fmt: skip
    @action(detail=True, methods=["post"])
    def tier(self, request, pk=None):
        candidate = get_candidate(request.user, pk)
        candidate = actions.reclassify(candidate, actor=request.user,
                                       data=validated(s.ReclassifyInputSerializer, request.data))  # fmt: skip
        return Response(s.CandidateSerializer(candidate).data)
