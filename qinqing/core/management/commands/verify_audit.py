import sys

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from qinqing.core import audit_checkpoint
from qinqing.core.audit_verify import verify_all


class Command(BaseCommand):
    @property
    def help(self) -> str:  # argparse needs a str, not a lazy string
        return _("校验审计日志：归档段、数据库中的哈希链和库外签名检查点，报告第一处问题")

    def add_arguments(self, parser):
        parser.add_argument("--checkpoint", action="store_true", help=_("校验通过后写入一个新的检查点"))

    def handle(self, *args, checkpoint=False, **options):
        result = verify_all()
        if result.ok:
            self.stdout.write(
                _("审计日志完好：共校验 %(checked)s 条记录（另有归档 %(archived)s 条），%(points)s 个检查点一致")
                % {"checked": result.checked, "archived": result.archived_rows, "points": result.checkpoints}
            )
            if checkpoint:
                entry = audit_checkpoint.write_checkpoint()
                self.stdout.write(_("已写入检查点：第 %(seq)s 条") % {"seq": entry["seq"]})
            return
        for problem in result.problems:
            self.stdout.write(problem)
        sys.exit(1)
