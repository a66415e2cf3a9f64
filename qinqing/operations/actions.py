"""Operations verbs: make a backup (recorded and audited), prune old archives, alert when backups are too old."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from qinqing.core import audit

from . import archive
from .backup import make_backup
from .models import BackupRecord


def backup_dir() -> Path:
    return Path(getattr(settings, "QINQING_BACKUP_DIR", Path(settings.BASE_DIR) / "var" / "backups"))


def run_backup(dest: Path | None = None, *, actor=None, scheduled: bool = False) -> BackupRecord:
    """Write one archive (to ``dest`` or the backup directory), record it and audit it; a failure is recorded too."""
    started = time.monotonic()
    target = Path(dest) if dest is not None else backup_dir()
    if dest is None:
        target.mkdir(parents=True, exist_ok=True)
    try:
        result = make_backup(target)
    except Exception as exc:  # recorded for the administrator's status line, then raised to the caller
        record = BackupRecord.objects.create(
            path=str(target),
            status=BackupRecord.Status.FAILED,
            error=str(exc)[:2000],
            seconds=round(time.monotonic() - started, 2),
            scheduled=scheduled,
        )
        audit.record("operations.backup", obj=record, actor=actor, success=False, message=str(exc)[:500])
        raise
    counts = result.manifest["row_counts"]
    record = BackupRecord.objects.create(
        path=str(result.path),
        size=result.size,
        sha256=result.sha256,
        encrypted=archive.is_encrypted(result.path),
        engine=result.manifest["engine"],
        tables=len(counts),
        rows=sum(counts.values()),
        files=len(result.manifest["files"]) - 1,
        seconds=round(time.monotonic() - started, 2),
        scheduled=scheduled,
    )
    audit.record(
        "operations.backup",
        obj=record,
        actor=actor,
        after={"path": record.path, "size": record.size, "sha256": record.sha256, "rows": record.rows},
    )
    return record


def prune_backups(keep: int | None = None) -> list[str]:
    """Delete the scheduled archives beyond the newest ``keep`` (setting QINQING_BACKUP_KEEP)."""
    keep = keep if keep is not None else int(getattr(settings, "QINQING_BACKUP_KEEP", 14))
    old = BackupRecord.objects.filter(status=BackupRecord.Status.OK, scheduled=True).order_by("-created_at")[keep:]
    removed = []
    for record in old:
        path = Path(record.path)
        if path.is_file() and path.parent == backup_dir():
            path.unlink()
            removed.append(str(path))
    if removed:
        audit.record("operations.prune_backups", object_type="operations.backuprecord", after={"removed": removed})
    return removed


def latest_backup() -> BackupRecord | None:
    return BackupRecord.objects.filter(status=BackupRecord.Status.OK).first()


def backup_age_hours(now=None) -> float | None:
    last = latest_backup()
    if last is None:
        return None
    now = now or timezone.now()
    return (now - last.created_at).total_seconds() / 3600


def backup_overdue(now=None) -> bool:
    limit = float(getattr(settings, "QINQING_BACKUP_MAX_AGE_HOURS", 36))
    age = backup_age_hours(now)
    return age is None or age > limit


def alert_if_overdue(now=None) -> bool:
    """Tell the system administrators (once a day) when the newest good backup is older than the limit."""
    from qinqing.accounts.models import User
    from qinqing.core.roles import Role
    from qinqing.notifications.actions import notify

    now = now or timezone.now()
    if not backup_overdue(now):
        return False
    age = backup_age_hours(now)
    admins = User.objects.filter(role=Role.SYS_ADMIN, is_active=True)
    body = (
        _("尚无成功的备份。请运行 manage.py backup 或检查定时备份。")
        if age is None
        else _("最近一次成功备份是 %(hours)d 小时前，超过了 %(limit)s 小时的要求。请检查定时备份。")
        % {"hours": int(age), "limit": getattr(settings, "QINQING_BACKUP_MAX_AGE_HOURS", 36)}
    )
    notify(admins, kind="operations", title=_("备份已过期"), body=body, key=f"backup-overdue:{now:%Y-%m-%d}")
    return True


def scheduled_backup(now=None) -> BackupRecord | None:
    """The scheduler's entry: back up when the interval has passed, prune, and alert when overdue."""
    interval = timedelta(hours=float(getattr(settings, "QINQING_BACKUP_INTERVAL_HOURS", 24)))
    now = now or timezone.now()
    last = BackupRecord.objects.filter(scheduled=True, status=BackupRecord.Status.OK).first()
    record = None
    if last is None or now - last.created_at >= interval:
        try:
            record = run_backup(scheduled=True)
            prune_backups()
        except Exception:  # the failure is recorded; the alert below tells the administrators
            record = None
    alert_if_overdue(now)
    return record
