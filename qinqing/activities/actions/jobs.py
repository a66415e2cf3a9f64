"""Job fairs: enterprises post jobs (岗位, 人数, 要求); staff record the job seekers' intentions reached per job."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from qinqing.core import audit
from qinqing.core.roles import Role

from ..models import Activity, Job
from .common import HEADCOUNT_MAX, ActivityError, parse_int


@transaction.atomic
def post_job(activity: Activity, *, actor, enterprise, data: dict, job: Job | None = None) -> Job:
    if not activity.is_job_fair:
        raise ActivityError(_("只有招聘会可以发布岗位"))
    if actor.role == Role.ENTERPRISE and actor.enterprise_id != enterprise.pk:
        raise ActivityError(_("只能发布本企业的岗位"))
    if job is not None and job.enterprise_id != enterprise.pk:
        raise ActivityError(_("只能修改本企业的岗位"))
    title = (data.get("title") or "").strip()
    if not title:
        raise ValidationError({"title": _("请填写岗位名称")})
    if len(title) > 100:
        raise ValidationError({"title": _("岗位名称不能超过 100 个字")})
    headcount = parse_int(data.get("headcount"), "headcount", _("招聘人数"), low=1, high=HEADCOUNT_MAX)
    before = audit.snapshot(job, ("title", "headcount", "requirements")) if job else None
    if job is None:
        job = Job(activity=activity, org_path=activity.org_path, enterprise=enterprise, posted_by=actor)
    job.title, job.headcount = title, headcount
    job.requirements = (data.get("requirements") or "").strip()[:2000]
    job.save()
    audit.record("activities.post_job", obj=job, actor=actor, before=before,
                 after={"title": job.title, "headcount": job.headcount, "enterprise": enterprise.pk})  # fmt: skip
    return job


@transaction.atomic
def record_intentions(job: Job, *, actor, intentions) -> Job:
    """Staff record how many job seekers reached an intention for the job (the total so far)."""
    job = Job.objects.select_for_update().get(pk=job.pk)
    count = parse_int(intentions, "intentions", _("达成意向人数"), low=0, high=HEADCOUNT_MAX)
    before = job.intentions
    job.intentions = count
    job.save(update_fields=["intentions", "updated_at"])
    audit.record("activities.record_intentions", obj=job, actor=actor, before={"intentions": before},
                 after={"intentions": count})  # fmt: skip
    return job
