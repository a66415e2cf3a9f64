"""Administrators edit the classification (type × domain) and deadline rules."""

from django.db import transaction
from django.utils.translation import gettext as _

from qinqing.core import audit

from ..models import AppealDomain, AppealType, DeadlineRule


@transaction.atomic
def save_classification(kind: str, *, actor, code: str, name: str, order: int = 0, is_active: bool = True):
    model = AppealType if kind == "type" else AppealDomain
    obj = model.objects.select_for_update().filter(code=code).first()
    before = audit.snapshot(obj, ["name", "order", "is_active"]) if obj else None
    if obj is None:
        obj = model(code=code)
    obj.name, obj.order, obj.is_active = name, order, is_active
    obj.save()
    audit.record(
        f"appeals.save_{kind}",
        obj=obj,
        actor=actor,
        before=before,
        after=audit.snapshot(obj, ["name", "order", "is_active"]),
    )
    return obj


RULE_FIELDS = [
    "accept_days",
    "contact_days",
    "reply_days",
    "warn_days",
    "supervise_after",
    "dispatch_days",
    "callback_days",
]
OPTIONAL_RULE_FIELDS = {"dispatch_days": 2, "callback_days": 3}  # older callers may leave them out


@transaction.atomic
def save_deadline_rule(*, actor, appeal_type=None, domain=None, **days) -> DeadlineRule:
    """Create or change the rule for one type×domain scope; appeals already registered keep their copy."""

    for name, default in OPTIONAL_RULE_FIELDS.items():
        if days.get(name) is None:
            days[name] = default
    for name in RULE_FIELDS:
        value = days.get(name)
        if value is None or not 0 <= int(value) <= 60:
            raise ValueError(_("%(field)s：请填写0到60之间的工作日数") % {"field": name})
    rule = (
        DeadlineRule.objects.select_for_update(of=("self",))
        .filter(appeal_type=appeal_type, domain=domain)
        .order_by("pk")
        .first()
    )
    before = audit.snapshot(rule, RULE_FIELDS) if rule else None
    rule = rule or DeadlineRule(appeal_type=appeal_type, domain=domain)
    for name in RULE_FIELDS:
        setattr(rule, name, int(days[name]))
    rule.save()
    audit.record(
        "appeals.save_deadline_rule", obj=rule, actor=actor, before=before, after=audit.snapshot(rule, RULE_FIELDS)
    )
    return rule
