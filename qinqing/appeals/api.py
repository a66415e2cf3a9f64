"""Appeals API: list/retrieve/register, one endpoint per step, figures — same rules as the pages."""

from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from qinqing.core.api import Pagination, RolePermission

from . import actions, figures, steps
from . import workflow as wf
from .filters import filter_appeals
from .forms import AppealForm
from .permissions import FIGURES, VIEW, get_appeal, visible_appeals
from .serializers import AppealDetailSerializer, AppealSerializer


class AppealViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [RolePermission]
    required_permission = VIEW
    pagination_class = Pagination

    def get_queryset(self):
        qs, _ = filter_appeals(visible_appeals(self.request.user), self.request.query_params)
        return qs.select_related("enterprise", "appeal_type", "domain", "lead_department")

    def get_serializer_class(self):
        return AppealDetailSerializer if self.action == "retrieve" else AppealSerializer

    def get_object(self):
        return get_appeal(self.request.user, self.kwargs["pk"])

    def create(self, request):
        """Register an appeal (enterprise online, FIC staff by credit code, chamber secretary)."""
        user = request.user
        if not (user.has_perm("appeals.submit_appeal") or user.has_perm("appeals.manage_appeal")):
            raise NotFound()
        form = AppealForm(request.data, role=user.role)
        if not form.is_valid():
            raise ValidationError({"detail": steps.form_errors(form)})
        from .views import _enterprise_for

        enterprise = _enterprise_for(user, form.cleaned_data.get("credit_code", ""), form)
        if enterprise is None:
            raise ValidationError({"detail": steps.form_errors(form)})
        d = form.cleaned_data
        try:
            appeal = actions.register_appeal(
                actor=user,
                enterprise=enterprise,
                appeal_type=d["appeal_type"],
                domain=d["domain"],
                title=d["title"],
                description=d["description"],
                channel=d.get("channel") or "online",
                contact_name=d["contact_name"],
                contact_phone=d["contact_phone"],
            )
        except actions.AppealError as exc:
            raise ValidationError({"detail": str(exc)}) from None
        return Response(AppealSerializer(appeal).data, status=status.HTTP_201_CREATED)


class AppealStepView(APIView):
    """POST /api/v1/appeals/<id>/steps/<op>/ with the step's fields (comment, lead_department, satisfaction…)."""

    permission_classes = [RolePermission]
    required_permission = VIEW

    def post(self, request, pk: int, op: str):
        appeal = get_appeal(request.user, pk)
        if op not in {*wf.TRANSITIONS, "callback", "link"}:
            raise NotFound()
        try:
            form = steps.run_step(request.user, appeal, op, request.data)
        except actions.AppealError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        if form is not None:
            return Response({"detail": steps.form_errors(form)}, status=status.HTTP_400_BAD_REQUEST)
        appeal = get_appeal(request.user, pk)
        return Response(AppealDetailSerializer(appeal, context={"request": request}).data)


class FiguresView(APIView):
    permission_classes = [RolePermission]
    required_permission = FIGURES

    def get(self, request):
        qs, _ = filter_appeals(visible_appeals(request.user), request.query_params)
        dimension = request.query_params.get("by", "department")
        if dimension not in figures.DIMENSIONS:
            raise ValidationError({"by": f"维度须为 {', '.join(figures.DIMENSIONS)} 之一"})
        rows = figures.by_dimension(qs, dimension, base_path=request.user.org.path)
        dept_rows = rows if dimension == "department" else figures.by_dimension(qs, "department")
        return Response({"total": figures.totals_from(rows), "rows": rows, "league": figures.league_from(dept_rows)})
