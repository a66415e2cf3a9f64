import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import DatabaseError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from qinqing.core import audit
from qinqing.operations.archive import ArchiveError
from qinqing.operations.backup import restore

REASONS = {
    "target database is not empty": gettext_noop("目标数据库不是空的；确需覆盖请加 --force"),
    "target media directory is not empty": gettext_noop("目标上传文件目录不是空的；确需覆盖请加 --force"),
}


class Command(BaseCommand):
    @property
    def help(self) -> str:  # argparse needs a str, not a lazy string
        return _("把备份恢复到空的数据库和上传文件目录，并校验清单、记录数和审计链")

    def add_arguments(self, parser):
        parser.add_argument("archive", help=_("manage.py backup 生成的备份文件"))
        parser.add_argument("--force", action="store_true", help=_("目标不为空时也覆盖"))

    def handle(self, *args, archive, force, **options):
        path = Path(archive)
        if not path.is_file():
            self.stderr.write(_("找不到备份文件：%(path)s") % {"path": path})
            sys.exit(2)
        try:
            result = restore(path, force=force)
        except ArchiveError as exc:
            reason = REASONS.get(str(exc))
            self.stderr.write(_("未恢复：%(reason)s") % {"reason": _(reason) if reason else exc})
            sys.exit(1)
        except (DatabaseError, OSError) as exc:
            self.stderr.write(_("恢复失败：%(error)s") % {"error": exc})
            sys.exit(1)
        manifest = result.manifest
        self.stdout.write(
            _("已恢复 %(created)s 的备份（%(engine)s）：%(tables)s 张表，%(rows)s 条记录，%(files)s 个文件。")
            % {
                "created": manifest["created_at"],
                "engine": manifest["engine"],
                "tables": len(result.counts),
                "rows": sum(n for n in result.counts.values() if n > 0),
                "files": result.files,
            }
        )
        ok = True
        if result.mismatched:
            ok = False
            for table, (expected, got) in sorted(result.mismatched.items()):
                self.stdout.write(
                    _("记录数不符：%(table)s 备份中 %(expected)s 条，恢复后 %(got)s 条")
                    % {"table": table, "expected": expected, "got": got}
                )
        else:
            self.stdout.write(_("记录数与清单一致。"))
        if result.audit_ok:
            self.stdout.write(_("审计日志哈希链校验通过。"))
        else:
            ok = False
            self.stdout.write(_("审计日志校验失败：%(msg)s") % {"msg": result.audit_message})
        audit.record(
            "operations.restore",
            object_type="operations.backuprecord",
            object_repr=str(path)[:255],
            success=ok,
            after={"archive": str(path), "created_at": manifest["created_at"], "rows": sum(result.counts.values())},
        )
        if not ok:
            sys.exit(1)
