import sys

from django.core.management.base import BaseCommand

from qinqing.core.audit import verify_chain


class Command(BaseCommand):
    help = "校验审计日志哈希链，报告第一处断链"

    def handle(self, *args, **options):
        report = verify_chain()
        if report.ok:
            self.stdout.write(f"审计日志完好：共校验 {report.checked} 条记录")
            return
        self.stdout.write(
            f"审计日志断链：第一处问题在记录 #{report.broken_id}（{report.reason}）；此前 {report.checked} 条完好"
        )
        sys.exit(1)
