"""Reads that tolerate a little lag go to a PostgreSQL streaming replica (``DATABASE_REPLICA_URL``).

Only reads inside ``replica_reads()`` may use the replica: figures, dashboards, exports and matching reads opt in,
either by wrapping their code or by their URL name being listed in ``QINQING_REPLICA_VIEWS`` (the middleware
below). Everything else, every write and every read inside a transaction stays on the primary.

Read-your-writes: a user who has just written (any POST/PUT/PATCH/DELETE) reads from the primary for
``QINQING_REPLICA_STICKY_SECONDS`` afterwards, so the list they return to shows their change even if the replica
is a moment behind. A replica that does not answer is marked down for ``QINQING_REPLICA_RETRY_SECONDS`` and the
primary serves its reads meanwhile: the platform keeps working when the replica stops.
"""

from __future__ import annotations

import contextlib
import contextvars
import fnmatch
import logging
import time

from django.conf import settings
from django.db import connections
from django.db.utils import DatabaseError

logger = logging.getLogger(__name__)

REPLICA = "replica"
STICKY_SESSION_KEY = "_qq_last_write"

_allowed: contextvars.ContextVar[bool] = contextvars.ContextVar("qinqing_replica_allowed", default=False)
_down_until = 0.0
_checked_at = 0.0
CHECK_EVERY = 1.0  # seconds a successful health check is trusted (a read decision must not cost a round trip)


def configured() -> bool:
    return REPLICA in settings.DATABASES


@contextlib.contextmanager
def replica_reads(allowed: bool = True):
    """Let the reads of this block go to the replica (when one is configured, healthy and not pinned)."""
    token = _allowed.set(allowed)
    try:
        yield
    finally:
        _allowed.reset(token)


def mark_down() -> None:
    global _down_until
    _down_until = time.monotonic() + float(getattr(settings, "QINQING_REPLICA_RETRY_SECONDS", 30))


def healthy() -> bool:
    """The replica answers (checked at most once per retry period after a failure)."""
    global _checked_at
    now = time.monotonic()
    if now < _down_until:
        return False
    conn = connections[REPLICA]
    if conn.connection is not None and now - _checked_at < CHECK_EVERY:
        return True
    try:
        if conn.connection is not None and not conn.is_usable():
            conn.close()
        conn.ensure_connection()
        _checked_at = now
        return True
    except DatabaseError as exc:
        logger.warning("replica unreachable, reading from the primary: %s", exc)
        with contextlib.suppress(Exception):
            conn.close()
        mark_down()
        return False


def use_replica() -> bool:
    if not (configured() and _allowed.get()):
        return False
    if connections["default"].in_atomic_block:  # a read inside a write transaction must see that transaction
        return False
    return healthy()


class ReplicaRouter:
    """db_for_read: the replica inside replica_reads() when healthy; everything else: the primary."""

    def db_for_read(self, model, **hints):
        return REPLICA if use_replica() else "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


def _view_allowed(request) -> bool:
    match = getattr(request, "resolver_match", None)
    if match is None or request.method not in ("GET", "HEAD"):
        return False
    name = match.view_name
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in getattr(settings, "QINQING_REPLICA_VIEWS", ()))


def _pinned(request) -> bool:
    session = getattr(request, "session", None)
    if session is None:
        return False
    last = session.get(STICKY_SESSION_KEY)
    sticky = float(getattr(settings, "QINQING_REPLICA_STICKY_SECONDS", 10))
    return bool(last) and time.time() - float(last) < sticky


class ReplicaMiddleware:
    """Opens replica_reads() for the listed views' GET requests, unless the user has just written."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if configured() and request.method not in ("GET", "HEAD", "OPTIONS") and response.status_code < 400:
            session = getattr(request, "session", None)
            if session is not None and getattr(request, "user", None) and request.user.is_authenticated:
                session[STICKY_SESSION_KEY] = time.time()
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not configured() or not _view_allowed(request) or _pinned(request):
            return None
        with replica_reads():
            response = view_func(request, *view_args, **view_kwargs)
            # Templates render lazily: render inside the block so their queries use the replica too.
            if hasattr(response, "render") and callable(response.render) and not response.is_rendered:
                response = response.render()
        return response
