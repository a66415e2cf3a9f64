"""Policy figures for a user's scope: published policies by status and benefit type, pushes sent and opened,
enterprises reached. One function for the page and the API."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from .choices import BenefitType, PublishState, Status
from .models import Policy, PolicyPush, status_q
from .permissions import scope_path


def policy_figures(user) -> dict:
    scope = scope_path(user)
    today = timezone.localdate()
    policies = Policy.objects.filter(org_path__startswith=scope, state=PublishState.PUBLISHED)
    by_status = [
        {"status": s.value, "label": str(s.label), "count": policies.filter(status_q(s.value, today)).count()}
        for s in Status
    ]
    counts = dict(policies.values_list("benefit_type").annotate(n=Count("id")).order_by())
    by_benefit = [
        {"benefit_type": b.value, "label": str(b.label), "count": counts.get(b.value, 0)} for b in BenefitType
    ]
    stats = PolicyPush.objects.filter(org_path__startswith=scope).aggregate(
        sent=Count("id"),
        opened=Count("id", filter=Q(opened_at__isnull=False)),
        reached=Count("enterprise", distinct=True),
    )
    return {
        "scope": scope,
        "by_status": by_status,
        "by_benefit": by_benefit,
        "enterprises_reached": stats["reached"],
        "pushes_sent": stats["sent"],
        "pushes_opened": stats["opened"],
    }
