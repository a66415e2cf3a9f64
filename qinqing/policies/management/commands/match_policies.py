"""manage.py match_policies [--org CODE]: batch matching for an FIC's subtree, as the background job runs it."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from qinqing.orgs.models import Organization
from qinqing.policies.tasks import run_batch


class Command(BaseCommand):
    @property
    def help(self) -> str:  # argparse needs a str, not a lazy string
        return _("对一个工商联辖区内全部企业运行政策匹配，输出符合条件的企业-政策对数和耗时")

    def add_arguments(self, parser):
        parser.add_argument("--org", help=_("工商联编码（默认：最顶层工商联）"))

    def handle(self, *args, org=None, **options):
        if org:
            node = Organization.objects.filter(code=org).first()
            if node is None:
                raise CommandError(_("找不到编码为 %(code)s 的组织") % {"code": org})
        else:
            node = Organization.objects.filter(kind="fic", parent__isnull=True).order_by("path").first()
            if node is None:
                raise CommandError(_("尚无工商联组织"))
        started = time.perf_counter()
        result = run_batch(node.path)
        elapsed = time.perf_counter() - started
        seconds = result["seconds"]
        self.stdout.write(
            _(
                "%(org)s：%(enterprises)s 家企业 × %(policies)s 项政策，符合条件 %(pairs)s 对；耗时 %(elapsed).2f 秒"
                "（读取 %(read).2f 秒，匹配 %(match).2f 秒，保存 %(store).2f 秒）"
            )
            % {
                "org": node.name,
                "enterprises": result["enterprises"],
                "policies": result["policies"],
                "pairs": result["pairs"],
                "elapsed": elapsed,
                "read": seconds["read"],
                "match": seconds["match"],
                "store": seconds["store"],
            }
        )
