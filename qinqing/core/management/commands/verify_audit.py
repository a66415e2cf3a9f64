import sys

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from qinqing.core.audit import verify_chain


class Command(BaseCommand):
    @property
    def help(self) -> str:  # argparse needs a str, not a lazy string
        return _("校验审计日志哈希链，报告第一处断链")

    def handle(self, *args, **options):
        report = verify_chain()
        if report.ok:
            self.stdout.write(_("审计日志完好：共校验 %(checked)s 条记录") % {"checked": report.checked})
            return
        self.stdout.write(
            _("审计日志断链：第一处问题在记录 #%(id)s（%(reason)s）；此前 %(checked)s 条完好")
            % {"id": report.broken_id, "reason": report.reason, "checked": report.checked}
        )
        sys.exit(1)
