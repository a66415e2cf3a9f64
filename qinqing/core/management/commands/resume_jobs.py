from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from qinqing.core.jobs import resume_stale, resume_stale_tasks


class Command(BaseCommand):
    @property
    def help(self) -> str:  # argparse needs a str, not a lazy string
        return _("重新排队被中断的后台任务（工作进程退出时仍处于排队中/进行中的任务），从断点继续执行")

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=float,
            default=0.0,
            help=_("只处理至少这么多秒没有进度更新的任务（多个工作进程并行时使用，例如 600）"),
        )

    def handle(self, *args, older_than=0.0, **options):
        resumed = resume_stale(older_than)
        for job in resumed:
            self.stdout.write(_("已重新排队：#%(id)s %(title)s") % {"id": job.pk, "title": job.title})
        tasks = resume_stale_tasks(older_than)
        for path in tasks:
            self.stdout.write(_("已重新排队后台任务：%(path)s") % {"path": path})
        self.stdout.write(_("共重新排队 %(count)s 个任务") % {"count": len(resumed) + len(tasks)})
