"""Background registry work: imports run as jobs with progress and a resumable checkpoint."""

import io
import tempfile
from contextlib import ExitStack
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.utils.translation import gettext as _
from django_tasks import task

from qinqing.accounts.models import User
from qinqing.core import storage
from qinqing.core.cellsafety import csv_writer
from qinqing.core.jobs import JobError, JobRunner, job_task
from qinqing.orgs.models import Organization

from .importing.runner import BATCH_SIZE, run_import

IMPORT_DIR = "registry_imports"


def upload_name(stored_name: str) -> str:
    """The storage name of an uploaded import file (default storage: a directory or object storage)."""
    return f"{IMPORT_DIR}/{stored_name}"


def errors_name(job_id: int) -> str:
    """The storage name of a job's errors.csv."""
    return f"{IMPORT_DIR}/job-{job_id}-errors.csv"


def import_dir() -> Path:
    """The import folder on a file-system storage (tests and tools; the platform itself names files through
    the storage API, so object storage works too)."""
    path = Path(settings.MEDIA_ROOT) / IMPORT_DIR
    path.mkdir(parents=True, exist_ok=True)
    return path


def errors_path(job_id: int) -> Path:
    return import_dir() / f"job-{job_id}-errors.csv"


def _write_errors(report, out) -> None:
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    writer = csv_writer(text)  # a quoted value cannot start a formula
    writer.writerow([_("行号"), _("列"), _("值"), _("原因")])
    for issue in report.errors:
        writer.writerow(issue.as_list())
    text.flush()
    text.detach()


def save_errors_csv(report, job_id: int) -> None:
    """A job's errors.csv into the default storage (spooled to disk when large)."""
    with tempfile.SpooledTemporaryFile(max_size=8 << 20) as out:
        _write_errors(report, out)
        out.seek(0)
        storage.replace(errors_name(job_id), File(out))


def write_errors_csv(report, path: Path) -> None:
    """errors.csv to a local file (manage.py import_enterprises --errors)."""
    with Path(path).open("wb") as out:
        _write_errors(report, out)


def run_import_job(run: JobRunner) -> dict:
    params = run.params
    with ExitStack() as stack:
        try:  # a local file for the readers: the stored one, or a copy of it from object storage
            path = stack.enter_context(storage.local_copy(upload_name(params["stored_name"])))
        except FileNotFoundError:
            raise JobError(_("导入文件已不存在，请重新上传")) from None
        org = Organization.objects.get(pk=params["org_id"])
        actor = User.objects.filter(pk=params.get("user_id")).first()
        report = run_import(
            params["kind"],
            path,
            org=org,
            actor=actor,
            filename=params.get("filename"),
            dry_run=params.get("dry_run", True),
            strict=params.get("strict", False),
            run=run,
            # Rows per committed batch; a job may ask for smaller batches (the crash test does).
            batch_size=int(params.get("batch_size") or BATCH_SIZE),
        )
    save_errors_csv(report, run.job.pk)
    run.job.message = report.summary()[:255]
    return report.as_dict()


@task()
@job_task
def import_registry_file(run: JobRunner) -> dict:
    return run_import_job(run)


@task()
def purge_import_files() -> int:
    """Delete uploads and errors.csv files older than QINQING_IMPORT_RETENTION_DAYS (registry.retention)."""
    from .retention import purge_import_files as purge

    return purge()


PERIODIC = [(3600, purge_import_files)]
