"""Backups made by the action are recorded and audited; the administrator sees their age and is told when too old."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from qinqing.core.models import AuditEntry
from qinqing.notifications.models import Notification
from qinqing.operations import actions
from qinqing.operations.models import BackupRecord

# Backups read the database as committed (SQLite's online backup API, pg_dump): no test transaction around them.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _backup_dir(settings, tmp_path):
    settings.QINQING_BACKUP_DIR = tmp_path / "backups"
    settings.QINQING_BACKUP_KEY = ""


def test_given_no_backup_when_the_scheduler_runs_then_one_is_made_recorded_and_audited(users):
    record = actions.scheduled_backup()
    assert record is not None and record.status == BackupRecord.Status.OK
    assert record.scheduled and record.size > 0 and record.rows > 0
    assert AuditEntry.objects.filter(action="operations.backup", object_id=str(record.pk)).exists()
    # Within the interval nothing more is made.
    assert actions.scheduled_backup() is None
    assert BackupRecord.objects.count() == 1


def test_given_more_scheduled_backups_than_kept_when_pruned_then_the_oldest_files_go(users, settings):
    settings.QINQING_BACKUP_KEEP = 2
    start = timezone.now()
    for hours in (0, 25, 50):
        with time_machine.travel(start + timedelta(hours=hours), tick=False):
            actions.scheduled_backup()
    records = list(BackupRecord.objects.order_by("created_at"))
    assert len(records) == 3
    from pathlib import Path

    assert not Path(records[0].path).exists()
    assert Path(records[1].path).exists() and Path(records[2].path).exists()


def test_given_an_old_backup_when_checked_then_the_system_administrators_are_alerted_once_a_day(users):
    actions.run_backup()
    later = timezone.now() + timedelta(hours=40)
    assert actions.alert_if_overdue(later) is True
    assert actions.alert_if_overdue(later) is True
    alerts = Notification.objects.filter(recipient=users.sys_admin, kind="operations")
    assert alerts.count() == 1
    assert "备份已过期" in alerts.get().title
    assert actions.alert_if_overdue(timezone.now()) is False


def test_given_a_failing_backup_when_run_then_the_failure_is_recorded_and_audited(users, settings, monkeypatch):
    def broken(_dest):
        raise OSError("磁盘已满")

    monkeypatch.setattr(actions, "make_backup", broken)
    with pytest.raises(OSError):
        actions.run_backup()
    failed = BackupRecord.objects.get()
    assert failed.status == BackupRecord.Status.FAILED and "磁盘已满" in failed.error
    assert AuditEntry.objects.filter(action="operations.backup", success=False).exists()
    assert actions.latest_backup() is None


def test_given_the_system_administrator_when_opening_backups_then_the_status_line_shows(users, login, client):
    actions.run_backup()
    login(users.sys_admin)
    page = client.get(reverse("operations:backups"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "最近一次成功备份在 0 小时前" in text
    assert "请勿直接复制正在运行的 SQLite 数据库文件" in text
    home = client.get(reverse("core:home")).content.decode()
    assert "最近备份" in home


@pytest.mark.parametrize("role", ["fic_staff", "sec_admin", "audit_admin", "enterprise"])
def test_given_another_role_when_opening_backups_then_refused(users, login, client, role):
    user = {
        "fic_staff": users.county_staff,
        "sec_admin": users.sec_admin,
        "audit_admin": users.audit_admin,
        "enterprise": users.enterprise,
    }[role]
    login(user)
    assert client.get(reverse("operations:backups")).status_code in (403, 404)
