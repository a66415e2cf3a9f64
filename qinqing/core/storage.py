"""Stored files through Django's storage API, whatever the backend: a directory (one machine, or shared storage
mounted on every application server) or S3-compatible object storage (django-storages, ``QINQING_S3_BUCKET``).

Code never builds a path under the media directory itself: it names a file (``registry_imports/….xlsx``) and asks the
storage. Readers that need a real file (calamine, polars) get one from :func:`local_copy`.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage, default_storage


def local_path(name: str, storage: Storage | None = None) -> Path | None:
    """The file's own path when the storage is a file system, else None."""
    try:
        return Path((storage or default_storage).path(name))
    except NotImplementedError:  # object storage has no local path
        return None


@contextmanager
def local_copy(name: str, storage: Storage | None = None) -> Iterator[Path]:
    """A local path holding the stored file: the file itself on a file system, else a temporary copy that is
    removed afterwards. Raises FileNotFoundError when the storage has no such file."""
    storage = storage or default_storage
    own = local_path(name, storage)
    if own is not None:
        if not own.exists():
            raise FileNotFoundError(name)
        yield own
        return
    if not storage.exists(name):
        raise FileNotFoundError(name)
    with tempfile.NamedTemporaryFile(prefix="qinqing-", suffix=Path(name).suffix) as copy:
        with storage.open(name, "rb") as source:
            shutil.copyfileobj(source, copy, 1 << 20)
        copy.flush()
        yield Path(copy.name)


def replace(name: str, content: bytes | File, storage: Storage | None = None) -> str:
    """Store ``content`` under exactly ``name`` (an earlier file of that name is replaced, not renamed around)."""
    storage = storage or default_storage
    storage.delete(name)
    return storage.save(name, content if isinstance(content, File) else ContentFile(content))


def files_under(prefix: str, storage: Storage | None = None) -> Iterator[str]:
    """Every stored file's name under the folder ``prefix`` (recursively); nothing when it does not exist."""
    storage = storage or default_storage
    try:
        folders, files = storage.listdir(prefix)
    except FileNotFoundError:
        return
    base = prefix.rstrip("/")
    for file in files:
        yield f"{base}/{file}" if base else file
    for folder in folders:
        yield from files_under(f"{base}/{folder}" if base else folder, storage)
