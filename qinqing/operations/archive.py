"""The backup archive: a gzip-compressed tar with a manifest, optionally encrypted with SM4-GCM in chunks.

Layout inside the tar::

    manifest.json            format, time, engine, per-table row counts, audit head, sha256 and size of every file
    database/qinqing.sqlite3 (SQLite, a copy made with the online backup API)  or  database/qinqing.pgdump
    media/…                  uploaded files
    audit-checkpoints/…      the audit checkpoints kept outside the database (when configured)

Encrypted archives (a key configured) are the same bytes sealed in 1 MiB chunks with SM4-GCM (GB/T 32907):
each chunk's nonce is a random 8-byte prefix plus its counter, and its associated data carries the header,
the counter and a last-chunk flag, so reordered, dropped or truncated chunks fail to open. No ORM here.
"""

from __future__ import annotations

import hashlib
import os
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

MAGIC = b"QQBK\x01"
CHUNK = 1 << 20
TAG = 16
FORMAT = 1


class ArchiveError(Exception):
    """The archive cannot be read: wrong key, damaged or truncated file, checksum mismatch."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def parse_key(text: str) -> bytes:
    """A 128-bit SM4 key given as 32 hex digits."""
    try:
        key = bytes.fromhex(text.strip())
    except ValueError:
        raise ArchiveError("backup key must be 32 hexadecimal digits") from None
    if len(key) != 16:
        raise ArchiveError("backup key must be 32 hexadecimal digits (128 bits)")
    return key


def key_id(key: bytes) -> bytes:
    """8 bytes naming the key (so a restore with the wrong key says so before decrypting anything)."""
    return hashlib.sha256(b"qinqing-backup-key-id" + key).digest()[:8]


def _aad(header: bytes, counter: int, last: bool) -> bytes:
    return header + struct.pack(">IB", counter, 1 if last else 0)


def _nonce(prefix: bytes, counter: int) -> bytes:
    return prefix + struct.pack(">I", counter)


def encrypt_stream(src: BinaryIO, dst: BinaryIO, key: bytes) -> None:
    prefix = os.urandom(8)
    header = MAGIC + key_id(key) + prefix
    dst.write(header)
    counter = 0
    block = src.read(CHUNK)
    while True:
        following = src.read(CHUNK)
        last = not following
        encryptor = Cipher(algorithms.SM4(key), modes.GCM(_nonce(prefix, counter))).encryptor()
        encryptor.authenticate_additional_data(_aad(header, counter, last))
        sealed = encryptor.update(block) + encryptor.finalize() + encryptor.tag
        dst.write(struct.pack(">I", len(sealed)))
        dst.write(sealed)
        if last:
            return
        counter += 1
        block = following


def is_encrypted(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(len(MAGIC)) == MAGIC


def decrypt_stream(src: BinaryIO, dst: BinaryIO, key: bytes) -> None:
    header = src.read(len(MAGIC) + 16)
    if len(header) != len(MAGIC) + 16 or not header.startswith(MAGIC):
        raise ArchiveError("not an encrypted qinqing backup")
    if header[len(MAGIC) : len(MAGIC) + 8] != key_id(key):
        raise ArchiveError("the archive was encrypted with another key")
    prefix = header[len(MAGIC) + 8 :]
    counter = 0
    while True:
        size_bytes = src.read(4)
        if len(size_bytes) != 4:
            raise ArchiveError("archive truncated (no final chunk)")
        (size,) = struct.unpack(">I", size_bytes)
        sealed = src.read(size)
        if len(sealed) != size or size < TAG:
            raise ArchiveError("archive truncated inside a chunk")
        last = src.peek(1)[:1] == b"" if hasattr(src, "peek") else _at_end(src)
        body, tag = sealed[:-TAG], sealed[-TAG:]
        decryptor = Cipher(algorithms.SM4(key), modes.GCM(_nonce(prefix, counter), tag)).decryptor()
        decryptor.authenticate_additional_data(_aad(header, counter, last))
        try:
            dst.write(decryptor.update(body) + decryptor.finalize())
        except InvalidTag:
            raise ArchiveError(f"archive damaged or tampered with (chunk {counter} does not authenticate)") from None
        if last:
            return
        counter += 1


def _at_end(src: BinaryIO) -> bool:
    here = src.tell()
    more = src.read(1)
    src.seek(here)
    return more == b""


def iter_files(root: Path) -> Iterator[Path]:
    """Regular files below root, in a stable order (links are not followed)."""
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path


def manifest_bytes(manifest: dict) -> bytes:
    import json

    return json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")


def load_manifest(data: bytes) -> dict:
    import json

    manifest = json.loads(data.decode("utf-8"))
    if manifest.get("format") != FORMAT:
        raise ArchiveError(f"unsupported backup format {manifest.get('format')!r}")
    return manifest
