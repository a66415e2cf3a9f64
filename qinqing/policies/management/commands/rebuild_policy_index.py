"""manage.py rebuild_policy_index: rebuild the policy search indexes (tantivy and the database's) from the data.

``--if-stale`` (what ``make migrate`` runs): only when the tantivy index is missing or of an older schema version, as
after an upgrade that changed it; otherwise nothing (searches use the database index until a rebuild)."""

import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from qinqing.policies.search import reindex_all
from qinqing.policies.search_index import enabled, index_path, is_ready


class Command(BaseCommand):
    @property
    def help(self) -> str:  # argparse needs a str, not a lazy string
        return _("重建政策全文检索索引（部署后、批量导入后运行；每晚自动重建一次）")

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-stale", action="store_true", help=_("仅当检索索引缺失或版本过旧时重建（升级后由 make migrate 调用）")
        )

    def handle(self, *args, **options):
        if options["if_stale"] and (not enabled() or is_ready()):
            self.stdout.write(_("政策检索索引无需重建"))
            return
        started = time.perf_counter()
        count = reindex_all()
        seconds = time.perf_counter() - started
        self.stdout.write(
            _("已为 %(count)s 项政策重建检索索引（%(path)s），耗时 %(seconds).1f 秒")
            % {"count": count, "path": index_path() if enabled() else _("数据库全文索引"), "seconds": seconds}
        )
