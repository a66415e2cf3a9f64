"""The database itself refuses to change or delete audit rows.

The model's save()/delete() guard does not see queryset .update()/.delete() or raw SQL, so the audit
table also carries triggers (migration core 0002) that abort any UPDATE or DELETE. The hash chain
(`audit.verify_chain`) remains the proof against someone who can alter the schema; the triggers stop
the application, a script or an injected statement from rewriting history by accident or design.

`lifted()` suspends the guard on this connection for the test suite's flush between transactional
tests and for tests that tamper on purpose; nothing in the application calls it.
- SQLite: the triggers call `qinqing_audit_guard()`, a function each Django connection registers.
  A connection without it (the sqlite3 shell) fails on "no such function", so it cannot write either.
- PostgreSQL: the trigger function reads the session setting `qinqing.audit_guard`.
"""

import contextlib
import threading

from django.db import connections

MESSAGE = "审计日志只能追加，不能修改或删除"
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
