"""The database itself refuses to change or delete audit rows.

The model's save()/delete() guard does not see queryset .update()/.delete() or raw SQL, so the audit
table also carries triggers (migration core 0002) that abort any UPDATE or DELETE. The hash chain
(`audit.verify_chain`) remains the proof against someone who can alter the schema; the triggers stop
the application, a script or an injected statement from rewriting history by accident or design.

`lifted()` suspends the guard on this connection for the test suite's flush between transactional
tests and for tests that tamper on purpose; in the application only the retention job calls it, to
delete rows it has just written to a verified, signed archive segment (audit_archive).
- SQLite: the triggers call `qinqing_audit_guard()`, a function each Django connection registers.
  A connection without it (the sqlite3 shell) fails on "no such function", so it cannot write either.
- PostgreSQL: the trigger function reads the session setting `qinqing.audit_guard`.
"""

import contextlib
import threading

from django.db import connections

MESSAGE = "审计日志只能追加，不能修改或删除"
HEAD_MOVE_TRIGGER = "core_auditentry_head"
_state = threading.local()

SQLITE_INSTALL = [
    f"""CREATE TRIGGER core_auditentry_no_update BEFORE UPDATE ON core_auditentry
        WHEN qinqing_audit_guard() BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER core_auditentry_no_delete BEFORE DELETE ON core_auditentry
        WHEN qinqing_audit_guard() BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS core_auditentry_no_update",
    "DROP TRIGGER IF EXISTS core_auditentry_no_delete",
]
POSTGRES_INSTALL = [
    f"""CREATE OR REPLACE FUNCTION core_auditentry_guard() RETURNS trigger AS $$
        BEGIN
          IF coalesce(current_setting('qinqing.audit_guard', true), '') = 'off' THEN
            RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
          END IF;
          RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
        END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER core_auditentry_append_only BEFORE UPDATE OR DELETE ON core_auditentry
        FOR EACH ROW EXECUTE FUNCTION core_auditentry_guard()""",
]
POSTGRES_REMOVE = [
    "DROP TRIGGER IF EXISTS core_auditentry_append_only ON core_auditentry",
    "DROP FUNCTION IF EXISTS core_auditentry_guard()",
]


# The chain head (core_auditchainhead, migration core 0003): never deleted, inserted only into an empty
# table, and updated only forward, to the newest audit row and its hash. So after rows are cut from the
# end of the log, the head cannot be wound back to the new last row to hide it (verify_chain would then
# report the head and the last row disagreeing); the signed checkpoints outside the database
# (audit_checkpoint) catch what someone who can lift the guard or alter the schema does.
HEAD_CONSISTENT = (
    "NEW.id = OLD.id AND NEW.last_id > OLD.last_id"
    " AND NEW.last_id = (SELECT max(id) FROM core_auditentry)"
    " AND NEW.last_hash = (SELECT hash FROM core_auditentry WHERE id = NEW.last_id)"
)
SQLITE_HEAD_INSTALL = [
    f"""CREATE TRIGGER core_auditchainhead_no_delete BEFORE DELETE ON core_auditchainhead
        WHEN qinqing_audit_guard() BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER core_auditchainhead_forward_only BEFORE UPDATE ON core_auditchainhead
        WHEN qinqing_audit_guard() AND NOT ({HEAD_CONSISTENT})
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER core_auditchainhead_one_row BEFORE INSERT ON core_auditchainhead
        WHEN qinqing_audit_guard() AND EXISTS (SELECT 1 FROM core_auditchainhead)
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",  # noqa: S608 -- constant DDL
]
SQLITE_HEAD_REMOVE = [
    "DROP TRIGGER IF EXISTS core_auditchainhead_no_delete",
    "DROP TRIGGER IF EXISTS core_auditchainhead_forward_only",
    "DROP TRIGGER IF EXISTS core_auditchainhead_one_row",
]
POSTGRES_HEAD_INSTALL = [
    f"""CREATE OR REPLACE FUNCTION core_auditchainhead_guard() RETURNS trigger AS $$
        BEGIN
          IF coalesce(current_setting('qinqing.audit_guard', true), '') = 'off' THEN
            RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
          END IF;
          IF TG_OP = 'UPDATE' AND {HEAD_CONSISTENT} THEN
            RETURN NEW;
          END IF;
          IF TG_OP = 'INSERT' AND NOT EXISTS (SELECT 1 FROM core_auditchainhead) THEN
            RETURN NEW;
          END IF;
          RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
        END $$ LANGUAGE plpgsql""",  # noqa: S608 -- constant DDL
    """CREATE TRIGGER core_auditchainhead_guard BEFORE INSERT OR UPDATE OR DELETE ON core_auditchainhead
        FOR EACH ROW EXECUTE FUNCTION core_auditchainhead_guard()""",
    # TRUNCATE skips row triggers: refuse it on both tables unless the guard is lifted (the test flush).
    f"""CREATE OR REPLACE FUNCTION core_audit_no_truncate() RETURNS trigger AS $$
        BEGIN
          IF coalesce(current_setting('qinqing.audit_guard', true), '') = 'off' THEN
            RETURN NULL;
          END IF;
          RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
        END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER core_auditchainhead_no_truncate BEFORE TRUNCATE ON core_auditchainhead
        FOR EACH STATEMENT EXECUTE FUNCTION core_audit_no_truncate()""",
    """CREATE TRIGGER core_auditentry_no_truncate BEFORE TRUNCATE ON core_auditentry
        FOR EACH STATEMENT EXECUTE FUNCTION core_audit_no_truncate()""",
]
POSTGRES_HEAD_REMOVE = [
    "DROP TRIGGER IF EXISTS core_auditentry_no_truncate ON core_auditentry",
    "DROP TRIGGER IF EXISTS core_auditchainhead_no_truncate ON core_auditchainhead",
    "DROP FUNCTION IF EXISTS core_audit_no_truncate()",
    "DROP TRIGGER IF EXISTS core_auditchainhead_guard ON core_auditchainhead",
    "DROP FUNCTION IF EXISTS core_auditchainhead_guard()",
]


# PostgreSQL moves the head once per transaction, at commit (migration core 0004). Updating the one head row
# for every audit row inside a long transaction (the demo seed, a bulk action, a test) makes PostgreSQL walk an
# ever longer chain of that row's versions, none of which can be pruned before the commit: n rows cost O(n²)
# (measured: 5,000 rows 0.46 s, 10,000 rows 1.58 s; 20,000 rows with the deferred move 0.62 s). record() locks the
# head, chains to the newest row after it, and this deferred trigger moves the head to the transaction's last
# row when it commits (audit.chain_head() applies the pending move early for readers inside the transaction).
# The head guard above still checks the move: forward only, to the newest row and its hash.
POSTGRES_HEAD_MOVE_INSTALL = [
    """CREATE OR REPLACE FUNCTION core_auditentry_move_head() RETURNS trigger AS $$
        DECLARE newest record;
        BEGIN
          SELECT id, hash INTO newest FROM core_auditentry ORDER BY id DESC LIMIT 1;
          IF newest.id = NEW.id THEN
            UPDATE core_auditchainhead SET last_id = newest.id, last_hash = newest.hash
              WHERE id = 1 AND last_id < newest.id;
          END IF;
          RETURN NULL;
        END $$ LANGUAGE plpgsql""",
    f"""CREATE CONSTRAINT TRIGGER {HEAD_MOVE_TRIGGER} AFTER INSERT ON core_auditentry
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION core_auditentry_move_head()""",
]
POSTGRES_HEAD_MOVE_REMOVE = [
    f"DROP TRIGGER IF EXISTS {HEAD_MOVE_TRIGGER} ON core_auditentry",
    "DROP FUNCTION IF EXISTS core_auditentry_move_head()",
]


def install_head_move(schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES_HEAD_MOVE_INSTALL:
            schema_editor.execute(sql)


def remove_head_move(schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES_HEAD_MOVE_REMOVE:
            schema_editor.execute(sql)


def install_head(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_HEAD_INSTALL, "postgresql": POSTGRES_HEAD_INSTALL}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def remove_head(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": SQLITE_HEAD_REMOVE, "postgresql": POSTGRES_HEAD_REMOVE}.get(vendor, []):
        schema_editor.execute(sql)


def _guarded() -> int:
    return 0 if getattr(_state, "lifted", 0) else 1


def register_sqlite_function(sender, connection, **kwargs) -> None:
    """connection_created handler: give each SQLite connection the guard function."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("qinqing_audit_guard", 0, _guarded)


def install(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for sql in SQLITE_INSTALL if vendor == "sqlite" else POSTGRES_INSTALL if vendor == "postgresql" else []:
        schema_editor.execute(sql)


def remove(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for sql in SQLITE_REMOVE if vendor == "sqlite" else POSTGRES_REMOVE if vendor == "postgresql" else []:
        schema_editor.execute(sql)


@contextlib.contextmanager
def lifted(using=None):
    """Suspend the guard on this thread's connection (tests and the test flush only)."""
    conn = connections[using or "default"]
    _state.lifted = getattr(_state, "lifted", 0) + 1
    if conn.vendor == "postgresql":
        with conn.cursor() as cursor:
            cursor.execute("SELECT set_config('qinqing.audit_guard', 'off', false)")
    try:
        yield
    finally:
        _state.lifted -= 1
        if conn.vendor == "postgresql" and not _state.lifted and conn.connection is not None:
            with contextlib.suppress(Exception), conn.cursor() as cursor:
                cursor.execute("SELECT set_config('qinqing.audit_guard', 'on', false)")
