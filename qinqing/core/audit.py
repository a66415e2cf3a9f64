"""The audit log: one record() used by every action, and verification of the hash chain.

Each row's hash is HMAC-SHA-256 (keyed by QINQING_AUDIT_KEY, kept outside the database) over its
canonical content and the previous row's hash, so changing, deleting or reordering a row breaks the
chain at that row, and someone who can write to the database but lacks the key cannot re-seal it;
verify_chain() finds the first break. The database also refuses updates and deletes (audit_guard).

Lock order: the chain head's row lock orders every writer of the chain and is held until its transaction
commits. A transaction takes it last, right before it commits: a short action does so by recording as its last
step; a long one (a background task) records inside ``written_at_end()``, which holds its rows back and writes
them when the block ends. So no writer waits on the head while holding it for long, and none takes other rows
after the head (which could deadlock with a writer that took those rows first and waits on the head).
"""

import contextlib
import hashlib
import hmac
import json
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import DatabaseError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit_guard, context
from .models import AuditChainHead, AuditEntry

GENESIS = "0" * 64
HASHED_FIELDS = (
    "created_at",
    "actor_id",
    "actor_name",
    "org_path",
    "ip",
    "request_id",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "before",
    "after",
    "success",
    "message",
)
_state = threading.local()  # per thread, as Django's connections are: the rows written_at_end() holds back


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def compute_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    payload = {name: _jsonable(fields.get(name)) for name in HASHED_FIELDS}
    created = fields.get("created_at")
    if isinstance(created, datetime):
        # Normalise to UTC microseconds so the value read back from any database hashes the same.
        payload["created_at"] = created.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")
    canonical = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    key = settings.QINQING_AUDIT_KEY.encode("utf-8")
    return hmac.new(key, (prev_hash + canonical).encode("utf-8"), hashlib.sha256).hexdigest()


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """A JSON-ready dict of a model instance's concrete fields, for before/after values."""
    names = list(fields) if fields is not None else [f.attname for f in obj._meta.concrete_fields]
    return {name: _jsonable(getattr(obj, name)) for name in names}


def diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose values changed."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def record(
    action: str,
    *,
    obj: models.Model | None = None,
    actor=None,
    object_type: str = "",
    object_id: str | int = "",
    object_repr: str = "",
    before: dict | None = None,
    after: dict | None = None,
    success: bool = True,
    message: str = "",
    ip: str | None = None,
    request_id: str | None = None,
) -> AuditEntry:
    """Append one audit row. Call inside the action's transaction so the row commits with the change (inside
    written_at_end(), the row is written when that block ends)."""
    ctx = context.current()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk or ""
        object_repr = object_repr or str(obj)[:255]
    actor_obj = actor if getattr(actor, "pk", None) else None
    fields = {
        "created_at": timezone.now(),
        "actor_id": actor_obj.pk if actor_obj else (ctx.user_id if ctx else None),
        "actor_name": (actor_obj.get_username() if actor_obj else "") or (ctx.username if ctx else "") or "system",
        "org_path": (getattr(getattr(actor_obj, "org", None), "path", "") if actor_obj else "")
        or (ctx.org_path if ctx else ""),
        "ip": ip or (ctx.ip if ctx else None),
        "request_id": request_id or (ctx.request_id if ctx else "") or context.new_request_id(),
        "action": action,
        "object_type": object_type,
        "object_id": str(object_id),
        "object_repr": object_repr[:255],
        "before": _jsonable(before) if before is not None else None,
        "after": _jsonable(after) if after is not None else None,
        "success": success,
        "message": message,
    }
    pending = getattr(_state, "pending", None)
    if pending is not None:
        pending.append((fields, _Held.mark()))
        return AuditEntry(**fields)  # written when written_at_end() ends (no id until then)
    return _append([fields])[0]


class _Held:
    """Whether a held-back row's work survived: an on_commit marker registered when the row was recorded. Django
    drops the markers registered inside a savepoint that rolls back (as it drops any on_commit callback there), so
    a row whose marker is gone, and never ran, belongs to rolled-back work and is not written."""

    __slots__ = ("connection", "ran")

    def __init__(self, connection) -> None:
        self.connection, self.ran = connection, False

    def __call__(self) -> None:  # the row's transaction committed before the block ended
        self.ran = True

    @classmethod
    def mark(cls) -> "_Held | None":
        connection = transaction.get_connection()
        if not connection.in_atomic_block:
            return None  # no transaction to roll back: the row is kept
        marks = _state.marks
        key = (id(connection), tuple(connection.savepoint_ids))  # one marker per savepoint stack
        held = marks.get(key)
        if held is None or held.ran:  # (ran: that transaction committed, this row is in a new one)
            held = marks[key] = cls(connection)
            connection.on_commit(held)
        return held

    @staticmethod
    def survivors(rows: list) -> list[dict[str, Any]]:
        """The rows whose work was not rolled back; the markers are taken off the commit hooks."""
        markers = {id(held) for _fields, held in rows if held is not None}
        live: set[int] = set()
        for connection in {held.connection for _fields, held in rows if held is not None}:
            live |= {id(func) for _sids, func, _robust in connection.run_on_commit if id(func) in markers}
            connection.run_on_commit = [hook for hook in connection.run_on_commit if id(hook[1]) not in markers]
        return [fields for fields, held in rows if held is None or held.ran or id(held) in live]


@contextlib.contextmanager
def written_at_end() -> Iterator[None]:
    """Hold back this block's record() rows and write them, in order, when it ends without an error.

    For long transactions (background tasks, imports, the demo seed): ``with transaction.atomic(),
    audit.written_at_end():`` — the rows commit with the work as before, but the chain head is locked only for their
    insert and the commit, not from the first record() to the end, so users' audited actions do not wait on the
    long work, and the long transaction never takes other rows while holding the head. Each row keeps the time of
    its record() call. Nested blocks write with the outermost one. Rows follow their work: if the block raises, or
    the transaction is marked for rollback, none is written; a row recorded inside a savepoint that rolled back
    (an import row refused by its own ``transaction.atomic()``) is dropped while the block goes on.
    """
    if getattr(_state, "pending", None) is not None:
        yield
        return
    _state.pending, _state.marks = [], {}
    try:
        yield
        rows = _Held.survivors(_state.pending)
        _state.pending = None
        if rows and not transaction.get_connection().needs_rollback:  # else the block's work is rolled back
            _append(rows)
    finally:
        if _state.pending:  # the block raised: its markers off the commit hooks too
            _Held.survivors(_state.pending)
        _state.pending, _state.marks = None, {}


def _append(rows: list[dict[str, Any]]) -> list[AuditEntry]:
    entries = []
    with transaction.atomic():
        connection = transaction.get_connection()
        if connection.vendor == "postgresql":
            # The checks PostgreSQL defers to COMMIT (every foreign key of the rows this transaction wrote) run now,
            # before the head is locked: a matching run's first pushes (3.3 M rows at a province) made its COMMIT
            # take 18.6 s while holding the head, and users' audited actions waited 11-17 s behind it. Django sets
            # the constraints back to deferred (the schema has no deferrable constraint initially immediate).
            connection.check_constraints()
        # The head's row lock orders every writer of the chain (held until commit: take it last).
        head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            try:  # the first row ever; a concurrent first writer may create the head before us
                with transaction.atomic():
                    AuditChainHead.objects.create(pk=1, last_hash=GENESIS, last_id=0)
            except DatabaseError:
                pass
            head = AuditChainHead.objects.select_for_update().get(pk=1)
        deferred = connection.vendor == "postgresql"
        prev = head.last_hash
        if deferred:
            # The head moves at commit (audit_guard.POSTGRES_HEAD_MOVE_INSTALL): rows this transaction already
            # wrote lie after it, and the newest of them is the link.
            newer = AuditEntry.objects.filter(id__gt=head.last_id).order_by("-id").values_list("hash", flat=True)
            prev = newer.first() or prev
        for fields in rows:
            entry = AuditEntry(prev_hash=prev, **fields)
            entry.hash = compute_hash(prev, fields)
            entry.save(force_insert=True)
            entries.append(entry)
            prev = entry.hash
        if not deferred:
            head.last_hash = entries[-1].hash
            head.last_id = entries[-1].pk
            head.save(update_fields=["last_hash", "last_id"])
    return entries


def chain_head() -> AuditChainHead | None:
    """The chain head as of now, for readers that compare it with the log.

    On PostgreSQL the head moves when the writing transaction commits; a reader inside that transaction
    first applies its pending move, so it sees its own rows' head as every other reader will after commit."""
    connection = transaction.get_connection()
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(f"SET CONSTRAINTS {audit_guard.HEAD_MOVE_TRIGGER} IMMEDIATE")
            cursor.execute(f"SET CONSTRAINTS {audit_guard.HEAD_MOVE_TRIGGER} DEFERRED")
    return AuditChainHead.objects.filter(pk=1).first()


@dataclass
class ChainReport:
    checked: int
    broken_id: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_id is None


def verify_chain(batch_size: int = 5000, start_hash: str = GENESIS) -> ChainReport:
    """Walk the log in id order; report the first row whose link or content does not verify.

    ``start_hash`` is the hash of the last row moved to an archived segment (audit_archive), if any."""
    prev = start_hash
    checked = 0
    last_id = 0
    values = ("id", "prev_hash", "hash", *(f for f in HASHED_FIELDS))
    while True:
        rows = list(AuditEntry.objects.filter(id__gt=last_id).order_by("id").values(*values)[:batch_size])
        if not rows:
            break
        for row in rows:
            if row["prev_hash"] != prev:
                return ChainReport(checked, row["id"], _("前一条摘要不符（记录被删除、插入或重排）"))
            if compute_hash(prev, row) != row["hash"]:
                return ChainReport(checked, row["id"], _("内容摘要不符（记录被篡改）"))
            prev = row["hash"]
            checked += 1
            last_id = row["id"]
    head = chain_head()
    if head and head.last_hash != prev:
        return ChainReport(checked, head.last_id, _("链头与最后一条记录不符（末尾记录被删除）"))
    return ChainReport(checked)
