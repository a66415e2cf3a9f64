"""Periodic audit work (run_scheduler): hourly signed checkpoints, daily verification, retention."""

from django_tasks import task


@task()
def write_audit_checkpoint() -> int:
    from .audit_checkpoint import write_checkpoint

    return write_checkpoint()["seq"]


@task()
def verify_audit_daily() -> bool:
    from .audit_verify import scheduled_verification

    return scheduled_verification().ok


@task()
def archive_audit_log() -> int:
    from .audit_archive import archive_old

    manifest = archive_old()
    return manifest["count"] if manifest else 0


PERIODIC = [(3600, write_audit_checkpoint), (86400, verify_audit_daily), (86400, archive_audit_log)]
