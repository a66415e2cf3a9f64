"""Run one import: read the file, validate it whole, then diff and write batch by batch.

Each batch commits in its own transaction together with the job's checkpoint (the next row to do and
the counts so far), so a worker killed mid-import resumes after the last committed batch; upserts make
a repeated batch harmless, so nothing is duplicated and nothing lost.
"""

import contextvars
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import nullcontext, suppress
from functools import partial
from pathlib import Path

from django.db import connections, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qinqing.core import audit

from ..chambers import importing as chambers
from ..enterprises import importing as enterprises
from ..members import importing as members
from . import limits, sqlwrite
from .columns import CHAMBER_COLUMNS, ENTERPRISE_COLUMNS, MEMBER_COLUMNS, map_headers
from .reader import UnreadableFile, read_table
from .report import ImportReport

BATCH_SIZE = 10_000
RAMP_FROM = 4_000  # batch sizes from which the first batch is a quarter (``_windows``)
# For pages and job titles.
TITLES = {
    "enterprises": gettext_lazy("企业名录"),
    "members": gettext_lazy("会员名册"),
    "chambers": gettext_lazy("商会名录"),
}
KINDS = {
    "enterprises": (ENTERPRISE_COLUMNS, enterprises),
    "members": (MEMBER_COLUMNS, members),
    "chambers": (CHAMBER_COLUMNS, chambers),
}


def _enterprises_changed(ids: list[int]) -> None:
    from qinqing.policies.actions import enterprises_changed

    enterprises_changed(ids)


def run_import(
    kind: str,
    path: str | Path,
    *,
    org,
    actor=None,
    filename: str | None = None,
    dry_run: bool = True,
    strict: bool = False,
    run=None,
    batch_size: int = BATCH_SIZE,
    on_batch: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import ``path`` into ``org``'s subtree. ``strict`` refuses the whole file if any row is bad."""
    columns, engine = KINDS[kind]
    report = ImportReport(kind=kind, dry_run=dry_run)
    try:
        limits.check_path(path, filename)  # size, expanded size, stated rows: before anything is parsed
        table = read_table(path, filename)
        limits.check_rows(len(table))
    except (UnreadableFile, limits.FileRefused) as exc:
        report.fatal = str(exc)
        return report
    report.encoding = table.encoding
    headers = map_headers(table.headers, columns)
    report.unknown_columns = headers.unknown
    report.ignored_columns = headers.ignored
    if headers.missing:
        report.fatal = _("缺少必填列：%(columns)s") % {"columns": "、".join(headers.missing)}
        return report
    if headers.duplicates:
        report.fatal = _("重复的列：%(columns)s") % {"columns": "、".join(headers.duplicates)}
        return report
    report.total_rows = int(table.nonempty.sum())
    data = engine.validate(table, headers, report.errors, report.notes)
    report.notes.sort(key=lambda n: n.row)
    scope = engine.Scope.for_org(org)
    if strict and report.errors and not dry_run:
        report.refused = True
        dry_run = True
    start = 0
    late_errors: list = []
    checkpoint = run.checkpoint if run is not None else {}
    if checkpoint.get("next") and not dry_run:
        start = checkpoint["next"]
        report.new, report.updated, report.unchanged = (checkpoint.get(k, 0) for k in ("new", "updated", "unchanged"))
        late_errors = _issues(checkpoint.get("late_errors", []))
        report.errors.extend(late_errors)
    good = data.good
    if run is not None:
        run.progress(start, len(good), _("正在预检") if dry_run else _("正在写入"), force=True)
    name = filename or Path(path).name

    def write(plan, offset: int, size: int, snapshot: dict, prepared) -> None:
        """One batch's rows, audit row and checkpoint, committed together (once the batch is prepared). The audit
        row is written last, after the checkpoint (``written_at_end``): the chain head, which every user's audited
        action waits for, is locked only for that insert and the commit."""
        staged = prepared.result() if isinstance(prepared, Future) else prepared
        with sqlwrite.attached(staged), transaction.atomic(), audit.written_at_end():
            sqlwrite.bulk_transaction()
            engine.write_batch(plan)
            if plan.new or plan.updated:
                audit.record(
                    f"registry.import_{kind}",
                    actor=actor,
                    object_type=f"registry.{kind}",
                    object_repr=_("%(name)s 第%(first)s-%(last)s条")
                    % {"name": name, "first": offset + 1, "last": offset + size},
                    after={**engine.audit_summary(plan), "job_id": run.job.pk if run is not None else None},
                )
            if run is not None:
                run.save_checkpoint(snapshot, done=snapshot["next"])

    def committed(done: int, plan) -> None:
        """After a batch committed, on this thread (not the writer's: its next batch is waiting)."""
        changed = getattr(engine, "changed_enterprise_ids", None)
        if changed is not None and (ids := changed(plan)):
            # Re-match those enterprises against the policies (and tell the newly eligible), in the background
            # for large batches. A failure there never undoes the import.
            transaction.on_commit(partial(_enterprises_changed, ids), robust=True)
        if run is not None:
            run.progress(done)
        if on_batch is not None:
            on_batch(done)

    writer = _Writer(enabled=not dry_run and getattr(engine, "PIPELINED", False))
    # Pipelined: each batch is prepared (personal numbers sealed, rows staged through ADBC: a scratch file
    # on SQLite, an unlogged scratch table on PostgreSQL, see sqlwrite.Staging) on a thread of its own,
    # while this thread plans the next batch and the writer thread writes the one before.
    prepare = getattr(engine, "prepare_batch", None) if writer.threaded else None
    staging = sqlwrite.Staging() if prepare is not None and sqlwrite.can_stage(len(good)) else nullcontext()
    with staging as area, _Preparer(prepare is not None) as preparer, writer:  # the writer drains first
        for offset, size in _windows(start, len(good), batch_size):
            batch = good[offset : offset + size]
            before = len(report.errors)
            with writer.reading():
                plan = engine.plan_batch(batch, data, scope, report.errors)
                late_errors.extend(report.errors[before:])
                report.new += plan.new
                report.updated += plan.updated
                report.unchanged += plan.unchanged
                snapshot = {
                    "next": offset + len(batch),
                    "new": report.new,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                    "late_errors": [e.as_list() for e in late_errors],
                }
                if not dry_run:
                    prepared = preparer.submit(prepare, plan, area) if prepare is not None else []
                    writer.submit(write, plan, offset, len(batch), snapshot, prepared)
            writer.then(committed, offset + len(batch), plan)
        if not dry_run:
            writer.submit(sqlwrite.bulk_done)
    report.errors.sort(key=lambda e: e.row)
    report.committed = not dry_run
    return report


def _windows(start: int, total: int, size: int):
    """(offset, rows) of each batch from ``start``. A full-size import's first batch is a quarter of the others,
    so the writer starts after a quarter of the planning and preparing (it is the slowest stage: the rest of
    the pipeline keeps ahead of it from there on)."""
    offset, first = start, size // 4 if size >= RAMP_FROM else size
    while offset < total:
        rows = min(first if offset == start else size, total - offset)
        yield offset, rows
        offset += rows


class _Writer:
    """Runs each batch's write either inline, inside the batch's read transaction, or, for engines whose
    batches are independent (``PIPELINED``: enterprises, whose credit codes are unique in a file), on one
    worker thread with its own connection, so the next batch is read and planned while the database
    writes this one. Batches still commit one after another, in file order, each with its checkpoint;
    ``then`` runs after the batch it follows has committed."""

    def __init__(self, enabled: bool) -> None:
        self.threaded = enabled and sqlwrite.can_write_in_thread()
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-writer") if self.threaded else None
        self.pending: Future | None = None
        self.after: tuple | None = None

    def __enter__(self) -> "_Writer":
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            try:
                if exc[0] is None:
                    self._drain()
                else:  # a batch already handed to the writer may still commit: its ``then`` runs all the same
                    with suppress(Exception):
                        self._drain()
            finally:
                self.pool.submit(connections.close_all)  # the worker's own connection
                self.pool.shutdown(wait=True)

    def reading(self):
        return nullcontext() if self.threaded else transaction.atomic()

    def submit(self, fn, *args) -> None:
        if not self.threaded:
            fn(*args)
            return
        self._drain()
        self.pending = self.pool.submit(contextvars.copy_context().run, fn, *args)

    def then(self, fn, *args) -> None:
        if not self.threaded:
            fn(*args)
            return
        if self.pending is None:  # nothing written (dry run): nothing to wait for
            fn(*args)
            return
        self.after = (fn, args)

    def _drain(self) -> None:
        if self.pending is not None:
            pending, self.pending = self.pending, None
            if not pending.done():
                sqlwrite.while_writing()
            try:
                pending.result()  # the write's exception, if any, surfaces here
            except BaseException:
                self.after = None  # that batch rolled back: nothing runs after it
                raise
        if self.after is not None:
            (fn, args), self.after = self.after, None
            fn(*args)


class _Preparer:
    """One thread that prepares each batch (``engine.prepare_batch``) in order, with its own database
    connection (PostgreSQL's scratch tables are named after it), closed at the end."""

    def __init__(self, enabled: bool) -> None:
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-prepare") if enabled else None

    def __enter__(self) -> "_Preparer":
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.submit(connections.close_all)
            self.pool.shutdown(wait=True)

    def submit(self, fn, *args) -> Future:
        return self.pool.submit(contextvars.copy_context().run, fn, *args)


def _issues(rows: list) -> list:
    from .report import RowIssue

    return [RowIssue(*row) for row in rows]
