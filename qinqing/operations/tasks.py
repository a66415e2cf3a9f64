"""Scheduled backup with retention, and the alert when the newest good backup is too old."""

from django_tasks import task

from .actions import scheduled_backup


@task()
def scheduled_backup_task() -> dict:
    record = scheduled_backup()
    return {"backup": record.path if record else None}


# Checked hourly; a backup is made when QINQING_BACKUP_INTERVAL_HOURS have passed since the last one.
PERIODIC = [(3600, scheduled_backup_task)]
