"""manage.py rebuild_policy_index: rebuild the policy search indexes (tantivy and the database's) from the data."""

import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from qinqing.policies.search import reindex_all
from qinqing.policies.search_index import enabled, index_path


class Command(BaseCommand):
    @property
    def help(self) -> str:  # argparse needs a str, not a lazy string
        return _("重建政策全文检索索引（部署后、批量导入后运行；每晚自动重建一次）")

    def handle(self, *args, **options):
        started = time.perf_counter()
        count = reindex_all()
        seconds = time.perf_counter() - started
        self.stdout.write(
            _("已为 %(count)s 项政策重建检索索引（%(path)s），耗时 %(seconds).1f 秒")
            % {"count": count, "path": index_path() if enabled() else _("数据库全文索引"), "seconds": seconds}
        )
