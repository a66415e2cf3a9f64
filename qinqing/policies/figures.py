"""Policy figures for a user's scope: published policies by status and benefit type, pushes sent and opened,
enterprises reached. One function for the page and the API."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from qinqing.eligibility.matching import ancestor_paths

from . import rollups as push_rollups
from .choices import BenefitType, PublishState, Status
from .models import Policy, status_q
from .permissions import scope_path


def applying_policies(scope: str):
    """Published policies that apply in the scope: its own and its subtree's, and those issued above it. The home
    page's 生效中的政策 is the 有效 part of these (matching.applicable_policies), so the two numbers agree."""
    return Policy.objects.filter(
        Q(org_path__startswith=scope) | Q(org_path__in=ancestor_paths(scope)), state=PublishState.PUBLISHED
    )


def policy_figures(user) -> dict:
    scope = scope_path(user)
    today = timezone.localdate()
    policies = applying_policies(scope)
    by_status = [
        {"status": s.value, "label": str(s.label), "count": policies.filter(status_q(s.value, today)).count()}
        for s in Status
    ]
    counts = dict(policies.values_list("benefit_type").annotate(n=Count("id")).order_by())
    by_benefit = [
        {"benefit_type": b.value, "label": str(b.label), "count": counts.get(b.value, 0)} for b in BenefitType
    ]
    # From the push rollups (rollups.py), kept by every writer of pushes: two small reads instead of counting the
    # subtree's pushes (3.3 M at a province, up to 1.6 s a statement).
    pushes = push_rollups.totals(scope)
    return {
        "scope": scope,
        "by_status": by_status,
        "by_benefit": by_benefit,
        "enterprises_reached": push_rollups.reached(scope),
        "pushes_sent": pushes["sent"],
        "pushes_opened": pushes["opened"],
    }


# Registry declarations (qinqing.core.figures): policies count on their publication day, pushes on their sending day.
def _declare() -> None:
    from django.utils.translation import gettext_lazy as _

    from qinqing.core.figures import Column, Figure, Rate, register

    push_columns = (
        Column(_("政策名称"), "policy__title"),
        Column(_("企业名称"), "enterprise__name"),
        Column(_("统一社会信用代码"), "enterprise__credit_code"),
        Column(_("推送时间"), "created_at"),
        Column(_("查看时间"), "opened_at"),
    )
    register(
        Figure(
            key="policies.published",
            label=_("发布惠企政策"),
            unit=_("条"),
            section="economy",
            model="policies.Policy",
            path_field="org_path",
            date_field="published_on",
            filters={"state": PublishState.PUBLISHED},
            columns=(
                Column(_("政策名称"), "title"),
                Column(_("文号"), "doc_number"),
                Column(_("政策层级"), "level"),
                Column(_("扶持类型"), "benefit_type"),
                Column(_("发布日期"), "published_on"),
            ),
        ),
        Figure(
            key="policies.pushes",
            label=_("政策精准推送"),
            unit=_("次"),
            section="economy",
            model="policies.PolicyPush",
            path_field="org_path",
            date_field="created_at",
            columns=push_columns,
            rollup=("policies_pushes", "sent"),
        ),
        Figure(
            key="policies.pushes_opened",
            label=_("企业已查看的推送"),
            unit=_("次"),
            section="economy",
            model="policies.PolicyPush",
            path_field="org_path",
            date_field="created_at",
            filters={"opened_at__isnull": False},
            columns=push_columns,
            rollup=("policies_pushes", "opened"),
        ),
        Rate("policies.open_rate", _("推送查看率"), "economy", "policies.pushes_opened", "policies.pushes"),
    )


_declare()
