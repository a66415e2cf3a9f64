"""Uploaded import files and their errors.csv are kept only as long as needed (PIPL; issue 11 §3).

Files in the import directory older than ``QINQING_IMPORT_RETENTION_DAYS`` (default 7) are deleted by
the hourly ``purge_import_files`` task (run_scheduler); one audit row records how many went.
"""

import time

from django.conf import settings
from django.core.files.storage import default_storage

from qinqing.core import audit, storage


def purge_import_files(now: float | None = None) -> int:
    from .tasks import IMPORT_DIR

    now = time.time() if now is None else now
    cutoff = now - settings.QINQING_IMPORT_RETENTION_DAYS * 86400
    removed = []
    for name in list(storage.files_under(IMPORT_DIR)):  # a directory or object storage alike
        if default_storage.get_modified_time(name).timestamp() < cutoff:
            default_storage.delete(name)
            removed.append(name.rsplit("/", 1)[-1])
    if removed:
        audit.record(
            "registry.purge_import_files",
            object_type="registry.import_file",
            after={"files": len(removed), "retention_days": settings.QINQING_IMPORT_RETENTION_DAYS},
            message=" ".join(sorted(removed))[:2000],
        )
    return len(removed)
