import sys

from django.core.management.base import BaseCommand
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from qinqing.operations.actions import run_backup


class Command(BaseCommand):
    @property
    def help(self) -> str:  # argparse needs a str, not a lazy string
        return _("在平台运行时做一次一致的备份：数据库、上传文件、审计检查点和清单（配置了备份密钥时加密）")

    def add_arguments(self, parser):
        parser.add_argument("dest", help=_("备份文件路径，或存放备份的目录"))

    def handle(self, *args, dest, **options):
        try:
            record = run_backup(dest)
        except Exception as exc:
            self.stderr.write(_("备份失败：%(error)s") % {"error": exc})
            sys.exit(1)
        self.stdout.write(
            _(
                "备份完成：%(path)s（%(size)s，%(tables)s 张表，%(rows)s 条记录，%(files)s 个文件%(enc)s，用时 %(sec)s 秒）"  # noqa: E501
            )
            % {
                "path": record.path,
                "size": filesizeformat(record.size),
                "tables": record.tables,
                "rows": record.rows,
                "files": record.files,
                "enc": _("，已加密") if record.encrypted else "",
                "sec": record.seconds,
            }
        )
        self.stdout.write(_("SHA-256：%(sha)s") % {"sha": record.sha256})
