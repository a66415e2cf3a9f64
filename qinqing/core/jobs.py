"""Background jobs: a ``core.models.Job`` row tracks one django-tasks task from start to finish.

Starting work (from an action or a view)::

    job = start_job("registry.import", _("导入企业名录"), user=request.user, params={"file": name}, task=import_rows)

``start_job`` creates the Job and enqueues ``task(job.pk)`` once the surrounding transaction commits.

Writing a task (in ``<app>/tasks.py``)::

    @task()
    @job_task
    def import_rows(run: JobRunner) -> dict:
        rows = load(run.params["file"])
        for index, row in run.each(rows, message=_("正在导入")):
            create_enterprise(row)          # runs in the same transaction as the checkpoint
        return {"imported": run.done}      # stored in Job.result

``job_task`` marks the job running, records success (with the returned dict as the result) or failure (with a
Chinese message), and skips jobs that already finished (a duplicate enqueue is harmless). ``run.each`` resumes
after the last committed item when the task is re-run after a crash: each item's work and the checkpoint commit
together, so no item is done twice. Tasks with another shape use ``run.checkpoint`` / ``run.save_checkpoint``
and ``run.progress`` directly.

A worker killed mid-task leaves the Job RUNNING; ``manage.py resume_jobs`` (run by ``manage.py run_worker``
before the worker loop starts) enqueues it again. See docs/jobs.md.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import timedelta
from functools import wraps
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from . import audit
from .models import Job

logger = logging.getLogger(__name__)

TASK_PARAM = "_task"  # params key holding the task's import path, so resume_jobs can enqueue it again
PROGRESS_INTERVAL = 1.0  # seconds between throttled progress writes


class JobError(Exception):
    """A failure whose message (Chinese, for the user) is shown as is on the job's progress panel."""


def start_job(kind: str, title: str, *, user, params: dict | None = None, task, org_path: str | None = None) -> Job:
    """Create a Job for ``user`` and enqueue ``task(job_id)`` when the current transaction commits."""
    if org_path is None:
        org = getattr(user, "org", None)
        org_path = org.path if org is not None else ""
    job = Job.objects.create(
        kind=kind,
        title=str(title)[:200],
        params={**(params or {}), TASK_PARAM: task.module_path},
        created_by=user,
        org_path=org_path,
    )
    audit.record("core.job_started", obj=job, actor=user, after={"kind": kind, "title": job.title})
    transaction.on_commit(lambda: enqueue(job, task))
    return job


def enqueue(job: Job, task=None) -> None:
    """Put the job's task on the queue (again) and remember the task-result id."""
    if task is None:
        task = import_string(job.params[TASK_PARAM])
    Job.objects.filter(pk=job.pk).update(status=Job.Status.QUEUED, updated_at=timezone.now())
    result = task.enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(task_result_id=str(result.id)[:64])


def error_message(exc: BaseException) -> str:
    """The Chinese text stored in Job.error for a failure."""
    if isinstance(exc, JobError):
        return str(exc)
    if isinstance(exc, ValidationError):
        return _("数据校验失败：%(detail)s") % {"detail": "；".join(exc.messages)}
    return _("任务执行出错（%(kind)s）：%(detail)s") % {"kind": type(exc).__name__, "detail": exc}


class JobRunner:
    """Task-side handle on one Job: state changes, throttled progress, checkpoints."""

    def __init__(self, job_id: int, *, interval: float = PROGRESS_INTERVAL):
        self.job = Job.objects.get(pk=job_id)
        self.interval = interval
        self._last_write = 0.0
        self.result: dict[str, Any] = {}

    # -- state -------------------------------------------------------------------------------------
    @property
    def params(self) -> dict:
        return {k: v for k, v in self.job.params.items() if k != TASK_PARAM}

    @property
    def done(self) -> int:
        return self.job.done

    def _write(self, **fields) -> None:
        fields["updated_at"] = timezone.now()
        Job.objects.filter(pk=self.job.pk).update(**fields)
        for name, value in fields.items():
            setattr(self.job, name, value)

    def start(self) -> None:
        now = timezone.now()
        self._write(status=Job.Status.RUNNING, started_at=self.job.started_at or now, error="", finished_at=None)
        self._last_write = time.monotonic()

    def succeed(self, result: dict | None = None, message: str | None = None) -> None:
        fields = {
            "status": Job.Status.SUCCEEDED,
            "result": result if result is not None else self.result,
            "finished_at": timezone.now(),
            "error": "",
            "done": self.job.done,
            "total": self.job.total,
            "message": self.job.message,
        }
        if self.job.total and self.job.done < self.job.total:
            fields["done"] = self.job.total
        if message is not None:
            fields["message"] = message[:255]
        self._write(**fields)

    def fail(self, exc: BaseException) -> None:
        self._write(
            status=Job.Status.FAILED,
            error=error_message(exc),
            finished_at=timezone.now(),
            done=self.job.done,  # flush progress the throttle held back
            total=self.job.total,
            message=self.job.message,
        )

    def __enter__(self) -> JobRunner:
        self.start()
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        if exc is None:
            self.succeed()
        elif isinstance(exc, Exception):
            logger.exception("Job %s failed", self.job.pk, exc_info=exc)
            self.fail(exc)
        # SystemExit / KeyboardInterrupt: the worker is going away; leave the job RUNNING for resume_jobs.
        return False

    # -- progress ----------------------------------------------------------------------------------
    def progress(self, done: int, total: int | None = None, message: str | None = None, *, force: bool = False) -> None:
        """Record progress; the database is written at most once per ``interval`` seconds (and at the end)."""
        self.job.done = done
        if total is not None:
            self.job.total = total
        if message is not None:
            self.job.message = str(message)[:255]
        now = time.monotonic()
        finished = bool(self.job.total) and done >= self.job.total
        if force or finished or now - self._last_write >= self.interval:
            self._write(done=self.job.done, total=self.job.total, message=self.job.message)
            self._last_write = now

    # -- checkpoints -------------------------------------------------------------------------------
    @property
    def checkpoint(self) -> dict:
        return dict(self.job.checkpoint or {})

    def save_checkpoint(self, data: dict, *, done: int | None = None) -> None:
        """Persist resume state now. Call it inside the transaction that did the work it describes."""
        fields: dict[str, Any] = {"checkpoint": data}
        if done is not None:
            fields["done"] = done
        self._write(**fields)

    def each(self, items: Iterable, *, total: int | None = None, message: str | None = None) -> Iterator[tuple]:
        """Yield ``(index, item)`` from where the last run stopped; each item commits with its checkpoint.

        The caller's work for an item runs inside a transaction that also stores the checkpoint, so after a
        crash the item is either fully done (and skipped next time) or not done at all. The item's audit rows are
        written at its end, after the checkpoint (``audit.written_at_end``): a long item does not hold the audit
        chain head, which every user's audited action waits for, through its work.
        """
        if total is None and hasattr(items, "__len__"):
            total = len(items)
        start = int(self.checkpoint.get("position", 0))
        if total is not None or message is not None:
            self.progress(start, total, message, force=True)
        for index, item in enumerate(items):
            if index < start:
                continue
            with transaction.atomic(), audit.written_at_end():
                yield index, item
                self.save_checkpoint({**self.checkpoint, "position": index + 1}, done=index + 1)
            self.progress(index + 1)


def job_task(func: Callable[[JobRunner], dict | None]) -> Callable[[int], dict | None]:
    """Wrap ``func(run)`` as the body of a task taking the job id; put ``@task()`` above it."""

    @wraps(func)
    def wrapper(job_id: int) -> dict | None:
        try:
            runner = JobRunner(job_id)
        except Job.DoesNotExist:
            logger.warning("Job %s no longer exists; task skipped", job_id)
            return None
        if runner.job.finished:
            return runner.job.result  # enqueued twice: the work is already done
        with runner:
            result = func(runner)
            if result is not None:
                runner.result = result
        return runner.result

    return wrapper


def stale_jobs(older_than: float = 0.0):
    """Jobs a dead worker left QUEUED or RUNNING, untouched for ``older_than`` seconds."""
    cutoff = timezone.now() - timedelta(seconds=older_than)
    return Job.objects.filter(status__in=[Job.Status.QUEUED, Job.Status.RUNNING], updated_at__lte=cutoff)


def resume_stale(older_than: float = 0.0) -> list[Job]:
    """Enqueue again every stale job (skipping those still waiting in the database queue)."""
    resumed = []
    for job in stale_jobs(older_than).order_by("id"):
        if _still_queued(job):
            continue
        if TASK_PARAM not in (job.params or {}):
            Job.objects.filter(pk=job.pk).update(
                status=Job.Status.FAILED,
                error=_("任务中断且无法恢复，请重新发起"),
                finished_at=timezone.now(),
                updated_at=timezone.now(),
            )
            continue
        _abandon_task_result(job)
        enqueue(job)
        resumed.append(job)
    return resumed


def resume_stale_tasks(older_than: float = 0.0) -> list[str]:
    """Enqueue again the plain tasks (no Job row: re-matching, deadline sweeps, notifications…) a dead worker
    left RUNNING. Every task of the platform is idempotent, so running one again after an interruption is safe;
    the abandoned result is closed as failed so it is not mistaken for live work. Returns the task paths."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - timedelta(seconds=older_than)
    job_results = {str(pk) for pk in Job.objects.exclude(task_result_id="").values_list("task_result_id", flat=True)}
    resumed = []
    for result in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lte=cutoff).order_by(
        "enqueued_at"
    ):
        if str(result.pk) in job_results:
            continue  # a Job's task: resume_stale handles it with its checkpoint
        try:
            task_obj = import_string(result.task_path)
        except ImportError:
            logger.warning("stale task %s: %s no longer exists", result.pk, result.task_path)
            result.set_failed(RuntimeError("worker stopped; task no longer exists"))
            continue
        result.set_failed(RuntimeError("worker stopped; task re-enqueued by resume_jobs"))
        args_kwargs = result.args_kwargs or {}
        task_obj.enqueue(*args_kwargs.get("args", []), **args_kwargs.get("kwargs", {}))
        resumed.append(result.task_path)
    return resumed


def _db_task_result(job: Job):
    if not job.task_result_id:
        return None
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - the database backend is always installed here
        return None
    try:
        return DBTaskResult.objects.filter(pk=job.task_result_id).first()
    except (ValidationError, ValueError):
        return None


def _still_queued(job: Job) -> bool:
    from django_tasks.base import TaskResultStatus

    result = _db_task_result(job)
    return result is not None and result.status == TaskResultStatus.READY


def _abandon_task_result(job: Job) -> None:
    """A task result a dead worker claimed stays RUNNING forever; close it so it is not mistaken for live."""
    from django_tasks.base import TaskResultStatus

    result = _db_task_result(job)
    if result is not None and result.status == TaskResultStatus.RUNNING:
        result.set_failed(RuntimeError("worker stopped; job re-enqueued by resume_jobs"))
