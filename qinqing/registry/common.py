"""What every registry action shares: permission and scope checks, masked audit values, saving
changed fields, audited reveals and exports."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from qinqing.core import audit

from .standards import idcard, mobile

PII_FIELDS = {"legal_rep_id_number", "contact_mobile", "id_number", "mobile"}


def _redact(values: dict | None) -> dict | None:
    """Audit rows keep personal numbers masked: the log is read by more people than view_pii holders."""
    if values is None:
        return None
    out = dict(values)
    for key in PII_FIELDS & set(out):
        if out[key]:
            out[key] = idcard.mask(out[key]) if "id" in key else mobile.mask_mobile(out[key])
    return out


def _require(user, permission: str) -> None:
    if user is not None and not user.has_perm(permission):
        raise PermissionDenied


def _in_scope(user, path: str) -> None:
    org = getattr(user, "org", None)
    if user is not None and (org is None or not path.startswith(org.path)):
        raise PermissionDenied


def save_changes(obj, fields: list[str], before: dict) -> tuple[dict, dict]:
    """Save the fields that differ from ``before`` (an audit.snapshot); return their old and new values."""
    old, new = audit.diff(before, audit.snapshot(obj, fields))
    if new:
        obj.save(update_fields=[*new.keys(), "updated_at"])
    return old, new


def reveal_pii(obj, field: str, *, actor) -> str:
    """Return one unmasked number and log who looked at it (the audit row names the field, not the number)."""
    _require(actor, "registry.view_pii")
    value = getattr(obj, field)
    audit.record(
        "registry.reveal_pii",
        obj=obj,
        actor=actor,
        after={"field": field},
        message=_("查看完整%(field)s：%(object)s") % {"field": obj._meta.get_field(field).verbose_name, "object": obj},
    )
    return value


def record_pii_access(*, actor, object_type: str, ids: list[int], channel: str) -> None:
    """A view_pii holder received full numbers in bulk (an API page): one audit row names the records."""
    _require(actor, "registry.view_pii")
    audit.record(
        "registry.reveal_pii",
        actor=actor,
        object_type=object_type,
        after={"ids": ids, "channel": channel},
        message=_("通过%(channel)s查看完整号码（%(count)s条）") % {"channel": channel, "count": len(ids)},
    )


def record_export(*, actor, kind: str, rows: int, fmt: str, filters: str) -> None:
    """Every export is audited: what, how many rows, with which filters, and whether numbers were unmasked."""
    _require(actor, "registry.export_registry")
    audit.record(
        "registry.export",
        actor=actor,
        object_type=f"registry.{kind}",
        after={
            "kind": kind,
            "rows": rows,
            "format": fmt,
            "filters": filters,
            "unmasked": actor is not None and actor.has_perm("registry.view_pii"),
        },
        message=_("导出%(rows)s条") % {"rows": rows},
    )


def decimal_or_none(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))
