import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from qinqing.core.scheduler import due, periodic_tasks


class Command(BaseCommand):
    @property
    def help(self) -> str:  # argparse needs a str, not a lazy string
        return _("按周期把定时任务放入后台队列（由 db_worker 执行）")

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help=_("只检查一次后退出"))
        parser.add_argument("--tick", type=float, default=10.0)

    def handle(self, *args, once=False, tick=10.0, **options):
        entries = periodic_tasks()
        self.stdout.write(_("定时任务 %(count)s 个") % {"count": len(entries)})
        while True:
            now = time.time()
            for entry in due(entries, now):
                entry.task.enqueue()
                entry.last = now
            if once:
                return
            time.sleep(tick)
