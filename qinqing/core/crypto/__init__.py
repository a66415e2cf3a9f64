"""Personal data sealed at rest with SM4-GCM, and blind indexes (HMAC-SM3) to find it again.

A sealed value is stored as text: ``sm4:<key id>:<base64 of nonce || ciphertext || tag>``; the key id is
also the additional authenticated data, so a value cannot be moved under another key id unnoticed.
The empty string stays empty (a blank field is not personal data, and ``exclude(field="")`` keeps
working). A blind index is HMAC-SM3 of the value under the index key, truncated to 128 bits, in hex:
equal values have equal indexes, and the index reveals nothing without the key.

Whole columns go through ``seal_many`` / ``open_many`` / ``blind_index_many`` (vectorised, see
``vector``); single values through ``seal`` / ``open`` / ``blind_index``. Keys come from
``keys.provider()``; model fields are in ``fields``.
"""

import base64
import binascii
from collections import defaultdict
from collections.abc import Iterable, Sequence

from .keys import UnknownKey, provider
from .sm import DecryptionError

PREFIX = "sm4:"
INDEX_HEX = 32  # 128 bits of HMAC-SM3

__all__ = [
    "DecryptionError",
    "UnknownKey",
    "blind_index",
    "blind_index_candidates",
    "blind_index_many",
    "is_sealed",
    "key_id_of",
    "open",
    "open_many",
    "seal",
    "seal_many",
]


def is_sealed(value: str | None) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


def key_id_of(token: str) -> str:
    return token[len(PREFIX) :].split(":", 1)[0]


def _aad(key_id: str) -> bytes:
    return f"qinqing:{key_id}".encode("ascii")


def seal_many(
    values: Sequence[str | None], key_id: str | None = None, *, share_equal: bool = False
) -> list[str | None]:
    """Seal each non-empty, not yet sealed value under the current (or the given) data key.

    ``share_equal``: equal values in this call get one sealed token (sealed once). Only for columns with
    a blind index, whose equal values are visibly equal already; the nonce is still fresh per distinct
    value, so no keystream is ever reused for two different values."""
    p = provider()
    key_id = key_id or p.current_data_key_id()
    todo = [i for i, v in enumerate(values) if v and not v.startswith(PREFIX)]
    out = list(values)
    if not todo:
        return out
    head = f"{PREFIX}{key_id}:"
    b64 = binascii.b2a_base64
    if share_equal:
        distinct = list(dict.fromkeys(values[i] for i in todo))
        sealed = p.seal_many(key_id, [v.encode("utf-8") for v in distinct], _aad(key_id))
        tokens = {v: head + b64(raw, newline=False).decode("ascii") for v, raw in zip(distinct, sealed, strict=True)}
        for i in todo:
            out[i] = tokens[values[i]]
        return out
    sealed = p.seal_many(key_id, [values[i].encode("utf-8") for i in todo], _aad(key_id))
    for i, raw in zip(todo, sealed, strict=True):
        out[i] = head + b64(raw, newline=False).decode("ascii")
    return out


def seal(value: str | None, key_id: str | None = None) -> str | None:
    return seal_many([value], key_id)[0]


def _split(token: str) -> tuple[str, bytes]:
    try:
        key_id, body = token[len(PREFIX) :].split(":", 1)
        return key_id, base64.b64decode(body, validate=True)
    except ValueError as exc:
        raise DecryptionError("malformed sealed value") from exc


def open_many(tokens: Sequence[str | None]) -> list[str | None]:
    """The plain values; values that are not sealed (empty, or not yet migrated) come back as they are."""
    out = list(tokens)
    by_key: dict[str, list[tuple[int, bytes]]] = defaultdict(list)
    for i, token in enumerate(tokens):
        if is_sealed(token):
            key_id, raw = _split(token)
            by_key[key_id].append((i, raw))
    p = provider()
    for key_id, items in by_key.items():
        plain = p.open_many(key_id, [raw for _i, raw in items], _aad(key_id))
        for (i, _raw), value in zip(items, plain, strict=True):
            out[i] = value.decode("utf-8")
    return out


def open(token: str | None) -> str | None:
    if not is_sealed(token):
        return token
    key_id, raw = _split(token)
    return provider().open_one(key_id, raw, _aad(key_id)).decode("utf-8")


def blind_index_many(values: Sequence[str | None]) -> list[str]:
    """The current index key's blind index of each value ("" for an empty value)."""
    todo = [i for i, v in enumerate(values) if v]
    out = [""] * len(values)
    if todo:
        (digests,) = provider().blind_indexes_many([values[i].encode("utf-8") for i in todo])
        for i, digest in zip(todo, digests, strict=True):
            out[i] = digest.hex()[:INDEX_HEX]
    return out


def blind_index(value: str | None) -> str:
    return blind_index_many([value])[0]


def blind_index_candidates(values: Iterable[str]) -> list[str]:
    """Every index the values may be stored under (all configured index keys): what a lookup matches."""
    values = [v for v in values if v]
    if not values:
        return []
    found = provider().blind_indexes_many([v.encode("utf-8") for v in values], all_keys=True)
    return sorted({digest.hex()[:INDEX_HEX] for per_key in found for digest in per_key})
