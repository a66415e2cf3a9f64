# ruff: noqa: E501 -- benchmark generator: SQL statements kept on one line
"""The SQL copy machinery of the province generator: ``INSERT … SELECT`` of a table's every column from a
template row with overrides, template tables, secondary indexes dropped around a bulk load, sequences."""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def define_uscc(cur) -> None:
    weights = ",".join(map(str, WEIGHTS))
    cur.execute(
        f"""
        create or replace function pg_temp.uscc(body text) returns text language sql immutable as $$
          select body || substr('{ALPHABET}', ((31 - sum((strpos('{ALPHABET}', substr(body, i::int, 1)) - 1) * w)
                 % 31) % 31)::int + 1, 1)
          from unnest(array[{weights}]) with ordinality as x(w, i)
        $$"""
    )


def columns(cur, table: str) -> list[tuple[str, str]]:
    cur.execute(
        "select column_name, data_type from information_schema.columns where table_schema = current_schema() "
        "and table_name = %s and is_generated = 'NEVER' order by ordinal_position",
        [table],
    )
    return cur.fetchall()


def insert(cur, table: str, source: str, overrides: dict[str, str] | None = None, *, shift: str = "") -> int:
    """INSERT INTO table SELECT … FROM source, where ``t`` is the template row: every column is the template's
    unless overridden; ``id`` is left to its sequence unless overridden; with ``shift`` (an SQL number of
    days) every date and timestamp column is moved back by it."""
    overrides = dict(overrides or {})
    names, exprs = [], []
    for column, kind in columns(cur, table):
        if column == "id" and column not in overrides:
            continue
        expr = overrides.get(column, f"t.{column}")
        if shift and column not in overrides:
            if kind == "date":
                expr = f"t.{column} - ({shift})::int"
            elif kind.startswith("timestamp"):
                expr = f"t.{column} - ({shift}) * interval '1 day'"
        names.append(column)
        exprs.append(expr)
    cur.execute(f"insert into {table} ({', '.join(names)}) select {', '.join(exprs)} from {source}")
    return cur.rowcount


def scalar(cur, sql: str, params=None):
    cur.execute(sql, params)  # no parameters: % stays SQL's operator
    return cur.fetchone()[0]


def templates(cur, name: str, select: str, what: str) -> int:
    """Temp table ``name`` of the demo rows to copy, numbered ``rn`` from 1; their count (none: stop)."""
    cur.execute(f"create temp table {name} on commit drop as {select}")
    n = scalar(cur, f"select count(*) from {name}")
    if not n:
        raise SystemExit(f"no demo {what} to copy: seed the demo first")
    return n


class IndexesDropped:
    """Drop a table's secondary indexes (not unique ones, nor those behind a constraint) for a bulk load; build
    them again."""

    def __init__(self, cur, tables: list[str]):
        self.cur, self.tables, self.defs = cur, tables, []

    def __enter__(self):
        for table in self.tables:
            self.cur.execute(
                "select i.relname, pg_get_indexdef(i.oid) from pg_index x join pg_class i on i.oid = x.indexrelid "
                "where x.indrelid = %s::regclass and not x.indisunique and not exists "
                "(select 1 from pg_constraint c where c.conindid = x.indexrelid)",
                [table],
            )
            for name, definition in self.cur.fetchall():
                self.defs.append(definition)
                self.cur.execute(f'drop index "{name}"')
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            for definition in self.defs:
                self.cur.execute(definition)


def sync_sequence(cur, table: str) -> None:
    cur.execute(
        f"select setval(pg_get_serial_sequence('{table}', 'id'), greatest(1, (select coalesce(max(id), 0) from {table})))"
    )
