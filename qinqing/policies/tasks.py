"""Background work: batch matching (with progress) and re-matching a changed policy."""

from django_tasks import task

from qinqing.core.jobs import JobRunner, job_task

from . import matching


def run_batch(scope: str, progress=None) -> dict:
    run = matching.run_matching(scope, progress=progress)
    return {
        "scope": scope,
        "enterprises": run.enterprises,
        "policies": run.policies,
        "pairs": run.pairs,
        "seconds": {k: round(v, 3) for k, v in run.seconds.items()},
    }


@task()
@job_task
def match_policies_task(run: JobRunner) -> dict:
    scope = run.params["scope"]
    return run_batch(scope, progress=lambda done, total, message: run.progress(done, total, message, force=True))


@task()
def rematch_policy_task(policy_id: int) -> dict:
    from .actions import rematch_policy

    return {scope: len(ids) for scope, ids in rematch_policy(policy_id).items()}
