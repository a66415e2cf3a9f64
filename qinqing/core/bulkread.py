"""Read querysets into Polars frames in bulk, without building a Python object per row.

``read_frames([(queryset, fields, schema), …])`` returns one frame per query, with the schema's column names and
types, through the fastest path the connection allows:

- **PostgreSQL, outside a transaction: CSV COPY, the queries at once** (``parallel-copy``), each on its own
  short-lived psycopg connection in a thread, so PostgreSQL produces them on both cores while Polars parses.
  On an idle machine this was the fastest path at 1 M enterprises (1.58–1.63 s against 1.79–1.93 s by Arrow,
  docs/performance/matching.md) and it spends less CPU in our process (1.8–1.9 against 2.4–2.6 CPU-s): the
  lighter read also leaves more to a server under load. The Arrow path stays available (``arrow``): ADBC's
  PostgreSQL driver (``adbc-driver-postgresql``) runs the query as a binary ``COPY … TO STDOUT`` and builds
  Arrow arrays in C; Polars takes them through the Arrow C stream interface (no pyarrow). Decimal columns read
  as floats are cast to double precision in its query (see ``_sql``): the same doubles as the CSV path.
- **PostgreSQL inside a transaction: CSV COPY** on Django's own connection (``read_copy``), because another
  connection would not see the transaction's own uncommitted rows (re-matching after an edit, tests).
- **SQLite: rows.** ADBC's SQLite driver bundles its own copy of SQLite, which must never open the database
  Django holds (see registry.importing.sqlwrite), so SQLite reads go through ``values_list``.

On a deployment with a streaming replica (``DATABASE_REPLICA_URL``, core.replica), the parallel paths read from
the replica inside ``replica.replica_reads()`` (the matching run opts in) when the replica is healthy, has
replayed the primary's WAL as of the read's start (``_caught_up``: every row committed before the read is there,
so a run after an import sees it) and the caller is not inside a transaction; else, or when the replica fails
during the read, from the primary. Reads of a few rows on Django's connection (``copy``) stay on the primary.

Text columns come back with NULL as "" on every path (the COPY CSV path cannot tell them apart). Encrypted
columns are refused: a bulk read would return ciphertext where ``values_list`` returns the decrypted value.
"""

from __future__ import annotations

import io
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing

import polars as pl
import psycopg
import psycopg.errors
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import DatabaseError, connection, connections
from django.db.models import DecimalField, F, FloatField, QuerySet
from django.db.models.functions import Cast
from psycopg import generators as psycopg_generators

logger = logging.getLogger(__name__)

Read = tuple[QuerySet, list[str], dict]  # queryset, values_list fields, {column name: Polars type} in that order
HOWS = ("copy", "parallel-copy", "arrow")
DEFAULT_PARALLEL = "parallel-copy"


def read_frames(reads: list[Read], *, how: str | None = None) -> list[pl.DataFrame]:
    """One frame per (queryset, fields, schema).

    ``how`` None chooses: on PostgreSQL outside a transaction ``DEFAULT_PARALLEL`` (measured fastest, see
    docs/performance/matching.md), else ``copy`` (which on SQLite reads rows). The others are there for the
    benchmark and the equality tests: ``copy`` (one CSV COPY after another on Django's connection),
    ``parallel-copy`` (the same CSV COPYs at once, each on its own connection), ``arrow`` (ADBC, at once).
    """
    for queryset, fields, _schema in reads:
        _refuse_encrypted(queryset, fields)
    if how is None:
        parallel = connection.vendor == "postgresql" and not connection.in_atomic_block and len(reads) > 1
        how = DEFAULT_PARALLEL if parallel else "copy"
    if how not in HOWS:
        raise ValueError(f"how must be one of {HOWS}")
    if how == "copy" or not reads:
        return [read_copy(queryset, fields, schema) for queryset, fields, schema in reads]
    if how == "arrow":
        queries = [_sql(queryset, fields, schema) for queryset, fields, schema in reads]
        fetch = _fetch_arrow
    else:
        queries = [_copy_sql(queryset, fields) for queryset, fields, _schema in reads]
        fetch = _fetch_csv
    source = read_source()
    try:
        tables = _fetch_all(fetch, _conninfo(source), queries, _concurrency(source))
    except Exception as exc:  # psycopg's, ADBC's or Django's error: whichever, the primary reads (or raises)
        if source == "default":
            raise
        # The replica went away between its check and the read: the primary serves this read, and the replica
        # is left alone for its retry period (core.replica).
        logger.warning("bulk read: replica failed (%s), reading from the primary", exc)
        from qinqing.core import replica

        replica.mark_down()
        tables = _fetch_all(fetch, _conninfo("default"), queries, _concurrency("default"))
    return [_conform(table, schema) for table, (_qs, _fields, schema) in zip(tables, reads, strict=True)]


def _concurrency(source: str) -> int:
    """How many of the queries run at once: all of them on a replica; on the primary at most
    ``QINQING_BULK_READ_CONCURRENCY`` (0: all). Each query keeps a PostgreSQL backend busy for its whole read (the
    matching run's largest two took 6-21 s each at the province), and a backend has its own CPU priority, not the
    niced worker's: 1 leaves a two-core primary that also serves the pages one core for them (docs/jobs.md, "CPU
    priority"; docs/performance/province.md, sixth session)."""
    limit = int(getattr(settings, "QINQING_BULK_READ_CONCURRENCY", 0) or 0)
    return 0 if source != "default" else max(limit, 0)


def _fetch_all(fetch, conninfo: str, queries: list[str], concurrency: int = 0) -> list:
    """Each query on its own connection, ``concurrency`` at a time (0: all at once), the frames in query order."""
    workers = min(len(queries), concurrency) if concurrency else len(queries)
    with ThreadPoolExecutor(max_workers=max(workers, 1)) as pool:
        return list(pool.map(lambda sql: fetch(conninfo, sql), queries))


def read_source() -> str:
    """The database alias a parallel read uses: the replica when core.replica allows it here (configured, inside
    replica_reads(), outside a transaction, healthy) and it has caught up with the primary; else the primary."""
    from qinqing.core import replica

    if not replica.use_replica():
        return "default"
    return replica.REPLICA if _caught_up() else "default"


def _caught_up() -> bool:
    """Whether the replica has replayed the primary's WAL as of now, waiting up to
    ``QINQING_REPLICA_READ_WAIT`` seconds (streaming replication usually takes milliseconds). A matching run
    then sees every enterprise committed before it started, as a read from the primary would."""
    from qinqing.core import replica

    wait = float(getattr(settings, "QINQING_REPLICA_READ_WAIT", 5))
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            position = cursor.fetchone()[0]
        deadline = time.monotonic() + wait
        with connections[replica.REPLICA].cursor() as cursor:
            while True:
                cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [position])
                replayed = cursor.fetchone()[0]
                if replayed or replayed is None or time.monotonic() >= deadline:
                    break
                time.sleep(0.05)
    except DatabaseError as exc:
        logger.warning("bulk read: replica unreachable (%s), reading from the primary", exc)
        replica.mark_down()
        return False
    if not replayed:  # behind after the wait, or not a standby at all (NULL): the primary serves
        logger.warning("bulk read: replica %s, reading from the primary",
                       "not in recovery" if replayed is None else f"behind after {wait:g} s")  # fmt: skip
    return bool(replayed)


def read_copy(queryset: QuerySet, fields: list[str], schema: dict) -> pl.DataFrame:
    """Rows of ``queryset.values_list(*fields)`` as a frame through Django's connection; on PostgreSQL streamed
    with COPY … TO STDOUT (CSV parsed by Polars), about 5× faster than building a million Python tuples."""
    rows = queryset.values_list(*fields).order_by()
    if connection.vendor != "postgresql":
        return pl.DataFrame(list(rows), schema=schema, orient="row")
    sql, params = rows.query.sql_with_params()
    buffer = io.BytesIO()
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params) as copy,
    ):
        _drain(copy, cursor.cursor.connection.pgconn, buffer)
    return _parse_csv(buffer, schema)


def _parse_csv(buffer: io.BytesIO, schema: dict) -> pl.DataFrame:
    if not buffer.tell():
        return pl.DataFrame(schema=schema)
    buffer.seek(0)
    frame = pl.read_csv(buffer, has_header=False, new_columns=list(schema), schema_overrides=schema)
    return _text_null_as_blank(frame, schema)


def _copy_sql(queryset: QuerySet, fields: list) -> str:
    """The query as one SQL text with its parameters quoted by psycopg (ADBC takes no %s parameters, COPY none)."""
    sql, params = queryset.values_list(*fields).order_by().query.sql_with_params()
    connection.ensure_connection()
    return psycopg.ClientCursor(connection.connection).mogrify(sql, params)


def _fetch_csv(conninfo: str, sql: str) -> io.BytesIO:
    buffer = io.BytesIO()
    with (
        psycopg.connect(conninfo, autocommit=True) as conn,
        conn.cursor() as cursor,
        cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)") as copy,
    ):
        _drain(copy, conn.pgconn, buffer)
    return buffer


def _text_null_as_blank(frame: pl.DataFrame, schema: dict) -> pl.DataFrame:
    # COPY writes blank text as "" and NULL as nothing; callers' text columns are blank, never NULL.
    text = [name for name, dtype in schema.items() if dtype == pl.Utf8]
    return frame.with_columns([pl.col(name).fill_null("") for name in text]) if text else frame


def _model_field(queryset: QuerySet, name: str):
    """The model field a values_list name reads (following relations), or None for an annotation."""
    model, field = queryset.model, None
    for part in name.split("__"):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        model = field.related_model or model
    return field


def _refuse_encrypted(queryset: QuerySet, fields: list[str]) -> None:
    from qinqing.core.crypto.fields import EncryptedCharField

    for name in fields:
        if isinstance(_model_field(queryset, name), EncryptedCharField):
            raise ValueError(f"bulk reads return stored ciphertext, not the value: {name!r} is encrypted")


def _sql(queryset: QuerySet, fields: list[str], schema: dict) -> str:
    """The query for ADBC. Decimal columns read as floats are cast to double precision by PostgreSQL (its
    numeric → float8 goes through the decimal text and a correctly rounded parse, as Polars' CSV parse does):
    the driver would otherwise format every numeric as text in our process, three times the CPU of the rest."""
    columns = [
        Cast(F(name), FloatField()) if isinstance(_model_field(queryset, name), DecimalField) and dtype == pl.Float64
        else name
        for name, dtype in zip(fields, schema.values(), strict=True)
    ]  # fmt: skip
    return _copy_sql(queryset, columns)


def _conninfo(alias: str = "default") -> str:
    """Django's own connection parameters (database, user, host, port, TLS…) as a libpq connection string."""
    source = connections[alias]
    source.ensure_connection()
    info = source.connection.info
    return psycopg.conninfo.make_conninfo("", **info.get_parameters(), password=info.password or None)


def _fetch_arrow(conninfo: str, sql: str) -> pl.DataFrame:
    import adbc_driver_postgresql.dbapi as adbc  # imported on first use: only PostgreSQL deployments load it

    with closing(adbc.connect(conninfo)) as conn, closing(conn.cursor()) as cursor:
        cursor.execute(sql)
        return pl.DataFrame(cursor.fetch_arrow())


def _conform(table: pl.DataFrame | io.BytesIO, schema: dict) -> pl.DataFrame:
    """The schema's names and types; PostgreSQL numeric arrives as an opaque extension type holding the text."""
    if isinstance(table, io.BytesIO):
        return _parse_csv(table, schema)
    columns = []
    for (name, dtype), source in zip(schema.items(), table.columns, strict=True):
        column = pl.col(source)
        if isinstance(table.schema[source], pl.Extension):
            column = column.ext.storage()
        columns.append(column.cast(dtype).alias(name))
    return _text_null_as_blank(table.select(columns), schema)


def _drain(copy, pgconn, out: io.BytesIO) -> None:
    """Every row of a COPY … TO STDOUT into ``out``.

    PostgreSQL sends one message per row; psycopg's ``for block in copy`` costs ~2.5 µs of Python per message
    (5 s for a million enterprises and their figures). Rows libpq already holds are taken straight from
    ``PGconn.get_copy_data`` (non-blocking, ~0.3 µs); when it has none yet, psycopg's own ``read()`` waits
    for the network. At the end we collect the COPY's final result as psycopg's ``copy_from`` does (its
    generator, pinned psycopg 3.3; the PostgreSQL tests of read_frame cover it) and raise any error.
    """
    write = out.write
    if not hasattr(psycopg_generators, "_fetch_many"):  # another psycopg: its own (slower) iteration
        for block in copy:
            write(block)
        return
    get = pgconn.get_copy_data
    while True:
        nbytes, data = get(1)
        if nbytes > 0:
            write(data)
        elif nbytes == 0:  # nothing buffered: let psycopg wait (it may also see the end of the copy)
            block = copy.read()
            if not block:
                return
            write(block)
        else:  # -1: the copy is complete; fetch its result
            results = copy.connection.wait(psycopg_generators._fetch_many(pgconn))
            copy._finished = True
            if len(results) != 1 or results[0].status != psycopg.pq.ExecStatus.COMMAND_OK:
                raise psycopg.errors.error_from_result(results[-1], encoding=pgconn._encoding)
            return
