"""Issue 11 §4: the chain head is guarded like the log, signed checkpoints outside the database catch
truncation and re-sealing, archived segments still verify, a daily verification alerts the audit
administrators."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from qinqing.core import audit, audit_archive, audit_checkpoint, audit_guard
from qinqing.core.audit_verify import scheduled_verification, verify_all
from qinqing.core.models import AuditChainHead, AuditEntry
from qinqing.core.tasks import PERIODIC

pytestmark = pytest.mark.django_db


def _rows(n: int) -> list[AuditEntry]:
    return [audit.record("test.event", object_id=i, after={"n": i}) for i in range(n)]


def test_given_the_head_then_the_database_refuses_to_delete_it_or_wind_it_back():
    entries = _rows(3)
    for sql, params in (
        ("DELETE FROM core_auditchainhead", []),
        ("UPDATE core_auditchainhead SET last_id = %s, last_hash = %s", [entries[1].pk, entries[1].hash]),
        ("UPDATE core_auditchainhead SET last_hash = %s", ["0" * 64]),
        ("INSERT INTO core_auditchainhead (id, last_hash, last_id) VALUES (2, %s, 0)", ["0" * 64]),
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    head = audit.chain_head()
    assert (head.last_id, head.last_hash) == (entries[-1].pk, entries[-1].hash)
    audit.record("test.after")  # the application still moves it forward
    assert audit.verify_chain().ok


def test_given_last_rows_deleted_and_head_rewritten_then_the_checkpoint_detects_it(capsys):
    # given a chain checkpointed outside the database
    entries = _rows(5)
    audit_checkpoint.write_checkpoint()
    call_command("verify_audit")
    assert "1 个检查点一致" in capsys.readouterr().out
    # when someone who can lift the guard deletes the last two rows and winds the head back
    with audit_guard.lifted(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry WHERE id > %s", [entries[2].pk])
        cursor.execute("UPDATE core_auditchainhead SET last_id = %s, last_hash = %s", [entries[2].pk, entries[2].hash])
    # then the chain alone looks whole, but the checkpoint names the missing row
    assert audit.verify_chain().ok
    with pytest.raises(SystemExit):
        call_command("verify_audit")
    out = capsys.readouterr().out
    assert f"第 {entries[4].pk} 条审计记录已不存在" in out


def test_given_chain_resealed_with_the_key_then_the_checkpoint_detects_it(settings):
    entries = _rows(4)
    audit_checkpoint.write_checkpoint()
    # someone holding the key rewrites row 2 and re-seals every later row and the head
    with audit_guard.lifted(), connection.cursor() as cursor:
        prev = entries[0].hash
        for entry in entries[1:]:
            row = AuditEntry.objects.values(*audit.HASHED_FIELDS).get(pk=entry.pk)
            if entry.pk == entries[1].pk:
                row["message"] = "改过"
            new_hash = audit.compute_hash(prev, row)
            cursor.execute(
                "UPDATE core_auditentry SET message = %s, prev_hash = %s, hash = %s WHERE id = %s",
                [row["message"], prev, new_hash, entry.pk],
            )
            prev = new_hash
        cursor.execute("UPDATE core_auditchainhead SET last_hash = %s", [prev])
    assert audit.verify_chain().ok  # the chain verifies: it was re-sealed with the real key
    result = verify_all()
    assert not result.ok and "重新封链" in result.problems[0]


def test_given_a_forged_checkpoint_line_then_reported():
    _rows(2)
    audit_checkpoint.write_checkpoint()
    path = audit_checkpoint.path()
    entry = json.loads(path.read_text().splitlines()[0])
    entry["seq"] = 1
    path.write_text(json.dumps(entry) + "\n")
    assert "签名不符" in verify_all().problems[0]


def test_checkpoint_file_is_append_only_and_syslog_gets_a_copy(settings, monkeypatch):
    sent = []
    monkeypatch.setattr(audit_checkpoint.logging.handlers.SysLogHandler, "emit", lambda self, r: sent.append(r.msg))
    monkeypatch.setattr(audit_checkpoint.logging.handlers.SysLogHandler, "__init__", lambda self, **kw: None)
    monkeypatch.setattr(audit_checkpoint.logging.handlers.SysLogHandler, "close", lambda self: None)
    settings.QINQING_AUDIT_SYSLOG = "/dev/log"
    _rows(1)
    audit_checkpoint.write_checkpoint()
    audit_checkpoint.write_checkpoint()
    assert len(audit_checkpoint.path().read_text().splitlines()) == 2
    assert len(sent) == 2 and sent[0].startswith("qinqing-audit {")
    seconds = {task.name: s for s, task in PERIODIC}
    assert seconds["write_audit_checkpoint"] <= 3600 and seconds["verify_audit_daily"] <= 86400


def test_given_old_rows_then_archived_segment_verifies_and_database_chain_continues(settings):
    settings.QINQING_AUDIT_RETENTION_DAYS = 180
    entries = _rows(6)
    audit_checkpoint.write_checkpoint()
    old = timezone.now() - datetime.timedelta(days=200)
    with audit_guard.lifted():
        AuditEntry.objects.filter(id__lte=entries[3].pk).update(created_at=old)
        # re-seal with the real key so the aged rows verify (they stand for rows written 200 days ago)
        prev = audit.GENESIS
        for entry in AuditEntry.objects.order_by("id"):
            row = AuditEntry.objects.values(*audit.HASHED_FIELDS).get(pk=entry.pk)
            new_hash = audit.compute_hash(prev, row)
            AuditEntry.objects.filter(pk=entry.pk).update(prev_hash=prev, hash=new_hash)
            prev = new_hash
        AuditChainHead.objects.filter(pk=1).update(last_hash=prev)
    audit_checkpoint.path().unlink()
    audit_checkpoint.write_checkpoint()
    manifest = audit_archive.archive_old()
    assert manifest["count"] == 4
    assert not AuditEntry.objects.filter(id__lte=entries[3].pk).exists()
    result = verify_all()
    assert result.ok, result.problems
    assert result.archived_rows == 4
    # a changed archived row is found
    path = audit_archive.segment_files()[0]
    lines = path.read_text(encoding="utf-8").splitlines()
    row = json.loads(lines[1])
    row["message"] = "改过"
    lines[1] = json.dumps(row, ensure_ascii=False, sort_keys=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert "归档段" in verify_all().problems[0]


def test_given_a_broken_chain_then_the_daily_verification_alerts_audit_admins(users):
    from qinqing.notifications.models import Notification

    entries = _rows(3)
    assert scheduled_verification().ok
    assert len(audit_checkpoint.read_checkpoints()) == 1  # a good run leaves a checkpoint
    with audit_guard.lifted(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET actor_name = 'evil' WHERE id = %s", [entries[1].pk])
    assert not scheduled_verification().ok
    alerted = Notification.objects.filter(kind="core.audit_verify_failed")
    assert {n.recipient.role for n in alerted} == {"audit_admin"} and alerted.count() >= 1
    assert AuditEntry.objects.filter(action="core.audit_verify_failed", success=False).exists()
    assert len(audit_checkpoint.read_checkpoints()) == 1  # no checkpoint blesses a broken chain


def test_given_the_audit_page_and_its_export_then_both_are_audited_and_the_wal_warning_shown(users, login):
    audit.record("security.login_failed", actor=users.city_staff, object_repr="=HYPERLINK(1)", success=False)
    client = login(users.audit_admin)
    html = client.get("/audit/", {"failed": "1"}).content.decode()
    assert "WAL" in html and "备份命令" in html
    viewed = AuditEntry.objects.get(action="core.view_audit_log")
    assert viewed.actor_id == users.audit_admin.pk and "failed=1" in viewed.message
    response = client.get("/audit/export.csv", {"failed": "1"})
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    body = response.content.decode("utf-8-sig")
    assert "security.login_failed" in body and "'=HYPERLINK(1)" in body  # text, never a formula
    exported = AuditEntry.objects.get(action="core.export_audit_log")
    assert exported.after["rows"] == 1
    # other roles get neither
    assert login(users.county_staff).get("/audit/export.csv").status_code in (403, 404)
