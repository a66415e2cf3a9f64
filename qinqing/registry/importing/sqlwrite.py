"""Set-based reads and writes for the import engines, on SQLite and PostgreSQL.

- ``fetch``: the existing rows for a batch of keys, every value as canonical text, into a polars frame.
- ``insert``: new rows: one ``INSERT … SELECT`` from the batch's rows staged beforehand (``staging``), or,
  where nothing was staged, PostgreSQL gets the frame as CSV through COPY straight into the table and
  SQLite one ``executemany`` INSERT. All inside the caller's transaction, so a batch is all or nothing.
- ``staging``: before the batch's transaction, each frame goes through ADBC (Arrow columns, no Python
  object per value) to where the transaction reads it: SQLite's driver binds it in C into a scratch
  file attached to this connection; PostgreSQL's driver sends it as binary COPY into an unlogged
  scratch table of the target's column types (``pgstage``; ``QINQING_IMPORT_PG_WRITE = "adbc"``, the default:
  12% faster than ``"copy"``, CSV COPY inside the transaction, on the idle machine; the benchmark measures both).
- ``update``: changed rows by key: one UPDATE … FROM the staged rows, or else PostgreSQL: COPY into a
  temporary table, then one UPDATE … FROM; SQLite: one ``executemany`` UPDATE.

The engines call ``insert`` only for keys that ``fetch`` did not find in the same transaction and the
table's unique constraints stay in force, so a row can never be written twice: a batch that clashes
with a concurrent writer fails whole and the job resumes from its last committed batch.

Identifiers come from model metadata, values travel as parameters or COPY data (never as SQL text).
"""

import io
import json
import tempfile
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import adbc_driver_manager
import adbc_driver_sqlite
import polars as pl
from django.conf import settings
from django.db import connection
from django.utils import timezone

from . import columnar, pgstage
from .pgstage import STAGE_PREFIX, drop_left_over_stages, qn  # noqa: F401 -- STAGE_PREFIX importable here, as before
from .pgstage import draw_ids as _draw_ids
from .pgstage import ingest as _ingest


def _pg() -> bool:
    return connection.vendor == "postgresql"


def fetch(table: str, key: str, keys: list, columns: dict[str, str]) -> pl.DataFrame:
    """Rows of ``table`` whose ``key`` is in ``keys``. ``columns`` maps column → kind: "int", "text"
    (blank stays ""), "nullable" (text or null), "decimal" (canonical two places), "date" or "bool"
    ("1"/"0" on both databases: PostgreSQL would cast a boolean to "true")."""
    names = list(columns)

    def column_sql(c: str) -> str:
        if columns[c] in ("int", "text"):
            return qn(c)
        if columns[c] == "bool":
            return f"CASE WHEN {qn(c)} THEN '1' ELSE '0' END"
        return f"CAST({qn(c)} AS TEXT)"

    select = ", ".join(column_sql(c) for c in names)
    rows: list[tuple] = []
    with connection.cursor() as cursor:
        if keys:
            # The keys travel as one JSON parameter: binding (SQLite) or quoting (psycopg's client-side
            # cursor) 10,000 separate values costs more than the lookups themselves.
            if _pg():
                cast = "bigint" if isinstance(keys[0], int) else "text"
                within = f"= ANY(ARRAY(SELECT jsonb_array_elements_text(%s::jsonb)::{cast}))"
            else:
                within = "IN (SELECT value FROM json_each(%s))"
            cursor.execute(f"SELECT {select} FROM {qn(table)} WHERE {qn(key)} {within}", [json.dumps(keys)])  # noqa: S608
            rows = cursor.fetchall()
    schema = {c: pl.Int64 if columns[c] == "int" else pl.String for c in names}
    frame = pl.DataFrame(rows, schema=schema, orient="row")
    return frame.with_columns(
        *[columnar.canonical_decimal(frame[c]).alias(c) for c in names if columns[c] == "decimal"],
        *[pl.col(c).str.slice(0, 10) for c in names if columns[c] == "date"],
    )


def can_write_in_thread() -> bool:
    """A second connection sees what this one sees: not inside a transaction (a test's, or a caller's)
    and not SQLite's in-memory test database (shared cache: readers and the writer lock each other)."""
    if connection.in_atomic_block:
        return False
    return _pg() or not connection.is_in_memory_db()


def bulk_transaction() -> None:
    """Tune the current import transaction for bulk writes.

    PostgreSQL: ``synchronous_commit = off`` for this transaction only. A batch commits whole (its rows,
    audit row and the job's checkpoint together); a server crash may lose the last batches' commits,
    but then their checkpoint is lost with them and the resumed job writes them again.
    SQLite: no WAL checkpoint after every batch (``bulk_done`` runs one at the end)."""
    with connection.cursor() as cursor:
        if _pg():
            cursor.execute("SET LOCAL synchronous_commit TO off")
        else:
            cursor.execute("PRAGMA wal_autocheckpoint = 0")


def while_writing() -> None:
    """Use the reading connection's idle time while the worker writes: on SQLite, copy the batches
    already committed from the WAL into the database (a PASSIVE checkpoint runs beside a writer), so
    the checkpoint at the end has only the last batch left."""
    if not _pg():
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")


def bulk_done() -> None:
    if _pg():
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint = 1000")
        if not connection.in_atomic_block:
            cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")


def now_text(now=None) -> str:
    """created_at/updated_at for rows written ``now`` (default: now), as the backend's own text form."""
    now = now or timezone.now()
    return now.isoformat() if _pg() else connection.ops.adapt_datetimefield_value(now)


def _stamped(frame: pl.DataFrame, now, *names: str) -> pl.DataFrame:
    return frame.with_columns(*[pl.lit(now, dtype=pl.String).alias(n) for n in names])


def _copy(cursor, table: str, frame: pl.DataFrame) -> None:
    buffer = io.BytesIO()
    frame.write_csv(buffer, include_header=False, null_value="\\N")
    col_sql = ", ".join(qn(c) for c in frame.columns)
    with cursor.cursor.copy(f"COPY {qn(table)} ({col_sql}) FROM STDIN (FORMAT csv, NULL '\\N')") as copy:
        copy.write(buffer.getbuffer())


@dataclass
class Staged:
    """A frame's rows staged for the one transaction that writes them: in a scratch SQLite file (``path``,
    attached as ``alias`` by ``attached``) or in PostgreSQL's unlogged scratch table ``table``. ``ids``:
    the ids drawn for new rows (PostgreSQL, ``ids=True``)."""

    path: Path | None
    rows: int
    alias: str = ""
    table: str = ""
    ids: pl.Series | None = None


def pg_write() -> str:
    """How PostgreSQL receives a pipelined import's rows: "adbc" (the default: staged as binary COPY by ADBC's
    driver, then one INSERT … SELECT in the batch's transaction) or "copy" (CSV COPY inside the transaction;
    docs/performance/registry.md has both measured)."""
    return getattr(settings, "QINQING_IMPORT_PG_WRITE", "adbc")


# PostgreSQL stages through ADBC from this many rows: its connection and per-batch scratch tables cost a fixed
# few tenths of a second, which a small file's CSV COPY does not pay (2,000 rows under load: 1.7 s against 1.0 s).
PG_STAGE_FROM_ROWS = 20_000


def can_stage(rows: int | None = None) -> bool:
    """SQLite from 3.33 (UPDATE … FROM); PostgreSQL with ``pg_write() == "adbc"``, for an import of at least
    ``PG_STAGE_FROM_ROWS`` rows (``rows`` None: any size). Never inside a caller's transaction on PostgreSQL:
    the scratch table is written from another session."""
    import sqlite3

    if _pg():
        large = rows is None or rows >= PG_STAGE_FROM_ROWS
        return pg_write() == "adbc" and large and not connection.in_atomic_block
    return sqlite3.sqlite_version_info >= (3, 33)


def stage(frame: pl.DataFrame, directory: Path) -> Staged | None:
    """SQLite: write ``frame`` into a new scratch file in ``directory`` through ADBC's SQLite driver (Arrow
    columns bound in C, no Python object per value), so that the transaction's INSERT is one INSERT …
    SELECT run inside SQLite. Any thread may stage while the writer writes an earlier batch.

    ADBC brings its own copy of SQLite, and two copies in one process must never hold the same file at
    once (closing one's descriptor drops the other's POSIX locks). So the driver opens only its new
    scratch file, closes it before ``attached`` hands it to Django's connection, and never touches the
    database itself."""
    if _pg() or not frame.height:
        return None
    path = Path(directory) / f"{uuid.uuid4().hex}.sqlite3"
    with (
        adbc_driver_sqlite.connect(str(path)) as database,
        adbc_driver_manager.AdbcConnection(database) as conn,
    ):
        with adbc_driver_manager.AdbcStatement(conn) as statement:
            for pragma in ("PRAGMA journal_mode = OFF", "PRAGMA synchronous = OFF"):  # scratch data
                statement.set_sql_query(pragma)
                statement.execute_update()
        _ingest(conn, "rows", frame, "adbc.ingest.mode.create")
    return Staged(path, frame.height)


class Staging:
    """Where one import stages its batches (``stage``), opened once for the whole import:

    - SQLite: a scratch directory (``directory``, or a new temporary one removed at the end);
    - PostgreSQL: one ADBC connection. Each frame, cast to the target table's column types, goes as
      binary COPY into a new unlogged table ``qq_import_stage_<pid>_<hex>`` (<pid>: the backend of this
      thread's Django connection), committed at once, so the batch's transaction on the writer's
      connection reads it; ``attached`` drops it after that transaction. Tables left by a killed worker
      (whose backend is gone) are dropped when the next import opens its staging.
    Not thread-safe: one thread stages (the planning one) while another writes."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = Path(directory) if directory is not None else None
        self.conn = None
        self._resources: list = []
        self._columns: dict[str, dict[str, str]] = {}

    def __enter__(self) -> "Staging":
        if _pg():
            drop_left_over_stages()
            self.conn, database = pgstage.connect()
            self._resources = [self.conn, database]
        elif self.directory is None:
            temporary = tempfile.TemporaryDirectory(prefix="qinqing-import-")
            self.directory = Path(temporary.name)
            self._resources = [temporary]
        return self

    def __exit__(self, *exc) -> None:
        for resource in self._resources:
            resource.close() if hasattr(resource, "close") else resource.cleanup()
        self._resources = []

    def stage(self, table: str, frame: pl.DataFrame, *, ids: bool = False) -> Staged | None:
        """``frame`` (to be written to ``table``) staged; ``ids``: draw the new rows' ids now (PostgreSQL)."""
        if not frame.height:
            return None
        if not _pg():
            return stage(frame, self.directory)
        columns = self._columns.get(table) or self._columns.setdefault(table, pgstage.columns_of(table))
        name, new_ids = pgstage.stage(self.conn, table, frame, columns, ids=ids)
        return Staged(None, frame.height, table=name, ids=new_ids)


@contextmanager
def attached(staged: list["Staged | None"]):
    """Attach the staged files to this connection around one transaction (SQLite cannot ATTACH inside one),
    then detach and delete them. Inside a caller's transaction nothing is attached and ``insert`` binds
    the rows itself. PostgreSQL's scratch tables need no attaching; they are dropped afterwards."""
    present = [s for s in staged if s is not None]
    attach = present and not _pg() and not connection.in_atomic_block
    try:
        if attach:
            with connection.cursor() as cursor:
                for n, s in enumerate(present):
                    cursor.execute(f"ATTACH DATABASE %s AS {qn(f'qq_stage_{n}')}", [str(s.path)])
                    s.alias = f"qq_stage_{n}"
        yield
    finally:
        try:
            if attach:
                with connection.cursor() as cursor:
                    for s in present:
                        if s.alias:
                            cursor.execute(f"DETACH DATABASE {qn(s.alias)}")
                            s.alias = ""
        finally:
            for s in present:
                if s.path is not None:
                    s.path.unlink(missing_ok=True)
            tables = [s.table for s in present if s.table]
            if tables:
                with connection.cursor() as cursor:
                    cursor.execute(f"DROP TABLE IF EXISTS {', '.join(qn(t) for t in tables)}")


def _source(table: str, staged: Staged | None, frame: pl.DataFrame) -> str | None:
    """The attached table holding ``frame``'s rows, or None (nothing staged, or not attached)."""
    if staged is None or not (staged.alias or staged.table):
        return None
    if staged.rows != frame.height:  # never expected: the caller staged another frame
        raise RuntimeError(f"{table}: {staged.rows} rows staged, {frame.height} to write")
    return qn(staged.table) if staged.table else f"{qn(staged.alias)}.{qn('rows')}"


def insert(
    table: str,
    frame: pl.DataFrame,
    now: str,
    *,
    ids: bool = False,
    staged: Staged | None = None,
    fill: tuple[str, str, str, pl.DataFrame] | None = None,
) -> pl.Series | None:
    """Insert every row of ``frame`` (columns named as the table's) with created_at/updated_at = now.

    With ``ids``, return the new rows' ids in frame order without another query: PostgreSQL draws them
    from the table's sequence before the COPY (or when staging); SQLite's AUTOINCREMENT gives one statement consecutive
    ids (the transaction holds the write lock), read back from last_insert_rowid().

    ``staged``: ``frame``'s rows as ``Staging.stage`` wrote them, used when ``attached`` to this connection.
    ``fill`` = (column, key, other table, known): where ``column`` is null it becomes
    the id of the row of ``other table`` whose ``key`` equals this row's ``key`` (looked up inside the
    statement when staged, else taken from ``known``, a frame of ``key`` and ``id``); ``key`` itself is
    not inserted."""
    if not frame.height:
        return pl.Series("id", [], dtype=pl.Int64) if ids else None
    source = _source(table, staged, frame)
    if fill is not None and source is None:
        column, key, _other, known = fill
        frame = (
            frame.join(known.select(key, pl.col("id").alias("__id")), on=key, how="left")
            .with_columns(pl.coalesce(column, "__id").alias(column))
            .drop("__id", key)
        )
    if source is not None:
        return _insert_staged(table, frame, now, source, ids=ids, fill=fill, drawn=staged.ids)
    frame = _stamped(frame, now, "created_at", "updated_at")
    with connection.cursor() as cursor:
        if _pg():
            new_ids = _draw_ids(table, frame.height) if ids else None
            if new_ids is not None:
                frame = frame.with_columns(new_ids)
            _copy(cursor, table, frame)
            return new_ids
        col_sql = ", ".join(qn(c) for c in frame.columns)
        cursor.executemany(
            f"INSERT INTO {qn(table)} ({col_sql}) VALUES ({', '.join(['%s'] * frame.width)})",  # noqa: S608
            zip(*[frame[c].to_list() for c in frame.columns], strict=True),
        )
        return _new_ids(cursor, table, frame.height) if ids else None


def _insert_staged(
    table: str, frame: pl.DataFrame, now: str, source: str, *, ids: bool, fill, drawn: pl.Series | None
) -> pl.Series | None:
    """One INSERT … SELECT from the staged rows. SQLite: in their order (so AUTOINCREMENT's ids follow
    it); PostgreSQL: with the ids ``drawn`` when they were staged."""
    names = [c for c in frame.columns if fill is None or c != fill[1]]
    pg = _pg()
    if ids and pg:
        if drawn is None:  # never expected: the caller staged without ids
            raise RuntimeError(f"{table}: staged without ids")
        names = ["id", *names]
    main = "" if pg else "main."
    select = []
    for c in names:
        if fill is not None and c == fill[0]:
            _column, key, other, _known = fill
            select.append(
                f"COALESCE(s.{qn(c)}, (SELECT o.{qn('id')} FROM {main}{qn(other)} o WHERE o.{qn(key)} = s.{qn(key)}))"  # noqa: S608
            )
        else:
            select.append(f"s.{qn(c)}")
    col_sql = ", ".join(qn(c) for c in [*names, "created_at", "updated_at"])
    order = "" if pg else " ORDER BY s.rowid"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {qn(table)} ({col_sql}) SELECT {', '.join(select)}, %s, %s FROM {source} s{order}",  # noqa: S608
            [now, now],
        )
        if cursor.rowcount != frame.height:  # never expected: the batch rolls back rather than guess
            raise RuntimeError(f"{table}: {cursor.rowcount} staged rows inserted, {frame.height} expected")
        if not ids:
            return None
        return drawn if pg else _new_ids(cursor, table, frame.height)


def _new_ids(cursor, table: str, count: int) -> pl.Series:
    cursor.execute("SELECT last_insert_rowid()")
    last = cursor.fetchone()[0]
    first = last - count + 1
    cursor.execute(f"SELECT COUNT(*) FROM {qn(table)} WHERE {qn('id')} BETWEEN %s AND %s", [first, last])  # noqa: S608
    if cursor.fetchone()[0] != count:  # never expected: the batch rolls back rather than guess
        raise RuntimeError(f"{table}: new ids are not consecutive")
    return pl.Series("id", range(first, last + 1), dtype=pl.Int64)


def update(table: str, frame: pl.DataFrame, keys: list[str], now: str, *, staged: Staged | None = None) -> None:
    """Set every non-key column of ``frame`` (and updated_at) on the rows matching its ``keys``.
    ``staged``: as for ``insert`` (SQLite: one UPDATE … FROM the staged rows)."""
    if not frame.height:
        return
    source = _source(table, staged, frame)
    if source is not None:
        values = [c for c in frame.columns if c not in keys]
        set_sql = ", ".join([*(f"{qn(c)} = s.{qn(c)}" for c in values), f"{qn('updated_at')} = %s"])
        match = " AND ".join(f"t.{qn(k)} = s.{qn(k)}" for k in keys)
        with connection.cursor() as cursor:
            main = "" if _pg() else "main."
            cursor.execute(f"UPDATE {main}{qn(table)} AS t SET {set_sql} FROM {source} s WHERE {match}", [now])  # noqa: S608
        return
    frame = _stamped(frame, now, "updated_at")
    values = [c for c in frame.columns if c not in keys]
    with connection.cursor() as cursor:
        if _pg():
            temp = f"tmp_{table}"
            col_sql = ", ".join(qn(c) for c in frame.columns)
            # Column types without the table's constraints; dropped at commit, so a resumed batch starts clean.
            cursor.execute(f"DROP TABLE IF EXISTS {qn(temp)}")
            cursor.execute(
                f"CREATE TEMP TABLE {qn(temp)} ON COMMIT DROP AS SELECT {col_sql} FROM {qn(table)} WITH NO DATA"  # noqa: S608
            )
            _copy(cursor, temp, frame)
            set_sql = ", ".join(f"{qn(c)} = s.{qn(c)}" for c in values)
            match = " AND ".join(f"t.{qn(k)} = s.{qn(k)}" for k in keys)
            cursor.execute(f"UPDATE {qn(table)} t SET {set_sql} FROM {qn(temp)} s WHERE {match}")  # noqa: S608
            return
        set_sql = ", ".join(f"{qn(c)} = %s" for c in values)
        match = " AND ".join(f"{qn(k)} = %s" for k in keys)
        cursor.executemany(
            f"UPDATE {qn(table)} SET {set_sql} WHERE {match}",  # noqa: S608
            zip(*[frame[c].to_list() for c in [*values, *keys]], strict=True),
        )
