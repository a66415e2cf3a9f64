"""The whole audit verification: archived segments, the chain in the database, the checkpoints outside it.

Used by ``manage.py verify_audit`` and by the daily scheduled task, which writes a fresh checkpoint when
everything verifies and otherwise alerts every audit administrator (notification) and records the
failure in the log itself.
"""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit, audit_archive, audit_checkpoint


@dataclass
class Verification:
    archived_rows: int = 0
    checked: int = 0
    checkpoints: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_all() -> Verification:
    result = Verification()
    archive = audit_archive.verify_segments()
    result.archived_rows = archive.rows
    result.problems.extend(archive.problems)
    chain = audit.verify_chain(start_hash=archive.last_hash if archive.ok else audit.GENESIS)
    result.checked = chain.checked
    if not chain.ok:
        result.problems.append(
            _("审计日志断链：第一处问题在记录 #%(id)s（%(reason)s）；此前 %(checked)s 条完好")
            % {"id": chain.broken_id, "reason": chain.reason, "checked": chain.checked}
        )
    checkpoints = audit_checkpoint.verify(archived=archive.hashes)
    result.checkpoints = checkpoints.checked
    result.problems.extend(checkpoints.problems)
    return result


def scheduled_verification() -> Verification:
    """Daily: verify; on success write a checkpoint, on failure alert the audit administrators."""
    from qinqing.accounts.models import User
    from qinqing.core.roles import Role
    from qinqing.notifications.actions import notify

    result = verify_all()
    if result.ok:
        audit_checkpoint.write_checkpoint()
        return result
    audit.record(
        "core.audit_verify_failed",
        object_type="core.auditentry",
        success=False,
        message="；".join(result.problems)[:2000],
    )
    admins = list(User.objects.filter(role=Role.AUDIT_ADMIN, is_active=True))
    notify(
        admins,
        kind="core.audit_verify_failed",
        title=_("审计日志校验失败"),
        body="；".join(result.problems)[:1000],
        url="/audit/",
        key=f"core.audit_verify_failed:{timezone.localdate().isoformat()}",
    )
    return result
