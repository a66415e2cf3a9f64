"""Policy push rollups (qinqing.core.rollups): the figures page, its API, the home card 已推送政策 and the report
figures 政策精准推送 / 企业已查看的推送 read a few hundred rollup rows instead of counting the pushes of a subtree
(3.3 M after a province's first matching run: 0.4–1.6 s a statement with ``org_path LIKE``).

- ``PUSHES``: pushes per local day of ``created_at`` × organisation path, ``sent`` (every push) and ``opened``
  (``opened_at`` set); ``PUSHES_MONTHS`` the same per month (its 1st), for whole months and all-time totals.
- ``REACH``: enterprises with at least one push per subtree ("/a/b/": every ancestor of a push's path). It cannot
  be summed from daily rows (an enterprise pushed twice counts once), so two small tables keep it:
  ``PushedEnterprise`` holds each (enterprise, path) pair that has a push, ``PushReach`` per subtree the number of
  enterprises whose pairs' paths lie under it. A push batch inserts its pairs with ``ON CONFLICT DO NOTHING
  RETURNING``: only a pair new to the table (the enterprise's first push under that path, in practice its first
  push at all) changes the reach, and the unique index makes two transactions pushing the same new pair take
  turns, so the pair is counted once. A matching run that pushes policy after policy to the same enterprises
  costs one extra indexed statement per 1,000 pushes and no other read.

Who keeps them, in the writer's transaction:
- ``actions._push`` (every push: a matching run, a re-match, staff pushing) counts what it inserted
  (``count_new_pushes``: the rows the INSERT … RETURNING gave back, per path in Python, one upsert per table);
- ``actions.mark_push_opened`` wraps its update in ``opened_tracking``;
- ``PolicyPush.save()/delete()`` (``RolledUpModel`` and ``ReachChange``) for single rows (tests, the shell);
- a deleted policy or enterprise takes its pushes by cascade without a delete() of theirs: pre_delete and
  post_delete receivers (apps.py) subtract them (``PushRemoval``, ``enterprise_change``), whoever deletes;
- the registry's merge of a provisional enterprise moves its pushes with ``QuerySet.update`` (a duplicate goes by
  its ``delete()``): it wraps them in ``enterprise_change`` of both enterprises (the reach; the counts keep).
Any other bulk writer (a generator writing with COPY, raw SQL) leaves them behind:
``manage.py rebuild_rollups policies_pushes policies_pushes_months policies_reach`` rebuilds them from the pushes.

Known limit, as for other read-then-write rollups: a policy deleted while a concurrent transaction pushes another
policy to an enterprise whose only pair is the deleted policy's may drop that pair (the pushes are then exact,
the reach one short until a rebuild). A policy with pushes can only be deleted once withdrawn, so it is rare.
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import replace

from django.db import connections, router, transaction
from django.db.models import DateField, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from qinqing.core import rollups as core

PUSHES = core.Rollup(
    name="policies_pushes",
    months="policies_pushes_months",
    source="policies.PolicyPush",
    target="policies.PushRollup",
    day=TruncDate("created_at"),
    path="org_path",
    counts={"sent": Q(), "opened": Q(opened_at__isnull=False)},
    depends_on=frozenset({"created_at", "org_path", "opened_at"}),
)
PUSHES_MONTHS = replace(
    PUSHES,
    name="policies_pushes_months",
    months="",
    target="policies.PushMonthRollup",
    day=TruncMonth(TruncDate("created_at"), output_field=DateField()),
)
COUNTED = (PUSHES, PUSHES_MONTHS)

ROWS_PER_STATEMENT = 1000
ENTERPRISES_PER_QUERY = 5000
_state = threading.local()  # pushes held back by counted_at_end()


def ancestors(path: str) -> list[str]:
    """The subtrees a push under ``path`` belongs to: its prefixes ending in "/" ("/A/B/" → "/", "/A/", "/A/B/")."""
    return [path[: i + 1] for i, ch in enumerate(path or "") if ch == "/"]


def _subtrees(paths: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for path in paths:
        out.update(ancestors(path))
    return out


class ReachRollup(core.Rollup):
    """Enterprises reached per subtree (``PushReach``, key ``org_path`` alone), kept from the (enterprise, path)
    pairs of ``PushedEnterprise`` (see the module's text), not per push row: ``source`` names no model, so
    ``RolledUpModel`` never asks it for contributions."""

    @property
    def key_columns(self) -> list[str]:
        return ["org_path"]

    def contributions(self, pks: Iterable) -> dict:  # not per push row: see the module's text
        raise NotImplementedError("the reach is kept per (enterprise, path) pair")

    @staticmethod
    def answers(scope_path: str) -> bool:
        """Whether a row gives this scope (a subtree path ends in "/"; anything else is counted directly)."""
        return scope_path.endswith("/")

    def value(self, scope_path: str) -> int:
        """Distinct enterprises with a push whose path starts with ``scope_path``."""
        if not self.answers(scope_path):
            from .models import PolicyPush

            return PolicyPush.objects.filter(org_path__startswith=scope_path).values("enterprise").distinct().count()
        row = self.target_model._default_manager.filter(org_path=scope_path).values_list("enterprises").first()
        return row[0] if row else 0

    def rebuild(self, batch_size: int = 5000) -> int:
        """Both tables from the pushes: the distinct pairs (one INSERT … SELECT), then per subtree the enterprises
        under it (one INSERT … SELECT on PostgreSQL; streamed in enterprise order in Python elsewhere)."""
        from .models import PolicyPush, PushedEnterprise

        reach = self.target_model
        using = router.db_for_write(reach)
        conn = connections[using]
        q = conn.ops.quote_name
        pairs, pushes = q(PushedEnterprise._meta.db_table), q(PolicyPush._meta.db_table)
        with transaction.atomic(using=using), conn.cursor() as cursor:
            reach._default_manager.all().delete()
            PushedEnterprise._default_manager.all().delete()
            cursor.execute(
                f"INSERT INTO {pairs} (enterprise_id, org_path) "  # noqa: S608 (table names from the models' meta)
                f"SELECT DISTINCT enterprise_id, org_path FROM {pushes}"
            )
            if conn.vendor == "postgresql":
                cursor.execute(
                    f"INSERT INTO {q(reach._meta.db_table)} (org_path, enterprises) "  # noqa: S608
                    f"SELECT left(org_path, p), count(DISTINCT enterprise_id) "
                    f"FROM {pairs}, generate_series(1, length(org_path)) AS p "
                    f"WHERE substr(org_path, p, 1) = '/' GROUP BY 1"
                )
                return cursor.rowcount
            counts: Counter[str] = Counter()
            current, paths = None, []
            rows = PushedEnterprise._default_manager.order_by("enterprise_id").values_list("enterprise_id", "org_path")
            for enterprise, path in rows.iterator(chunk_size=batch_size):
                if enterprise != current:
                    counts.update(_subtrees(paths))
                    current, paths = enterprise, []
                paths.append(path)
            counts.update(_subtrees(paths))
            reach._default_manager.bulk_create(
                [reach(org_path=path, enterprises=n) for path, n in counts.items()], batch_size=batch_size
            )
            return len(counts)


REACH = ReachRollup(
    name="policies_reach",
    source="",
    target="policies.PushReach",
    day=None,
    path="org_path",
    counts={"enterprises": Q()},
)

core.register(PUSHES, PUSHES_MONTHS, REACH)


# ---------------------------------------------------------------------- reading
def totals(scope_path: str) -> dict[str, int]:
    """Pushes sent and opened under ``scope_path``, all time: the monthly rows of the subtree (one query)."""
    found = PUSHES_MONTHS.rows(scope_path).aggregate(sent=Sum("sent"), opened=Sum("opened"))
    return {"sent": found["sent"] or 0, "opened": found["opened"] or 0}


def reached(scope_path: str) -> int:
    """Distinct enterprises with at least one push under ``scope_path``."""
    return REACH.value(scope_path)


# ---------------------------------------------------------------------- keeping them
def count_new_pushes(created_at, pushed: list[tuple[int, str]]) -> None:
    """Count pushes just inserted, from what the insert wrote: (enterprise id, org_path) of each, all stored with
    ``created_at``. Inside ``counted_at_end()`` they are counted when that block ends, else now."""
    if not pushed:
        return
    pending = getattr(_state, "pending", None)
    if pending is not None:
        pending.append((created_at, pushed))
    else:
        _count([(created_at, pushed)])


@contextmanager
def counted_at_end() -> Iterator[None]:
    """Hold back the counting of the pushes inserted in the block until it ends without an error. For a transaction
    pushing several policies (a re-match): the rollup rows and new pairs it locks (held to commit) are then taken
    after all its pushes, in key order, right before the audit chain head — the lock order of the matching paths —
    and not between two policies' pushes, where a matching run pushing the next policy to the same enterprise
    would wait on them while holding that push (a deadlock: test_lock_order)."""
    if getattr(_state, "pending", None) is not None:
        yield
        return
    _state.pending = []
    try:
        yield
        batches = _state.pending
        _state.pending = None
        _count(batches)
    finally:
        _state.pending = None


def _count(batches: list[tuple]) -> None:
    """The sent counts per day and path in Python, one upsert per table (keys in order); the pairs (one INSERT …
    ON CONFLICT DO NOTHING per 1,000, in order) and, for the pairs that were new, the reach."""
    by_day: Counter[tuple] = Counter()
    pairs: set[tuple[int, str]] = set()
    for created_at, pushed in batches:
        day = timezone.localdate(created_at)
        by_day.update((day, path) for _enterprise, path in pushed)
        pairs.update(pushed)
    if not by_day:
        return
    by_month: Counter[tuple] = Counter()
    for (day, path), n in by_day.items():
        by_month[(day.replace(day=1), path)] += n
    PUSHES.apply({}, {key: (by_day[key], 0) for key in sorted(by_day)})
    PUSHES_MONTHS.apply({}, {key: (by_month[key], 0) for key in sorted(by_month)})
    new = _insert_pairs(sorted(pairs))
    if not new:
        return
    added: dict[int, set[str]] = defaultdict(set)
    for enterprise, path in new:
        added[enterprise].add(path)
    now = _pairs_of(added)
    _apply_reach({e: paths - added[e] for e, paths in now.items()}, now)


@contextmanager
def opened_tracking(pks: list[int]) -> Iterator[None]:
    """Keep the sent/opened counts in step with an update of ``opened_at`` on the pushes ``pks`` in the block."""
    with ExitStack() as stack:
        for rollup in COUNTED:
            stack.enter_context(rollup.tracking(pks))
        yield


class ReachChange:
    """The reach of a few enterprises around a change of their pushes (a single push saved or deleted, the pushes
    of a provisional enterprise moved to another): ``done()`` compares their pairs as stored then with the pairs
    of their pushes then and writes the difference (read at the end, not at the start: a change made inside the
    block by a push's own ``delete()`` has already been written). With ``pushes=True`` the per-day counts of their
    pushes are kept too (the enterprise deleted: its pushes go by cascade)."""

    def __init__(self, enterprises: Iterable[int | None], *, pushes: bool = False) -> None:
        from .models import PolicyPush

        self.enterprises = sorted({int(e) for e in enterprises if e is not None})
        self.pks: list[int] = []
        self.counted: list[dict] = []
        if pushes:
            rows = PolicyPush._base_manager.filter(enterprise_id__in=self.enterprises)
            self.pks = list(rows.values_list("pk", flat=True))
            self.counted = [rollup.contributions(self.pks) for rollup in COUNTED]

    def done(self) -> None:
        from .models import PolicyPush, PushedEnterprise

        if self.pks:
            for rollup, before in zip(COUNTED, self.counted, strict=True):
                rollup.apply(before, rollup.contributions(self.pks))
        before = _pairs_of(self.enterprises)
        after: dict[int, set[str]] = defaultdict(set)
        rows = PolicyPush._base_manager.filter(enterprise_id__in=self.enterprises).order_by()
        for enterprise, path in rows.values_list("enterprise_id", "org_path").distinct():
            after[enterprise].add(path)
        gone = Q()
        for enterprise, paths in before.items():
            for path in paths - after.get(enterprise, set()):
                gone |= Q(enterprise_id=enterprise, org_path=path)
        if gone:
            PushedEnterprise._default_manager.filter(gone).delete()
        _insert_pairs(sorted((e, p) for e, paths in after.items() for p in paths - before.get(e, set())))
        _apply_reach(before, after)


def enterprise_change(enterprises: Iterable[int]) -> ReachChange:
    """Before pushes of ``enterprises`` are moved to another enterprise by ``QuerySet.update`` (the registry's
    merge): call ``done()`` after, in the same transaction. The reach alone: a moved push keeps its day and path,
    and one dropped as a duplicate goes by its ``delete()``, which counts it (``RolledUpModel``)."""
    return ReachChange(enterprises)


class PushRemoval:
    """Around the deletion of the pushes ``qs`` (a policy's, by cascade): their counts are read before and
    subtracted by ``done()``; their enterprises' pairs that lost their last push go, and the reach with them
    (one query per 5,000 enterprises, an EXISTS probe per pair)."""

    def __init__(self, qs: QuerySet) -> None:
        self.counted = [dict(rollup._split(row) for row in rollup._grouped(qs)) for rollup in COUNTED]
        self.enterprises = sorted(set(qs.order_by().values_list("enterprise_id", flat=True).distinct()))

    def done(self) -> None:
        from .models import PolicyPush, PushedEnterprise

        for rollup, before in zip(COUNTED, self.counted, strict=True):
            rollup.apply(before, {})
        for start in range(0, len(self.enterprises), ENTERPRISES_PER_QUERY):
            chunk = self.enterprises[start : start + ENTERPRISES_PER_QUERY]
            still = PolicyPush._base_manager.filter(
                enterprise_id=OuterRef("enterprise_id"), org_path=OuterRef("org_path")
            )
            rows = PushedEnterprise._default_manager.filter(enterprise_id__in=chunk).annotate(still=Exists(still))
            before: dict[int, set[str]] = defaultdict(set)
            after: dict[int, set[str]] = defaultdict(set)
            gone = []
            for pk, enterprise, path, kept in rows.values_list("pk", "enterprise_id", "org_path", "still"):
                before[enterprise].add(path)
                if kept:
                    after[enterprise].add(path)
                else:
                    gone.append(pk)
            if gone:
                PushedEnterprise._default_manager.filter(pk__in=gone).delete()
                _apply_reach(before, after)


def before_delete(sender, instance, **kwargs) -> None:
    """pre_delete of a Policy or an Enterprise (apps.py): note its pushes' counts before the cascade takes them."""
    from .models import Policy, PolicyPush

    if isinstance(instance, Policy):
        instance._push_removal = PushRemoval(PolicyPush._base_manager.filter(policy_id=instance.pk))
    else:
        instance._push_removal = ReachChange([instance.pk], pushes=True)


def after_delete(sender, instance, **kwargs) -> None:
    """post_delete (same transaction as pre_delete: Django's collector deletes in one atomic block)."""
    removal = instance.__dict__.pop("_push_removal", None)
    if removal is not None:
        removal.done()


def _pairs_of(enterprises: Iterable[int]) -> dict[int, set[str]]:
    """The paths of each enterprise's pairs, as stored now."""
    from .models import PushedEnterprise

    ids = sorted(enterprises)
    out: dict[int, set[str]] = defaultdict(set)
    for start in range(0, len(ids), ENTERPRISES_PER_QUERY):
        rows = PushedEnterprise._default_manager.filter(enterprise_id__in=ids[start : start + ENTERPRISES_PER_QUERY])
        for enterprise, path in rows.values_list("enterprise_id", "org_path"):
            out[enterprise].add(path)
    return out


def insert_missing(model, fields: tuple[str, ...], rows: list[tuple], returning: tuple[str, ...]) -> list[tuple]:
    """Insert ``rows`` (values ready for the database) into ``model``'s ``fields``, 1,000 a statement, skipping
    those its unique index already holds: INSERT … ON CONFLICT DO NOTHING RETURNING ``returning`` (the same
    statement on PostgreSQL and SQLite); the returned values of the rows written."""
    meta = model._meta
    conn = connections[router.db_for_write(model)]
    q = conn.ops.quote_name
    columns = ", ".join(q(meta.get_field(name).column) for name in fields)
    back = ", ".join(q(meta.get_field(name).column) for name in returning)
    placeholders = f"({', '.join(['%s'] * len(fields))})"
    written: list[tuple] = []
    with conn.cursor() as cursor:
        for start in range(0, len(rows), ROWS_PER_STATEMENT):
            chunk = rows[start : start + ROWS_PER_STATEMENT]
            cursor.execute(
                f"INSERT INTO {q(meta.db_table)} ({columns}) VALUES {', '.join([placeholders] * len(chunk))} "  # noqa: S608 (names from meta)
                f"ON CONFLICT DO NOTHING RETURNING {back}",
                [value for row in chunk for value in row],
            )
            written += [tuple(row) for row in cursor.fetchall()]
    return written


def _insert_pairs(pairs: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Store the pairs; the ones that were not stored yet. Sorted pairs: two writers lock new pairs in one order."""
    from .models import PushedEnterprise

    fields = ("enterprise_id", "org_path")
    return [(int(e), p) for e, p in insert_missing(PushedEnterprise, fields, pairs, fields)]


def _apply_reach(before: dict[int, set[str]], after: dict[int, set[str]]) -> None:
    """Add to each subtree the enterprises now under it and not before, less those under it before and not now."""
    delta: Counter[str] = Counter()
    for enterprise in before.keys() | after.keys():
        was, now = _subtrees(before.get(enterprise, ())), _subtrees(after.get(enterprise, ()))
        for path in now - was:
            delta[path] += 1
        for path in was - now:
            delta[path] -= 1
    # Decreases on the "before" side: a row they bring to zero is deleted (Rollup.apply).
    REACH.apply(
        {(path,): (-delta[path],) for path in sorted(delta) if delta[path] < 0},
        {(path,): (delta[path],) for path in sorted(delta) if delta[path] > 0},
    )
