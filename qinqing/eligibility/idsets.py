"""Compact storage of a set of enterprise ids: sorted UInt32, stored as gaps, Arrow IPC, zstd-compressed.

16 million eligible pairs over 500 policies are 500 blobs of a few dozen KB, written in one statement each.
Storing the gaps between consecutive ids (small numbers) instead of the ids makes zstd's job easy: 30.7 M
ids take 26 MB instead of 88 MB, which is what PostgreSQL has to receive. (pyroaring would be smaller
still; Polars' own IPC writer avoids a new dependency and is fast both ways.) Blobs written before gaps were
used (column "id") still decode.
"""

from __future__ import annotations

import hashlib
import io

import polars as pl

EMPTY = pl.Series("id", [], dtype=pl.UInt32)


def encode(ids: pl.Series | list[int]) -> bytes:
    series = pl.Series("id", ids, dtype=pl.UInt32) if not isinstance(ids, pl.Series) else ids.cast(pl.UInt32)
    series = series.sort()
    gaps = series - series.shift(1, fill_value=0)  # sorted, so never negative
    buffer = io.BytesIO()
    pl.DataFrame({"gap": gaps}).write_ipc(buffer, compression="zstd")
    return buffer.getvalue()


def digest(ids: pl.Series) -> bytes:
    """A 128-bit BLAKE2 digest of the sorted ids: equal sets, equal digests; a re-run compares digests instead of
    fetching and decoding the stored set. Taken on the ids' raw bytes (no copy; hashlib releases the GIL)."""
    ids = ids.cast(pl.UInt32)
    if not ids.is_sorted():
        ids = ids.sort()
    return hashlib.blake2b(ids.rechunk().to_numpy(), digest_size=16).digest()


def decode(blob: bytes | memoryview | None) -> pl.Series:
    """The sorted ids (UInt32)."""
    if not blob:
        return EMPTY.clone()
    frame = pl.read_ipc(io.BytesIO(bytes(blob)))
    if "gap" in frame.columns:
        return frame.get_column("gap").cum_sum().cast(pl.UInt32).alias("id")
    return frame.get_column("id").cast(pl.UInt32)


def contains(blob: bytes | memoryview | None, enterprise_id: int) -> bool:
    ids = decode(blob)
    if ids.is_empty():
        return False
    index = ids.search_sorted(enterprise_id)
    return index < len(ids) and ids[index] == enterprise_id


def with_id(blob, enterprise_id: int, present: bool) -> tuple[bytes, int]:
    """The set with one id added or removed, and its new size."""
    ids = decode(blob)
    if present:
        ids = pl.concat([ids, pl.Series("id", [enterprise_id], dtype=pl.UInt32)]).unique()
    else:
        ids = ids.filter(ids != enterprise_id)
    return encode(ids), len(ids)


def with_ids(blob, changed: list[int], present: list[int]) -> tuple[bytes, int, bytes]:
    """The set where, of the ``changed`` ids, exactly those in ``present`` are members; its new size and digest."""
    ids = decode(blob)
    changed_series = pl.Series("id", changed, dtype=pl.UInt32)
    kept = ids.filter(~ids.is_in(changed_series.implode()))
    ids = pl.concat([kept, pl.Series("id", present, dtype=pl.UInt32)]).unique().sort()
    return encode(ids), len(ids), digest(ids)
