"""Background registry work: imports run as jobs with progress and a resumable checkpoint."""

from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from django_tasks import task

from qinqing.accounts.models import User
from qinqing.core.cellsafety import csv_writer
from qinqing.core.jobs import JobError, JobRunner, job_task
from qinqing.orgs.models import Organization

from .importing.runner import BATCH_SIZE, run_import

IMPORT_DIR = "registry_imports"


def import_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / IMPORT_DIR
    path.mkdir(parents=True, exist_ok=True)
    return path


def errors_path(job_id: int) -> Path:
    return import_dir() / f"job-{job_id}-errors.csv"


def write_errors_csv(report, path: Path) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv_writer(out)  # a quoted value cannot start a formula
        writer.writerow([_("行号"), _("列"), _("值"), _("原因")])
        for issue in report.errors:
            writer.writerow(issue.as_list())


def run_import_job(run: JobRunner) -> dict:
    params = run.params
    path = import_dir() / params["stored_name"]
    if not path.exists():
        raise JobError(_("导入文件已不存在，请重新上传"))
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
    write_errors_csv(report, errors_path(run.job.pk))
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
