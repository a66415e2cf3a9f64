"""manage.py match_policies [--org CODE]: batch matching for an FIC's subtree, as the background job runs it."""

import time

from django.core.management.base import BaseCommand, CommandError

from qinqing.orgs.models import Organization
from qinqing.policies.tasks import run_batch


class Command(BaseCommand):
    help = "对一个工商联辖区内全部企业运行政策匹配，输出符合条件的企业-政策对数和耗时"

    def add_arguments(self, parser):
        parser.add_argument("--org", help="工商联编码（默认：最顶层工商联）")

    def handle(self, *args, org=None, **options):
        if org:
            node = Organization.objects.filter(code=org).first()
            if node is None:
                raise CommandError(f"找不到编码为 {org} 的组织")
        else:
            node = Organization.objects.filter(kind="fic", parent__isnull=True).order_by("path").first()
            if node is None:
                raise CommandError("尚无工商联组织")
        started = time.perf_counter()
        result = run_batch(node.path)
        elapsed = time.perf_counter() - started
        seconds = result["seconds"]
        self.stdout.write(
            f"{node.name}：{result['enterprises']} 家企业 × {result['policies']} 项政策，"
            f"符合条件 {result['pairs']} 对；耗时 {elapsed:.2f} 秒"
            f"（读取 {seconds['read']:.2f} 秒，匹配 {seconds['match']:.2f} 秒，保存 {seconds['store']:.2f} 秒）"
        )
