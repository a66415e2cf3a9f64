"""manage.py rebuild_policy_index: rebuild the policy search indexes (tantivy and the database's) from the data."""

import time

from django.core.management.base import BaseCommand

from qinqing.policies.search import reindex_all
from qinqing.policies.search_index import index_path


class Command(BaseCommand):
    help = "重建政策全文检索索引（部署后、批量导入后运行；每晚自动重建一次）"

    def handle(self, *args, **options):
        started = time.perf_counter()
        count = reindex_all()
        seconds = time.perf_counter() - started
        self.stdout.write(f"已为 {count} 项政策重建检索索引（{index_path()}），耗时 {seconds:.1f} 秒")
