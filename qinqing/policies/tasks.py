"""Background work: batch matching (with progress), re-matching a changed policy, and the nightly run."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from qinqing.core.jobs import JobRunner, job_task

from . import matching

NIGHT_HOURS = range(2, 5)  # local time: the nightly run starts in the first scheduler tick in this window
NIGHTLY_KIND = "policies.match"


def run_batch(scope: str, progress=None) -> dict:
    """Match the scope; enterprises newly eligible for an auto-pushing policy are notified (once each)."""
    from .actions import push_newly_eligible

    run = matching.run_matching(scope, progress=progress)
    pushed = push_newly_eligible(run.newly_eligible)
    return {
        "scope": scope,
        "enterprises": run.enterprises,
        "policies": run.policies,
        "pairs": run.pairs,
        "pushed": pushed,
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


@task()
def rematch_enterprises_task(enterprise_ids: str | list[int]) -> dict:
    """Background part of actions.enterprises_changed for large sets (the registry import); the ids come as
    ranges ("3-5 9", qinqing.core.idranges) or, from tasks queued before ranges were used, as a list."""
    from qinqing.core.idranges import expand_ranges

    from .actions import rematch_enterprises

    if isinstance(enterprise_ids, str):
        enterprise_ids = expand_ranges(enterprise_ids)
    pushed = rematch_enterprises(enterprise_ids)
    return {"enterprises": len(enterprise_ids), "pushed": sum(len(ids) for ids in pushed.values())}


def start_nightly(now=None) -> dict:
    """Once a night: a full re-match job for each top-level FIC, and a fresh search index.

    Enterprise data changes all day (imports, edits), and a policy's dates move it in and out of effect,
    so the stored eligible sets are recomputed every night. Idempotent: a second call the same night (the
    scheduler ticks hourly) finds tonight's jobs and does nothing.
    """
    from qinqing.core.jobs import start_job
    from qinqing.core.models import Job
    from qinqing.orgs.models import Organization

    from .search import reindex_all

    now = timezone.localtime(now)
    if now.hour not in NIGHT_HOURS:
        return {"started": [], "reason": "not night"}
    night_start = now.replace(hour=NIGHT_HOURS.start, minute=0, second=0, microsecond=0)
    if Job.objects.filter(kind=NIGHTLY_KIND, params__nightly=True, created_at__gte=night_start).exists():
        return {"started": [], "reason": "already ran tonight"}
    started = []
    for root in Organization.objects.filter(kind="fic", parent__isnull=True, is_active=True).order_by("path"):
        start_job(
            NIGHTLY_KIND,
            _("夜间政策匹配"),
            user=None,
            params={"scope": root.path, "nightly": True},
            task=match_policies_task,
            org_path=root.path,
        )
        started.append(root.path)
    return {"started": started, "indexed": reindex_all()}


@task()
def nightly_task() -> dict:
    return start_nightly()


PERIODIC = [(3600, nightly_task)]
