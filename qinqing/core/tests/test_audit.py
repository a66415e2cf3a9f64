"""Audit: append-only, hash-chained; verify_audit finds the first broken link."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, IntegrityError, connection, transaction

from qinqing.core import audit, audit_guard
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
    # bypass the model's and the database's append-only guards, as an attacker owning the schema would
    with audit_guard.lifted(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {AuditEntry._meta.db_table} SET message = %s WHERE id = %s", ["改过", victim.pk])
    report = audit.verify_chain()
    assert not report.ok and report.broken_id == victim.pk


def test_given_a_deleted_row_when_verified_then_the_next_row_is_reported():
    entries = [audit.record("test.event", object_id=i) for i in range(4)]
    with audit_guard.lifted(), connection.cursor() as cursor:
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
    with audit_guard.lifted(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {AuditEntry._meta.db_table} SET actor_name = 'evil' WHERE id = %s", [entries[0].pk])
    with pytest.raises(SystemExit) as exc:
        call_command("verify_audit")
    assert exc.value.code == 1
    assert str(entries[0].pk) in capsys.readouterr().out


def test_given_rows_when_changed_through_a_queryset_or_sql_then_the_database_refuses():
    # Given audit rows
    entry = audit.record("test.event", object_id=1)
    audit.record("test.event", object_id=2)
    # When the ORM's bulk paths or raw SQL try to rewrite or remove them, then the database aborts
    for attempt in (
        lambda: AuditEntry.objects.filter(pk=entry.pk).update(message="改过"),
        lambda: AuditEntry.objects.filter(pk=entry.pk).delete(),
        lambda: AuditEntry.objects.all()._raw_delete(AuditEntry.objects.db),
    ):
        with pytest.raises(DatabaseError, match="审计日志只能追加"), transaction.atomic():
            attempt()
    with pytest.raises(DatabaseError, match="审计日志只能追加"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {AuditEntry._meta.db_table} SET success = %s", [False])
    # and the chain still verifies
    assert audit.verify_chain().ok and AuditEntry.objects.count() == 2


def test_given_a_user_with_audit_rows_when_deleted_then_the_rows_and_chain_are_untouched(users):
    # Given audit rows written by a user
    user = users.county_staff
    user_id = user.pk
    audit.record("test.event", actor=user)
    audit.record("test.event", actor=user)
    # When the account is deleted (a person's data removed on request)
    user.delete()
    # Then its rows keep who did it and the chain verifies
    assert list(AuditEntry.objects.filter(actor_name=user.username).values_list("actor_id", flat=True)) == [
        user_id,
        user_id,
    ]
    assert audit.verify_chain().ok


def test_given_the_migrated_database_then_the_audit_guard_is_installed():
    # A later migration that rebuilds the table on SQLite would drop its triggers: this catches it.
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'core_auditentry'")
            assert {r[0] for r in cursor.fetchall()} == {"core_auditentry_no_update", "core_auditentry_no_delete"}
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'core_auditentry'::regclass AND NOT tgisinternal"
            )
            assert sorted(r[0] for r in cursor.fetchall()) == [
                "core_auditentry_append_only",
                "core_auditentry_head",
                "core_auditentry_no_truncate",
            ]


def test_given_a_row_resealed_without_the_key_when_verified_then_it_is_reported(settings):
    # Given a chain, and someone who rewrites a row and recomputes its hash with a key of their own
    entries = [audit.record("test.event", object_id=i) for i in range(3)]
    installation_key = settings.QINQING_AUDIT_KEY
    victim = AuditEntry.objects.values(*audit.HASHED_FIELDS).get(pk=entries[2].pk)
    victim["message"] = "改过"
    settings.QINQING_AUDIT_KEY = "a-guessed-key"
    forged = audit.compute_hash(entries[1].hash, victim)
    with audit_guard.lifted(), connection.cursor() as cursor:
        table = AuditEntry._meta.db_table
        cursor.execute(f"UPDATE {table} SET message = %s, hash = %s WHERE id = %s", ["改过", forged, entries[2].pk])
        cursor.execute("UPDATE core_auditchainhead SET last_hash = %s", [forged])
    # When verified with the installation's key
    settings.QINQING_AUDIT_KEY = installation_key
    # Then the forged row is found
    assert audit.verify_chain().broken_id == entries[2].pk


def test_given_rows_written_and_a_savepoint_rolled_back_in_one_transaction_then_chain_and_head_agree():
    # On PostgreSQL the head moves at commit; inside the transaction chain_head() applies the pending move.
    first = audit.record("test.one")
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.record("test.rolled_back")
        raise RuntimeError
    last = [audit.record("test.many", object_id=i) for i in range(30)][-1]
    head = audit.chain_head()
    assert (head.last_id, head.last_hash) == (last.pk, last.hash)
    after_first = AuditEntry.objects.filter(pk__gt=first.pk).order_by("id").first()
    assert after_first.prev_hash == first.hash and after_first.action == "test.many"  # the rolled-back row is no link
    assert audit.verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_given_concurrent_writers_on_postgresql_then_one_chain_and_the_head_at_its_end():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite serialises writers by its file lock)")
    import threading

    from django.db import connections

    errors = []

    def writer(n):
        try:
            for i in range(15):
                with transaction.atomic():
                    audit.record("test.concurrent", object_id=f"{n}-{i}")
                    audit.record("test.concurrent", object_id=f"{n}-{i}b")
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert AuditEntry.objects.filter(action="test.concurrent").count() == 120
    assert audit.verify_chain().ok
    head = audit.chain_head()
    newest = AuditEntry.objects.order_by("-id").first()
    assert (head.last_id, head.last_hash) == (newest.pk, newest.hash)


def test_given_rows_recorded_inside_written_at_end_then_written_in_order_when_the_block_ends():
    # Given a long transaction that records inside written_at_end()
    before = AuditEntry.objects.count()
    with transaction.atomic():
        with audit.written_at_end():
            first = audit.record("test.held", object_id=1)
            with audit.written_at_end():  # nested: written with the outer block
                audit.record("test.held", object_id=2)
            # then nothing is in the log yet (the chain head is not taken while the work goes on)
            assert AuditEntry.objects.count() == before and first.pk is None
        # when the block ends, the rows are written in their order, each with the time of its record() call
        rows = list(AuditEntry.objects.filter(action="test.held").order_by("id"))
    assert [r.object_id for r in rows] == ["1", "2"] and rows[0].created_at == first.created_at
    assert rows[1].prev_hash == rows[0].hash and audit.verify_chain().ok


def test_given_a_block_that_fails_then_its_held_rows_are_not_written():
    with pytest.raises(ValueError), transaction.atomic(), audit.written_at_end():
        audit.record("test.failed")
        raise ValueError("任务失败")
    assert not AuditEntry.objects.filter(action="test.failed").exists()
    audit.record("test.after")  # and recording works as before
    assert AuditEntry.objects.filter(action="test.after").count() == 1 and audit.verify_chain().ok


def test_given_a_savepoint_rolled_back_inside_written_at_end_then_its_held_rows_are_dropped():
    # Given a long transaction that handles each row in a savepoint and goes on after a refused row (an import)
    with transaction.atomic(), audit.written_at_end():
        audit.record("test.kept", object_id="before")
        for n in range(3):
            try:
                with transaction.atomic():
                    audit.record("test.row", object_id=n)
                    with transaction.atomic():  # a nested step that commits with its row (or not)
                        audit.record("test.step", object_id=n)
                    if n == 1:
                        raise ValueError("第2行有误")
            except ValueError:
                pass
        audit.record("test.kept", object_id="after")
    # then the refused row's audit rows are not written, the others are, in order, and the chain holds
    written = list(AuditEntry.objects.order_by("id").values_list("action", "object_id"))
    assert written == [
        ("test.kept", "before"),
        ("test.row", "0"),
        ("test.step", "0"),
        ("test.row", "2"),
        ("test.step", "2"),
        ("test.kept", "after"),
    ]
    assert audit.verify_chain().ok


def test_given_a_transaction_marked_for_rollback_inside_written_at_end_then_nothing_is_written():
    # Given an import that finds errors and rolls its whole work back without raising
    with transaction.atomic(), audit.written_at_end():
        audit.record("test.rolled_back")
        transaction.set_rollback(True)
    # then no audit row is written (and writing one did not fail on the broken transaction)
    assert not AuditEntry.objects.filter(action="test.rolled_back").exists()
    audit.record("test.after")
    assert audit.verify_chain().ok


def test_given_written_at_end_then_no_marker_is_left_among_the_commit_hooks():
    with transaction.atomic():
        with audit.written_at_end():
            audit.record("test.held")
        assert not [func for _sids, func, _robust in connection.run_on_commit if isinstance(func, audit._Held)]


def test_given_rows_with_deferred_checks_when_recording_then_the_checks_run_before_the_chain_head_is_taken():
    """PostgreSQL defers foreign-key checks to COMMIT; a transaction that wrote millions of rows (a matching run's
    first pushes) spent 18.6 s in its COMMIT while holding the chain head. record() runs the deferred checks first:
    a dangling reference fails at record() and leaves the chain as it was (before: the error came at COMMIT)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite checks foreign keys at once")
    from qinqing.policies.models import PolicyPush

    table = PolicyPush._meta.db_table
    before = AuditEntry.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.cursor() as cursor:  # a push of a policy and an enterprise that do not exist
            cursor.execute(
                f"INSERT INTO {table} (created_at, updated_at, policy_id, enterprise_id, org_path)"
                " VALUES (now(), now(), 2147483000, 2147483000, '/')"
            )
        audit.record("test.after_bulk_write", message="批量写入后")
    assert AuditEntry.objects.count() == before
    audit.record("test.next", message="下一条")  # the constraints are deferred again for the next transaction
    assert audit.verify_chain().ok
