"""Where the keys come from: a small provider interface, so a deployment can plug in a cipher machine.

Two kinds of key, each with an id so that rotation can proceed row by row:
- data keys (SM4, 16 bytes) seal personal data; the id of the key that sealed a value is stored with
  it, so old values stay readable while ``manage.py rotate_keys`` re-seals them under the current key;
- index keys (HMAC-SM3, 32 bytes) make the blind indexes. Lookups try every configured index key,
  so they keep working while the rotation recomputes the indexes under the current one.

``LocalKeyProvider`` (the default) reads them, in this order, from
1. ``QINQING_KEY_FILE`` — a JSON file ``{"data": {"<id>": "<32 hex>"}, "data_current": "<id>",
   "index": {"<id>": "<64 hex>"}, "index_current": "<id>"}``, readable only by the application user
   and kept on another volume than the database (docs/deployment.md);
2. ``QINQING_DATA_KEYS`` / ``QINQING_INDEX_KEYS`` — ``id:hex,id:hex`` (the last listed is current
   unless ``QINQING_DATA_KEY_ID`` / ``QINQING_INDEX_KEY_ID`` names another);
3. only when ``QINQING_ALLOW_LOCAL_SECRET`` is on (single-machine mode, the default outside
   production): ``var/crypto_keys.json``, generated on first use. The system check
   ``qinqing.E_CRYPTO_KEYS`` refuses this default location when DEBUG is off.

A certified cipher machine (密码机) implements ``KeyProvider`` (``seal_many``/``open_many``/
``blind_indexes_many`` at least, keeping the keys inside the device) and is named by dotted path in
``QINQING_KEY_PROVIDER``.
"""

import json
import os
import secrets
import threading
from pathlib import Path

from django.conf import settings
from django.core.signals import setting_changed
from django.utils.module_loading import import_string

from . import sm, vector

KEY_ID_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")


class UnknownKey(LookupError):
    """A value was sealed under a key id the provider does not know (removed too early?)."""


def default_key_file() -> Path:
    return Path(settings.BASE_DIR) / "var" / "crypto_keys.json"


def _check_id(key_id: str) -> str:
    if not key_id or len(key_id) > 16 or not set(key_id) <= KEY_ID_CHARS:
        raise ValueError(f"key id {key_id!r}: 1–16 characters of [A-Za-z0-9_-]")
    return key_id


def parse_key_list(text: str, size: int) -> dict[str, bytes]:
    keys: dict[str, bytes] = {}
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        key_id, _, hex_key = item.partition(":")
        key = bytes.fromhex(hex_key.strip())
        if len(key) != size:
            raise ValueError(f"key {key_id!r}: {size} bytes expected, got {len(key)}")
        keys[_check_id(key_id.strip())] = key
    return keys


class KeyProvider:
    """The interface. Subclasses give the keys (``data_key``, ``current_data_key_id``, ``index_keys``);
    a cipher machine overrides the three operations instead and never hands a key out."""

    def current_data_key_id(self) -> str:
        raise NotImplementedError

    def data_key(self, key_id: str) -> bytes:
        raise NotImplementedError

    def data_key_ids(self) -> list[str]:
        raise NotImplementedError

    def index_keys(self) -> list[tuple[str, bytes]]:
        """(id, key) pairs, the current one first."""
        raise NotImplementedError

    # Operations (local implementations; a cipher machine overrides them).
    def seal_many(self, key_id: str, values: list[bytes], aad: bytes) -> list[bytes]:
        return vector.sm4_gcm_encrypt_many(self.data_key(key_id), values, aad)

    def open_many(self, key_id: str, sealed: list[bytes], aad: bytes) -> list[bytes]:
        return vector.sm4_gcm_decrypt_many(self.data_key(key_id), sealed, aad)

    def open_one(self, key_id: str, sealed: bytes, aad: bytes) -> bytes:
        return sm.sm4_gcm_decrypt(self.data_key(key_id), sealed, aad)

    def blind_indexes_many(self, values: list[bytes], *, all_keys: bool = False) -> list[list[bytes]]:
        """For each key (current first; only the current one unless all_keys), the HMACs of values."""
        keys = self.index_keys() if all_keys else self.index_keys()[:1]
        return [vector.hmac_sm3_many(key, values) for _id, key in keys]

    @property
    def describes(self) -> str:
        return type(self).__name__


class LocalKeyProvider(KeyProvider):
    """Keys from a key file, the environment (through settings) or, in single-machine mode, var/."""

    def __init__(self) -> None:
        self.source, data, data_current, index, index_current = self._load()
        if not data or not index:
            raise UnknownKey("no data or no index key configured (QINQING_KEY_FILE or QINQING_DATA_KEYS)")
        self._data = data
        self._data_current = data_current or list(data)[-1]
        self._index = index
        self._index_current = index_current or list(index)[-1]
        if self._data_current not in data or self._index_current not in index:
            raise UnknownKey("the current key id is not among the configured keys")

    def _load(self):
        path = getattr(settings, "QINQING_KEY_FILE", "")
        if path:
            return ("file", *self._read_file(Path(path)))
        data_text = getattr(settings, "QINQING_DATA_KEYS", "")
        index_text = getattr(settings, "QINQING_INDEX_KEYS", "")
        if data_text or index_text:
            return (
                "environment",
                parse_key_list(data_text, sm.KEY_BYTES),
                getattr(settings, "QINQING_DATA_KEY_ID", ""),
                parse_key_list(index_text, 32),
                getattr(settings, "QINQING_INDEX_KEY_ID", ""),
            )
        if not getattr(settings, "QINQING_ALLOW_LOCAL_SECRET", True):
            raise UnknownKey("QINQING_KEY_FILE or QINQING_DATA_KEYS/QINQING_INDEX_KEYS must be set")
        path = default_key_file()
        if not path.exists():
            _write_new_key_file(path)
        return ("default", *self._read_file(path))

    @staticmethod
    def _read_file(path: Path):
        doc = json.loads(path.read_text(encoding="utf-8"))
        data = {_check_id(k): bytes.fromhex(v) for k, v in doc.get("data", {}).items()}
        index = {_check_id(k): bytes.fromhex(v) for k, v in doc.get("index", {}).items()}
        if any(len(k) != sm.KEY_BYTES for k in data.values()) or any(len(k) != 32 for k in index.values()):
            raise ValueError(f"{path}: data keys are 16 bytes, index keys 32 bytes")
        return data, doc.get("data_current", ""), index, doc.get("index_current", "")

    def current_data_key_id(self) -> str:
        return self._data_current

    def data_key(self, key_id: str) -> bytes:
        try:
            return self._data[key_id]
        except KeyError:
            raise UnknownKey(f"unknown data key id {key_id!r}") from None

    def data_key_ids(self) -> list[str]:
        return list(self._data)

    def index_keys(self) -> list[tuple[str, bytes]]:
        current = (self._index_current, self._index[self._index_current])
        return [current, *((k, v) for k, v in self._index.items() if k != self._index_current)]


def new_key_document(data_id: str = "d1", index_id: str = "i1") -> dict:
    return {
        "data": {data_id: secrets.token_hex(sm.KEY_BYTES)},
        "data_current": data_id,
        "index": {index_id: secrets.token_hex(32)},
        "index_current": index_id,
    }


def _write_new_key_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first
        return
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(new_key_document(), handle)


_lock = threading.Lock()
_provider: KeyProvider | None = None


def provider() -> KeyProvider:
    global _provider
    if _provider is None:
        with _lock:
            if _provider is None:
                _provider = import_string(settings.QINQING_KEY_PROVIDER)()
    return _provider


def reset(**kwargs) -> None:
    """Forget the provider (settings changed in a test, or keys reloaded)."""
    global _provider
    prefixes = ("QINQING_KEY", "QINQING_DATA_KEY", "QINQING_INDEX_KEY", "QINQING_ALLOW_LOCAL_SECRET")
    if not kwargs or kwargs.get("setting", "").startswith(prefixes):
        _provider = None


setting_changed.connect(reset)
