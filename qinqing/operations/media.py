"""Uploaded files in a backup, read and written through Django's default storage: a directory on this machine
or shared by every application server, or S3-compatible object storage (django-storages). The archive holds them
under ``media/<storage name>`` either way, so an archive made on one backend restores onto the other.
"""

from __future__ import annotations

import hashlib
import tarfile
import time
from collections.abc import Iterator
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage

from qinqing.core import storage

from . import archive


def stored_names() -> Iterator[str]:
    """Every file in the default storage, in a stable order."""
    return iter(sorted(storage.files_under("")))


def is_empty() -> bool:
    return next(storage.files_under(""), None) is None


class _Hashing:
    """A reader that hashes what tarfile copies out of it."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def add_to_tar(tar: tarfile.TarFile, files: dict) -> int:
    """Stream every stored file into ``tar`` as media/<name>; record its sha256 and size in ``files``.
    A file deleted while the backup runs is left out (it is no longer referenced once its row is gone)."""
    count = 0
    for name in stored_names():
        try:
            size = default_storage.size(name)
            handle = default_storage.open(name, "rb")
        except FileNotFoundError:
            continue
        with handle:
            info = tarfile.TarInfo(f"media/{name}")
            info.size = size
            info.mtime = int(time.time())
            reader = _Hashing(handle)
            tar.addfile(info, reader)
        files[info.name] = {"sha256": reader.digest.hexdigest(), "size": size}
        count += 1
    return count


def restore(unpacked: Path) -> int:
    """Write the archive's media/ files into the default storage under their own names."""
    source = unpacked / "media"
    count = 0
    for path in archive.iter_files(source):
        name = path.relative_to(source).as_posix()
        with path.open("rb") as handle:
            stored = storage.replace(name, File(handle, name=name))
        if stored != name:
            raise archive.ArchiveError(f"storage renamed {name} to {stored}")
        count += 1
    return count
