"""Audit: append-only, hash-chained; verify_audit finds the first broken link."""

import pytest
from django.core.management import call_command
from django.db import connection

from qinqing.core import audit
from qinqing.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_given_records_when_verified_then_chain_is_intact():
    for i in range(5):
        audit.record("test.event", object_type="x", object_id=i, after={"n": i, "name": "名称"})
    report = audit.verify_chain()
    assert report.ok and report.checked == 5


def test_given_a_tampered_row_when_verified_then_that_row_is_reported():
    entries = [audit.record("test.event", object_id=i, after={"n": i}) for i in range(4)]
    victim = entries[2]
    with connection.cursor() as cursor:  # bypass the model's append-only guard, as an attacker would
        cursor.execute(f"UPDATE {AuditEntry._meta.db_table} SET message = %s WHERE id = %s", ["改过", victim.pk])
    report = audit.verify_chain()
    assert not report.ok and report.broken_id == victim.pk


def test_given_a_deleted_row_when_verified_then_the_next_row_is_reported():
    entries = [audit.record("test.event", object_id=i) for i in range(4)]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = %s", [entries[1].pk])
    report = audit.verify_chain()
    assert report.broken_id == entries[2].pk


def test_audit_rows_cannot_be_changed_or_deleted_through_the_orm():
    entry = audit.record("test.event")
    entry.message = "x"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()


def test_verify_audit_command_exit_status(capsys):
    entries = [audit.record("test.event", object_id=i) for i in range(3)]
    call_command("verify_audit")
    assert "完好" in capsys.readouterr().out
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {AuditEntry._meta.db_table} SET actor_name = 'evil' WHERE id = %s", [entries[0].pk])
    with pytest.raises(SystemExit) as exc:
        call_command("verify_audit")
    assert exc.value.code == 1
    assert str(entries[0].pk) in capsys.readouterr().out
