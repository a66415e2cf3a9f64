"""PostgreSQL staging of an import's batches through ADBC (``QINQING_IMPORT_PG_WRITE = "adbc"``).

``sqlwrite.Staging`` opens one ADBC connection per import (``connect``); each frame, cast to the target
table's column types (``columns_of``, ``typed``), goes as binary COPY from Arrow into a new unlogged table
``qq_import_stage_<pid>_<hex>`` (<pid>: the backend of the staging thread's Django connection), committed
at once, so the batch's transaction on the writer's connection reads it (``sqlwrite.attached`` drops it
after that transaction). Tables left by a killed worker (whose backend is gone) are dropped when the next
import opens its staging (``drop_left_over_stages``). ``ingest`` is ADBC's bulk ingest of a polars frame,
used by the SQLite staging too.
"""

import re
import uuid
from urllib.parse import quote

import adbc_driver_manager
import polars as pl
from django.db import connection

STAGE_PREFIX = "qq_import_stage_"


def qn(name: str) -> str:
    return connection.ops.quote_name(name)


def ingest(conn, table: str, frame: pl.DataFrame, mode: str) -> None:
    """Append (or create, by ``mode``) ``table`` from ``frame``'s Arrow columns, bound in C."""
    with adbc_driver_manager.AdbcStatement(conn) as statement:
        statement.set_options(**{"adbc.ingest.target_table": table, "adbc.ingest.mode": mode})
        statement.bind_stream(frame)  # polars' Arrow C stream
        statement.execute_update()


def connect() -> tuple:
    """An ADBC connection to Django's database and its database handle (close both, connection first)."""
    database = adbc_driver_manager.AdbcDatabase(driver=_pg_driver(), uri=_pg_uri())
    return adbc_driver_manager.AdbcConnection(database), database


def stage(conn, table: str, frame: pl.DataFrame, columns: dict[str, str], *, ids: bool) -> tuple:
    """``frame`` (to be written to ``table``, whose types are ``columns``) as a new unlogged scratch table;
    returns its name and, with ``ids``, the ids drawn now for the new rows (added to the staged rows)."""
    new_ids = draw_ids(table, frame.height) if ids else None
    if new_ids is not None:
        frame = frame.with_columns(new_ids)
    connection.ensure_connection()  # this thread's: its backend's pid names the table
    name = f"{STAGE_PREFIX}{connection.connection.info.backend_pid}_{uuid.uuid4().hex[:12]}"
    select = ", ".join(
        f"{qn(c)}" if c in columns else f"NULL::text AS {qn(c)}"  # e.g. the credit code that finds an id
        for c in frame.columns
    )
    with adbc_driver_manager.AdbcStatement(conn) as statement:
        statement.set_sql_query(
            f"CREATE UNLOGGED TABLE {qn(name)} AS SELECT {select} FROM {qn(table)} WITH NO DATA"  # noqa: S608
        )
        statement.execute_update()
    ingest(conn, name, typed(frame, columns), "adbc.ingest.mode.append")
    return name, new_ids


def _pg_driver() -> str:
    import adbc_driver_postgresql

    return adbc_driver_postgresql._driver_path()


def _pg_uri() -> str:
    """libpq's URI for Django's database (the same server, database, user and password)."""
    s = connection.settings_dict
    user = quote(s.get("USER") or "", safe="")
    password = f":{quote(str(s['PASSWORD']), safe='')}" if s.get("PASSWORD") else ""
    host = s.get("HOST") or ""
    host = f"[{host}]" if ":" in host else quote(host, safe="")
    port = f":{s['PORT']}" if s.get("PORT") else ""
    name = quote(s.get("NAME") or "", safe="")
    options = {
        k: v for k, v in (s.get("OPTIONS") or {}).items() if k in ("sslmode", "sslrootcert", "sslcert", "sslkey")
    }
    query = "&".join(f"{k}={quote(str(v), safe='')}" for k, v in options.items())
    return f"postgresql://{user}{password}@{host}{port}/{name}" + (f"?{query}" if query else "")


def draw_ids(table: str, count: int) -> pl.Series:
    """``count`` new ids from ``table``'s sequence. The sequence is named first: ``nextval`` of a constant
    costs a fifth of ``nextval(pg_get_serial_sequence(…))``, which looks the sequence up again for every row."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        sequence = cursor.fetchone()[0]
        cursor.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, count])
        return pl.Series("id", [r[0] for r in cursor.fetchall()], dtype=pl.Int64)


_PG_TYPES = {"smallint": pl.Int16, "integer": pl.Int32, "bigint": pl.Int64, "date": pl.Date, "boolean": pl.Boolean}


def columns_of(table: str) -> dict[str, str]:
    """column → its PostgreSQL type (``format_type``: "numeric(16,2)", "character varying(18)", …)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
            "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
            [table],
        )
        return dict(cursor.fetchall())


def typed(frame: pl.DataFrame, columns: dict[str, str]) -> pl.DataFrame:
    """The frame's canonical text cast to the Arrow types that binary COPY must send for each column."""
    casts = []
    for name in frame.columns:
        kind = columns.get(name, "text")
        column = pl.col(name)
        if match := re.fullmatch(r"numeric\((\d+),(\d+)\)", kind):
            column = column.cast(pl.Decimal(int(match[1]), int(match[2])))
        elif kind == "boolean" and frame.schema[name] == pl.String:
            column = column.replace_strict({"1": True, "0": False}, default=None, return_dtype=pl.Boolean)
        elif kind == "date" and frame.schema[name] == pl.String:
            column = column.str.to_date("%Y-%m-%d")
        elif kind in _PG_TYPES:
            column = column.cast(_PG_TYPES[kind])
        else:
            column = column.cast(pl.String)
        casts.append(column)
    return frame.select(casts)


def drop_left_over_stages() -> None:
    """Drop scratch tables whose import's backend is gone (a killed worker's)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relkind = 'r' AND relnamespace = current_schema()::regnamespace "
            "AND relname LIKE %s",
            [STAGE_PREFIX.replace("_", "\\_") + "%"],
        )
        names = [r[0] for r in cursor.fetchall()]
        if not names:
            return
        cursor.execute("SELECT pid FROM pg_stat_activity")
        alive = {r[0] for r in cursor.fetchall()}
        for name in names:
            pid = name[len(STAGE_PREFIX) :].split("_")[0]
            if not pid.isdigit() or int(pid) not in alive:
                cursor.execute(f"DROP TABLE IF EXISTS {qn(name)}")
