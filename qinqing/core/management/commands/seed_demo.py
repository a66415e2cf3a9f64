"""manage.py seed_demo: the demo organisation tree, one account per role, then every domain's demo data."""

import time

from django.core.management.base import BaseCommand, CommandError

from qinqing.core import demo


class Command(BaseCommand):
    help = "生成演示数据：组织树、各角色演示账号，以及各业务模块的演示数据（同一随机种子结果相同）"

    def add_arguments(self, parser):
        parser.add_argument("--profile", default="city", choices=sorted(demo.PROFILES), help="规模（默认 city）")
        parser.add_argument("--seed", type=int, default=demo.DEFAULT_SEED, help="随机种子（默认 2026）")
        parser.add_argument("--if-empty", action="store_true", help="已有组织树时什么也不做")

    def handle(self, *args, **options):
        if demo.tree_exists():
            if options["if_empty"]:
                self.stdout.write("已有数据，跳过演示数据生成")
                return
            raise CommandError("数据库中已有组织树：演示数据只能生成在空数据库中（或加 --if-empty 跳过）")
        ctx = demo.make_context(options["profile"], options["seed"], stdout=self.stdout)
        self.stdout.write(f"生成演示数据：规模 {ctx.profile}，随机种子 {ctx.seed}")
        started = time.perf_counter()
        demo.run(ctx)
        self.stdout.write(self.style.SUCCESS(f"演示数据生成完毕，用时 {time.perf_counter() - started:.1f} 秒"))
