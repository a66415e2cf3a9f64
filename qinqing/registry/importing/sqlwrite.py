"""Set-based reads and writes for the import engines, on SQLite and PostgreSQL.

- ``fetch``: the existing rows for a batch of keys, every value as canonical text, into a polars frame.
- ``insert``: new rows. PostgreSQL gets the frame as CSV through COPY straight into the table;
  SQLite one ``executemany`` INSERT. Both inside the caller's transaction, so a batch is all or nothing.
- ``update``: changed rows by key. PostgreSQL: COPY into a temporary table, then one UPDATE … FROM;
  SQLite: one ``executemany`` UPDATE.

The engines call ``insert`` only for keys that ``fetch`` did not find in the same transaction and the
table's unique constraints stay in force, so a row can never be written twice: a batch that clashes
with a concurrent writer fails whole and the job resumes from its last committed batch.

Identifiers come from model metadata, values travel as parameters or COPY data (never as SQL text).
"""

import io
import json

import polars as pl
from django.db import connection
from django.utils import timezone

from . import columnar


def qn(name: str) -> str:
    return connection.ops.quote_name(name)


def _pg() -> bool:
    return connection.vendor == "postgresql"


def fetch(table: str, key: str, keys: list, columns: dict[str, str]) -> pl.DataFrame:
    """Rows of ``table`` whose ``key`` is in ``keys``. ``columns`` maps column → kind: "int", "text"
    (blank stays ""), "nullable" (text or null), "decimal" (canonical two places) or "date"."""
    names = list(columns)
    select = ", ".join(qn(c) if columns[c] in ("int", "text") else f"CAST({qn(c)} AS TEXT)" for c in names)
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


def now_text() -> str:
    """created_at/updated_at for rows written now, as the backend's own text form."""
    now = timezone.now()
    return now.isoformat() if _pg() else connection.ops.adapt_datetimefield_value(now)


def _stamped(frame: pl.DataFrame, now, *names: str) -> pl.DataFrame:
    return frame.with_columns(*[pl.lit(now, dtype=pl.String).alias(n) for n in names])


def _copy(cursor, table: str, frame: pl.DataFrame) -> None:
    buffer = io.BytesIO()
    frame.write_csv(buffer, include_header=False, null_value="\\N")
    col_sql = ", ".join(qn(c) for c in frame.columns)
    with cursor.cursor.copy(f"COPY {qn(table)} ({col_sql}) FROM STDIN (FORMAT csv, NULL '\\N')") as copy:
        copy.write(buffer.getbuffer())


def insert(table: str, frame: pl.DataFrame, now: str, *, ids: bool = False) -> pl.Series | None:
    """Insert every row of ``frame`` (columns named as the table's) with created_at/updated_at = now.

    With ``ids``, return the new rows' ids in frame order without another query: PostgreSQL draws them
    from the table's sequence before the COPY; SQLite's AUTOINCREMENT gives one executemany consecutive
    ids (the transaction holds the write lock), read back from last_insert_rowid()."""
    if not frame.height:
        return pl.Series("id", [], dtype=pl.Int64) if ids else None
    frame = _stamped(frame, now, "created_at", "updated_at")
    with connection.cursor() as cursor:
        if _pg():
            new_ids = None
            if ids:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [table, frame.height],
                )
                new_ids = pl.Series("id", [r[0] for r in cursor.fetchall()], dtype=pl.Int64)
                frame = frame.with_columns(new_ids)
            _copy(cursor, table, frame)
            return new_ids
        col_sql = ", ".join(qn(c) for c in frame.columns)
        cursor.executemany(
            f"INSERT INTO {qn(table)} ({col_sql}) VALUES ({', '.join(['%s'] * frame.width)})",  # noqa: S608
            zip(*[frame[c].to_list() for c in frame.columns], strict=True),
        )
        if not ids:
            return None
        cursor.execute("SELECT last_insert_rowid()")
        last = cursor.fetchone()[0]
        first = last - frame.height + 1
        cursor.execute(f"SELECT COUNT(*) FROM {qn(table)} WHERE {qn('id')} BETWEEN %s AND %s", [first, last])  # noqa: S608
        if cursor.fetchone()[0] != frame.height:  # never expected: the batch rolls back rather than guess
            raise RuntimeError(f"{table}: new ids are not consecutive")
        return pl.Series("id", range(first, last + 1), dtype=pl.Int64)


def update(table: str, frame: pl.DataFrame, keys: list[str], now: str) -> None:
    """Set every non-key column of ``frame`` (and updated_at) on the rows matching its ``keys``."""
    if not frame.height:
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
