"""Re-seal personal data under the current data key and recompute blind indexes (qinqing.core.crypto.rotation)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from qinqing.core import audit
from qinqing.core.crypto import columns, provider
from qinqing.core.crypto.rotation import KIND, rotate_keys
from qinqing.core.jobs import TASK_PARAM, start_job
from qinqing.core.models import Job


class Command(BaseCommand):
    @property
    def help(self) -> str:  # argparse needs a str, not a lazy string
        return _("密钥轮换：用当前数据密钥重新加密个人信息并重算盲索引（后台任务，可中断续做）")

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help=_("在本进程内执行，不交给后台 worker"))
        parser.add_argument("--status", action="store_true", help=_("只列出各列由哪些密钥加密"))
        parser.add_argument("--batch", type=int, default=columns.BATCH, help=_("每批行数"))

    def handle(self, *args, now=False, status=False, batch=columns.BATCH, **options):
        p = provider()
        if status:
            self.stdout.write(_("当前数据密钥：%(key)s") % {"key": p.current_data_key_id()})
            for col in columns.sealed_columns():
                census = columns.key_census(col)
                text = "，".join(f"{key or _('明文')}: {count}" for key, count in sorted(census.items())) or "—"
                self.stdout.write(f"{col.label}: {text}")
            return
        if batch < 1:
            raise CommandError(_("每批行数须为正整数"))
        job = Job.objects.filter(kind=KIND, status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).first()
        if job is not None:
            self.stdout.write(_("继续未完成的密钥轮换任务 #%(id)s") % {"id": job.pk})
        elif now:  # run here: recorded as a job (resumable), but not queued for a worker as well
            job = Job.objects.create(
                kind=KIND, title=_("密钥轮换"), params={"batch": batch, TASK_PARAM: rotate_keys.module_path}
            )
            audit.record("core.job_started", obj=job, after={"kind": KIND, "title": job.title})
            self.stdout.write(_("已创建密钥轮换任务 #%(id)s") % {"id": job.pk})
        else:
            job = start_job(KIND, _("密钥轮换"), user=None, params={"batch": batch}, task=rotate_keys)
            self.stdout.write(_("已创建密钥轮换任务 #%(id)s，由后台 worker 执行") % {"id": job.pk})
            return
        if now:
            rotate_keys.call(job.pk)
            job.refresh_from_db()
            if job.status != Job.Status.SUCCEEDED:
                raise CommandError(job.error or _("密钥轮换未完成"))
            self.stdout.write(
                _("密钥轮换完成：改写 %(n)s 个值，当前数据密钥 %(key)s")
                % {"n": job.result.get("rewritten", 0), "key": job.result.get("data_key", "")}
            )
