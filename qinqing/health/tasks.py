"""The scoring run as a background job with progress (qinqing.core.jobs)."""

from django_tasks import task

from qinqing.core.jobs import JobRunner, job_task


@task()
@job_task
def score_enterprises(run: JobRunner) -> dict:
    from .models import HealthRun
    from .runs import compute_run

    health_run = HealthRun.objects.select_related("version").get(pk=run.params["run_id"])
    return compute_run(health_run, progress=run.progress)
