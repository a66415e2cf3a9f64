"""Helpers for tests that run work on a second database connection (lock order, waits; PostgreSQL)."""

import threading
import time
from collections.abc import Callable

from django.db import connection, connections, transaction


def on_own_connection(
    work: Callable[[], object], errors: list, done: threading.Event | None = None
) -> threading.Thread:
    """Start ``work`` on a thread (so on a connection) of its own; its exception goes to ``errors``, ``done`` is set
    when it ends."""

    def run() -> None:
        try:
            work()
        except Exception as exc:  # reported by the test
            errors.append(exc)
        finally:
            if done is not None:
                done.set()
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def waiting_on_a_lock() -> bool:
    """Whether a connection to this test's database waits on a lock (another xdist worker's database, or another
    suite on the same server, does not count)."""
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return cursor.fetchone()[0] > 0


def wait_until_blocked(thread: threading.Thread, seconds: float = 10) -> None:
    """Until ``thread`` waits on a row lock (or ends, or ``seconds`` pass)."""
    deadline = time.monotonic() + seconds
    while thread.is_alive() and not waiting_on_a_lock() and time.monotonic() < deadline:
        time.sleep(0.05)


def user_action_seconds(actor=None) -> float:
    """A user's audited action under lock_timeout 3 s (it fails past that); its seconds."""
    from qinqing.core import audit

    started = time.monotonic()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '3s'")
        entry = audit.record("test.user_action", actor=actor, message="用户操作")
    assert entry.pk
    return time.monotonic() - started
