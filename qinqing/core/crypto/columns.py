"""Sealed columns in bulk: the data migration that seals existing rows, its reverse, and key rotation.

Raw SQL (identifiers quoted, taken from model metadata; values always as parameters) in id order and
in batches, so a migration never loads model instances and a rotation can stop
after any committed batch and resume after the last id it wrote (the caller keeps that checkpoint).
"""

from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.db import connection as default_connection

from .. import crypto

BATCH = 5000


@dataclass(frozen=True)
class SealedColumn:
    table: str
    column: str
    index: str = ""  # the blind index column, if any

    @property
    def label(self) -> str:
        return f"{self.table}.{self.column}"


def sealed_columns() -> list[SealedColumn]:
    """Every EncryptedCharField of every installed model (with its blind index column)."""
    from .fields import EncryptedCharField

    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedCharField):
                index = model._meta.get_field(field.blind_index).column if field.blind_index else ""
                found.append(SealedColumn(model._meta.db_table, field.column, index))
    return sorted(found, key=lambda c: c.label)


def _batches(conn, col: SealedColumn, after: int, batch: int) -> Iterator[list[tuple[int, str]]]:
    q = conn.ops.quote_name
    c = q(col.column)
    sql = f"SELECT id, {c} FROM {q(col.table)} WHERE id > %s AND {c} IS NOT NULL AND {c} <> '' ORDER BY id"  # noqa: S608
    while True:
        with conn.cursor() as cursor:
            cursor.execute(f"{sql} LIMIT {int(batch)}", [after])
            rows = cursor.fetchall()
        if not rows:
            return
        yield rows
        after = rows[-1][0]


def _write(conn, col: SealedColumn, rows: list[tuple[str, str, int]]) -> None:
    """rows: (value, index, id)."""
    if not rows:
        return
    q = conn.ops.quote_name
    if col.index:
        sql = f"UPDATE {q(col.table)} SET {q(col.column)} = %s, {q(col.index)} = %s WHERE id = %s"  # noqa: S608
        params = rows
    else:
        sql = f"UPDATE {q(col.table)} SET {q(col.column)} = %s WHERE id = %s"  # noqa: S608
        params = [(value, pk) for value, _index, pk in rows]
    with conn.cursor() as cursor:
        cursor.executemany(sql, params)


def seal_plain(col: SealedColumn, conn=None, batch: int = BATCH) -> int:
    """Seal the values still in plain text and fill their blind index (migration forward); returns rows."""
    conn = conn or default_connection
    total = 0
    for rows in _batches(conn, col, 0, batch):
        plain = [(pk, v) for pk, v in rows if not crypto.is_sealed(v)]
        values = [v for _pk, v in plain]
        tokens = crypto.seal_many(values)
        indexes = crypto.blind_index_many(values) if col.index else [""] * len(values)
        _write(conn, col, [(t, i, pk) for (pk, _v), t, i in zip(plain, tokens, indexes, strict=True)])
        total += len(plain)
    return total


def open_sealed(col: SealedColumn, conn=None, batch: int = BATCH) -> int:
    """Back to plain text, blind index emptied (migration reverse); returns rows."""
    conn = conn or default_connection
    total = 0
    for rows in _batches(conn, col, 0, batch):
        sealed = [(pk, v) for pk, v in rows if crypto.is_sealed(v)]
        plain = crypto.open_many([v for _pk, v in sealed])
        _write(conn, col, [(p, "", pk) for (pk, _v), p in zip(sealed, plain, strict=True)])
        total += len(sealed)
    return total


def rotate_batches(col: SealedColumn, after: int = 0, batch: int = BATCH, conn=None) -> Iterator[tuple[int, int]]:
    """Re-seal under the current data key the values sealed under another one (or not sealed), and
    recompute blind indexes under the current index key. Yields (last id, rows rewritten) after each
    batch is written; the caller commits it together with its checkpoint."""
    conn = conn or default_connection
    current = crypto.provider().current_data_key_id()
    q = conn.ops.quote_name
    for rows in _batches(conn, col, after, batch):
        ids = [pk for pk, _v in rows]
        plain = crypto.open_many([v for _pk, v in rows])
        stale = [i for i, (_pk, v) in enumerate(rows) if not crypto.is_sealed(v) or crypto.key_id_of(v) != current]
        new_index = crypto.blind_index_many(plain) if col.index else None
        old_index: dict[int, str] = {}
        if col.index:
            marks = ", ".join(["%s"] * len(ids))
            with conn.cursor() as cursor:
                cursor.execute(f"SELECT id, {q(col.index)} FROM {q(col.table)} WHERE id IN ({marks})", ids)  # noqa: S608
                old_index = dict(cursor.fetchall())
        resealed = dict(zip(stale, crypto.seal_many([plain[i] for i in stale]), strict=True))
        out = []
        for i, (pk, value) in enumerate(rows):
            index = new_index[i] if new_index is not None else ""
            if i in resealed or (col.index and old_index.get(pk) != index):
                out.append((resealed.get(i, value), index, pk))
        _write(conn, col, out)
        yield rows[-1][0], len(out)


def key_census(col: SealedColumn, conn=None) -> dict[str, int]:
    """How many values of the column each data key id seals ("" for values still in plain text)."""
    conn = conn or default_connection
    counts: dict[str, int] = {}
    for rows in _batches(conn, col, 0, 20000):
        for _pk, value in rows:
            key = crypto.key_id_of(value) if crypto.is_sealed(value) else ""
            counts[key] = counts.get(key, 0) + 1
    return counts
