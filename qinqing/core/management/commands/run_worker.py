from argparse import BooleanOptionalAction

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _


class Command(BaseCommand):
    @property
    def help(self) -> str:  # argparse needs a str, not a lazy string
        return _("启动后台工作进程：先恢复被中断的任务（resume_jobs），再运行 db_worker")

    def add_arguments(self, parser):
        passed_on = _("传给 db_worker")
        parser.add_argument("--older-than", type=float, default=0.0, help=_("传给 resume_jobs 的 --older-than（秒）"))
        parser.add_argument("--queue-name", default="default", help=passed_on)
        parser.add_argument("--interval", type=float, default=1.0, help=passed_on)
        parser.add_argument("--batch", action="store_true", help=_("处理完现有任务后退出（传给 db_worker）"))
        parser.add_argument("--max-tasks", type=int, default=None, help=passed_on)
        parser.add_argument("--no-startup-delay", action="store_false", dest="startup_delay")
        parser.add_argument("--reload", action=BooleanOptionalAction, default=settings.DEBUG)

    def handle(self, *args, older_than, queue_name, interval, batch, max_tasks, startup_delay, reload, **options):
        call_command("resume_jobs", older_than=older_than, stdout=self.stdout)
        worker_args = ["--queue-name", queue_name, "--interval", str(interval)]
        worker_args.append("--reload" if reload else "--no-reload")
        if batch:
            worker_args.append("--batch")
        if max_tasks:
            worker_args += ["--max-tasks", str(max_tasks)]
        if not startup_delay:
            worker_args.append("--no-startup-delay")
        call_command("db_worker", *worker_args, verbosity=options.get("verbosity", 1))
