"""Financing API: the same actions and scopes as the pages (needs, lists, pushes, the bank's outcomes and
feedback file, 对接会, products, fix tasks, reasons, figures)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from qinqing.core import figures as registry
from qinqing.core.api import RolePermission
from qinqing.core.api_base import REFUSED, DomainViewSet, one_in_scope, validated
from qinqing.orgs.models import Organization
from qinqing.registry.permissions import visible_enterprises

from . import actions, importing, products
from . import figures as fin_figures
from . import serializers as s
from .models import RefusalReason
from .permissions import (
    FIGURES,
    HANDLE,
    MANAGE,
    PRODUCTS,
    RECOMMEND,
    STATE,
    VIEW,
    VIEW_PRODUCTS,
    get_event,
    get_fix_task,
    get_need,
    get_product,
    get_referral,
    own_products,
    visible_batches,
    visible_events,
    visible_fix_tasks,
    visible_needs,
    visible_products,
    visible_referrals,
)


def _banks():
    return Organization.objects.filter(kind="bank", is_active=True)


class NeedViewSet(DomainViewSet):
    required_permission = VIEW
    required_permissions = {"screen": MANAGE, "recommend": MANAGE, "push": MANAGE, "withdraw": STATE,
                            "import_file": MANAGE}  # fmt: skip
    serializer_class = s.NeedSerializer

    def get_queryset(self):
        return visible_needs(self.request.user).select_related("enterprise").prefetch_related("preferred_banks")

    def list(self, request):
        return self._page(self.get_queryset().order_by("-stated_on", "-pk"), s.NeedSerializer)

    def retrieve(self, request, pk=None):
        return Response(s.NeedSerializer(get_need(request.user, pk)).data)

    @extend_schema(request=s.NeedInputSerializer, responses={201: s.NeedSerializer, 409: REFUSED},
                   summary=gettext_lazy("提出融资需求"))  # fmt: skip
    def create(self, request):
        user = request.user
        if not (user.has_perm(STATE) or user.has_perm(MANAGE)):
            raise PermissionDenied()
        d = dict(validated(s.NeedInputSerializer, request.data))
        if user.has_perm(MANAGE):
            if not d.get("enterprise"):
                raise ValidationError({"enterprise": [_("请指定企业")]})
            enterprise = one_in_scope(visible_enterprises(user), d.pop("enterprise"), "enterprise", _("企业"))
        else:
            from qinqing.registry.models import Enterprise

            d.pop("enterprise", None)
            enterprise = Enterprise.objects.filter(pk=user.enterprise_id).first()
            if enterprise is None:
                raise PermissionDenied()
        d["preferred_banks"] = list(_banks().filter(pk__in=d["preferred_banks"]))
        need = actions.state_need(actor=user, enterprise=enterprise, data=d)
        return Response(s.NeedSerializer(need).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ScreenInputSerializer, responses={200: s.NeedSerializer, 409: REFUSED},
                   summary=gettext_lazy("白名单筛查"))  # fmt: skip
    @action(detail=True, methods=["post"])
    def screen(self, request, pk=None):
        need = get_need(request.user, pk)
        d = validated(s.ScreenInputSerializer, request.data)
        need = actions.screen_need(need, actor=request.user, attested=d["attested"], note=d["note"])
        return Response(s.NeedSerializer(need).data)

    @extend_schema(request=None, responses={200: s.NeedSerializer, 409: REFUSED}, summary=gettext_lazy("撤回需求"))
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        need = actions.withdraw_need(get_need(request.user, pk), actor=request.user)
        return Response(s.NeedSerializer(need).data)

    @extend_schema(request=s.IdsSerializer, responses={200: s.ImportResultSerializer, 409: REFUSED},
                   summary=gettext_lazy("列入推荐清单"))  # fmt: skip
    @action(detail=False, methods=["post"])
    def recommend(self, request):
        d = validated(s.IdsSerializer, request.data)
        needs = list(visible_needs(request.user).filter(pk__in=d["needs"]))
        if len(needs) != len(set(d["needs"])):
            raise ValidationError({"needs": [_("部分需求不存在或不在您的管辖范围内")]})
        n = actions.recommend_needs(needs, actor=request.user)
        return Response({"rows": n, "done": n, "errors": []})

    @extend_schema(request=s.PushInputSerializer, responses={201: s.BatchSerializer, 409: REFUSED},
                   summary=gettext_lazy("批量推送至银行"))  # fmt: skip
    @action(detail=False, methods=["post"])
    def push(self, request):
        d = validated(s.PushInputSerializer, request.data)
        needs = list(visible_needs(request.user).filter(pk__in=d["needs"]))
        if len(needs) != len(set(d["needs"])):
            raise ValidationError({"needs": [_("部分需求不存在或不在您的管辖范围内")]})
        bank = one_in_scope(_banks(), d["bank"], "bank", _("金融机构"))
        batch = actions.push_batch(actor=request.user, bank=bank, needs=needs, note=d["note"])
        return Response(s.BatchSerializer(batch).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: s.ProductFitSerializer(many=True)}, summary=gettext_lazy("适合的信贷产品及原因"))
    @action(detail=True, methods=["get"], pagination_class=None)
    def products(self, request, pk=None):
        need = get_need(request.user, pk)
        fits = products.fits_for_need(need)
        return Response([
            {"product": s.ProductSerializer(f.product).data, "verdict": f.verdict, "verdict_label": f.verdict_label,
             "met": [leaf.text for leaf in f.explanation.leaves if leaf.status == "met"],
             "missing": [leaf.text for leaf in f.explanation.near_miss] + f.terms}
            for f in fits
        ])  # fmt: skip

    @extend_schema(request={"multipart/form-data": s.FileSerializer}, responses={200: s.ImportResultSerializer},
                   summary=gettext_lazy("Excel 导入融资需求"))  # fmt: skip
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def import_file(self, request):
        d = validated(s.FileSerializer, request.data)
        try:
            result = importing.import_needs(d["file"], actor=request.user)
        except importing.UnreadableFile as exc:
            raise ValidationError({"file": [str(exc)]}) from None
        code = status.HTTP_200_OK if result.ok else status.HTTP_400_BAD_REQUEST
        return Response({"rows": result.rows, "done": result.done, "errors": result.errors}, status=code)


class ReferralViewSet(DomainViewSet):
    required_permission = VIEW
    required_permissions = {"stage": HANDLE, "complete": HANDLE, "rerecommend": MANAGE, "feedback": HANDLE}
    serializer_class = s.ReferralSerializer

    def get_queryset(self):
        return visible_referrals(self.request.user).select_related("need", "need__enterprise", "bank",
                                                                    "refusal_reason")  # fmt: skip

    def list(self, request):
        qs = self.get_queryset().prefetch_related("need__preferred_banks").order_by("-pushed_on", "-pk")
        stage = request.query_params.get("stage")
        if stage:
            qs = qs.filter(stage=stage)
        return self._page(qs, s.ReferralSerializer)

    def retrieve(self, request, pk=None):
        return Response(s.ReferralSerializer(get_referral(request.user, pk)).data)

    @extend_schema(request=s.StageInputSerializer, responses={200: s.ReferralSerializer, 409: REFUSED},
                   summary=gettext_lazy("登记办理进展"))  # fmt: skip
    @action(detail=True, methods=["post"])
    def stage(self, request, pk=None):
        referral = get_referral(request.user, pk)
        d = dict(validated(s.StageInputSerializer, request.data))
        d["reason"] = d["reason"] or None
        actions.record_stage(referral, actor=request.user, data=d)
        return Response(s.ReferralSerializer(get_referral(request.user, pk)).data)

    @extend_schema(request=None, responses={200: s.ReferralSerializer, 409: REFUSED},
                   summary=gettext_lazy("确认材料齐全"))  # fmt: skip
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        actions.mark_complete(get_referral(request.user, pk), actor=request.user)
        return Response(s.ReferralSerializer(get_referral(request.user, pk)).data)

    @extend_schema(request=s.BankInputSerializer, responses={201: s.ReferralSerializer, 409: REFUSED},
                   summary=gettext_lazy("再次推荐"))  # fmt: skip
    @action(detail=True, methods=["post"])
    def rerecommend(self, request, pk=None):
        referral = get_referral(request.user, pk)
        d = validated(s.BankInputSerializer, request.data)
        bank = one_in_scope(_banks(), d["bank"], "bank", _("金融机构"))
        fresh = actions.rerecommend(referral, actor=request.user, bank=bank, note=d["note"])
        return Response(s.ReferralSerializer(fresh).data, status=status.HTTP_201_CREATED)

    @extend_schema(request={"multipart/form-data": s.FileSerializer}, responses={200: s.ImportResultSerializer},
                   summary=gettext_lazy("导入银行反馈表"))  # fmt: skip
    @action(detail=False, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def feedback(self, request):
        d = validated(s.FileSerializer, request.data)
        try:
            result = importing.import_feedback(d["file"], actor=request.user)
        except importing.UnreadableFile as exc:
            raise ValidationError({"file": [str(exc)]}) from None
        code = status.HTTP_200_OK if result.ok else status.HTTP_400_BAD_REQUEST
        return Response({"rows": result.rows, "done": result.done, "errors": result.errors}, status=code)


class BatchViewSet(DomainViewSet):
    required_permission = VIEW
    required_permissions = {"chamber": RECOMMEND}
    serializer_class = s.BatchSerializer

    def get_queryset(self):
        return visible_batches(self.request.user)

    def list(self, request):
        return self._page(self.get_queryset().order_by("-pushed_on", "-pk"), s.BatchSerializer)

    def retrieve(self, request, pk=None):
        batch = self.get_queryset().filter(pk=pk).first()
        if batch is None:
            raise NotFound(_("对象不存在或不在您的管辖范围内"))
        return Response(s.BatchSerializer(batch).data)

    @extend_schema(request=s.ChamberInputSerializer, responses={201: s.BatchSerializer, 409: REFUSED},
                   summary=gettext_lazy("整会授信批量推荐"))  # fmt: skip
    @action(detail=False, methods=["post"])
    def chamber(self, request):
        from qinqing.registry.models import Enterprise

        d = validated(s.ChamberInputSerializer, request.data)
        bank = one_in_scope(_banks(), d["bank"], "bank", _("金融机构"))
        entries = []
        for entry in d["entries"]:
            entry = dict(entry)
            entry["enterprise"] = one_in_scope(Enterprise.objects.all(), entry.get("enterprise"), "entries", _("企业"))
            entries.append(entry)
        batch = actions.chamber_recommend(actor=request.user, bank=bank, entries=entries, note=d["note"],
                                          credit_line=d.get("credit_line"))  # fmt: skip
        return Response(s.BatchSerializer(batch).data, status=status.HTTP_201_CREATED)


class EventViewSet(DomainViewSet):
    required_permission = VIEW
    required_permissions = {"create": MANAGE, "update": MANAGE, "intention": MANAGE}
    serializer_class = s.EventSerializer

    def get_queryset(self):
        return visible_events(self.request.user).prefetch_related("banks")

    def list(self, request):
        return self._page(self.get_queryset().order_by("-date", "-pk"), s.EventSerializer)

    def retrieve(self, request, pk=None):
        return Response(s.EventSerializer(get_event(request.user, pk)).data)

    def _data(self, request) -> dict:
        d = dict(validated(s.EventInputSerializer, request.data))
        d["banks"] = list(_banks().filter(pk__in=d["banks"]))
        enterprises = visible_enterprises(request.user)
        d["invited"] = list(enterprises.filter(pk__in=d["invited"]))
        d["attending"] = list(enterprises.filter(pk__in=d["attending"]))
        return d

    @extend_schema(request=s.EventInputSerializer, responses={201: s.EventSerializer, 409: REFUSED},
                   summary=gettext_lazy("筹备对接会"))  # fmt: skip
    def create(self, request):
        event = actions.save_event(actor=request.user, data=self._data(request))
        return Response(s.EventSerializer(event).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.EventInputSerializer, responses={200: s.EventSerializer, 409: REFUSED},
                   summary=gettext_lazy("修改对接会"))  # fmt: skip
    def update(self, request, pk=None):
        event = get_event(request.user, pk)
        event = actions.save_event(actor=request.user, data=self._data(request), event=event)
        return Response(s.EventSerializer(event).data)

    @extend_schema(request=s.IntentionInputSerializer, responses={201: s.ReferralSerializer, 409: REFUSED},
                   summary=gettext_lazy("登记现场签约意向"))  # fmt: skip
    @action(detail=True, methods=["post"])
    def intention(self, request, pk=None):
        event = get_event(request.user, pk)
        d = validated(s.IntentionInputSerializer, request.data)
        need = one_in_scope(visible_needs(request.user), d["need"], "need", _("融资需求"))
        bank = one_in_scope(_banks(), d["bank"], "bank", _("金融机构"))
        step = actions.sign_intention(event, actor=request.user, need=need, bank=bank, amount=d["amount"],
                                      note=d["note"])  # fmt: skip
        return Response(s.ReferralSerializer(step.referral).data, status=status.HTTP_201_CREATED)


class ProductViewSet(DomainViewSet):
    required_permission = VIEW_PRODUCTS
    required_permissions = {"create": PRODUCTS, "update": PRODUCTS}
    serializer_class = s.ProductSerializer

    def get_queryset(self):
        return visible_products(self.request.user).select_related("bank")

    def list(self, request):
        return self._page(self.get_queryset().order_by("bank_id", "name", "pk"), s.ProductSerializer)

    def retrieve(self, request, pk=None):
        return Response(s.ProductSerializer(get_product(request.user, pk)).data)

    @extend_schema(request=s.ProductInputSerializer, responses={201: s.ProductSerializer, 409: REFUSED},
                   summary=gettext_lazy("新增信贷产品"))  # fmt: skip
    def create(self, request):
        product = actions.save_product(actor=request.user, data=validated(s.ProductInputSerializer, request.data))
        return Response(s.ProductSerializer(product).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ProductInputSerializer, responses={200: s.ProductSerializer, 409: REFUSED},
                   summary=gettext_lazy("修改信贷产品"))  # fmt: skip
    def update(self, request, pk=None):
        product = own_products(request.user).filter(pk=pk).first() if str(pk).isdigit() else None
        if product is None:
            raise NotFound(_("对象不存在或不在您的管辖范围内"))
        product = actions.save_product(actor=request.user, data=validated(s.ProductInputSerializer, request.data),
                                       product=product)  # fmt: skip
        return Response(s.ProductSerializer(product).data)


class FixTaskViewSet(DomainViewSet):
    required_permission = MANAGE
    serializer_class = s.FixTaskSerializer

    def get_queryset(self):
        return visible_fix_tasks(self.request.user)

    def list(self, request):
        return self._page(self.get_queryset().order_by("-pk"), s.FixTaskSerializer)

    def retrieve(self, request, pk=None):
        return Response(s.FixTaskSerializer(get_fix_task(request.user, pk)).data)

    @extend_schema(request=s.FixInputSerializer, responses={200: s.FixTaskSerializer, 409: REFUSED},
                   summary=gettext_lazy("修改整改任务"))  # fmt: skip
    def update(self, request, pk=None):
        task = get_fix_task(request.user, pk)
        d = validated(s.FixInputSerializer, request.data)
        department = None
        if d.get("department"):
            departments = Organization.objects.filter(kind="department", path__startswith=task.need.fic.path)
            department = one_in_scope(departments, d["department"], "department", _("责任部门"))
        task = actions.update_fix_task(task, actor=request.user, problem=d["problem"], department=department,
                                       measure=d["measure"])  # fmt: skip
        return Response(s.FixTaskSerializer(task).data)

    @extend_schema(request=None, responses={200: s.FixTaskSerializer, 409: REFUSED},
                   summary=gettext_lazy("转为诉求"))  # fmt: skip
    @action(detail=True, methods=["post"])
    def appeal(self, request, pk=None):
        task = get_fix_task(request.user, pk)
        actions.fix_task_to_appeal(task, actor=request.user)
        return Response(s.FixTaskSerializer(get_fix_task(request.user, pk)).data)

    @extend_schema(request=s.FixDoneSerializer, responses={200: s.FixTaskSerializer, 409: REFUSED},
                   summary=gettext_lazy("整改完成"))  # fmt: skip
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        task = get_fix_task(request.user, pk)
        d = validated(s.FixDoneSerializer, request.data)
        task = actions.complete_fix_task(task, actor=request.user, result=d["result"])
        return Response(s.FixTaskSerializer(task).data)


class ReasonViewSet(DomainViewSet):
    required_permission = VIEW
    serializer_class = s.ReasonSerializer
    pagination_class = None
    http_method_names = ["get", "head", "options"]

    def get_queryset(self):
        return RefusalReason.objects.filter(is_active=True)

    def list(self, request):
        return Response(s.ReasonSerializer(self.get_queryset(), many=True).data)


class FiguresView(APIView):
    permission_classes = [RolePermission]
    required_permission = FIGURES

    @extend_schema(
        parameters=[
            OpenApiParameter("start", str, description=gettext_lazy("起始日期 YYYY-MM-DD")),
            OpenApiParameter("end", str, description=gettext_lazy("截止日期 YYYY-MM-DD")),
            OpenApiParameter("bank", int, description=gettext_lazy("金融机构 id")),
            OpenApiParameter("region", str, description=gettext_lazy("区划代码前缀")),
            OpenApiParameter("industry", str, description=gettext_lazy("行业代码前缀")),
            OpenApiParameter("size", str, description=gettext_lazy("企业规模")),
        ],
        responses={200: dict},
        summary=gettext_lazy("银企对接统计"),
    )
    def get(self, request):
        from .views_figures import _params, _scope

        period, dims = _params(request)
        scope = _scope(request)
        out = {}
        values = fin_figures.values_batch(scope, period, dims)
        for figure in registry.all_figures(domain="financing"):
            value = values[figure.key]
            out[figure.key] = {"label": str(figure.label), "unit": str(figure.unit), "value": value}
        return Response({"start": period.start, "end": period.end, "dims": dims, "figures": out})
