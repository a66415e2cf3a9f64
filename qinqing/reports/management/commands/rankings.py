"""manage.py rankings METRIC YEAR --top N [--org CODE] --csv PATH: an N强 list as CSV (名次, 统一社会信用代码,
企业名称, the metric's value), by the rule of qinqing.reports.rankings (ties share a rank, listed by credit code)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from qinqing.orgs.models import Organization
from qinqing.reports import rankings


class Command(BaseCommand):
    @property
    def help(self) -> str:  # argparse needs a str, not a lazy string
        return _("按营业收入/纳税总额/研发投入/从业人数生成N强榜单并导出CSV")

    def add_arguments(self, parser):
        parser.add_argument("metric", choices=sorted(rankings.METRICS), help=_("指标：revenue、tax、rnd、employees"))
        parser.add_argument("year", type=int, help=_("年度"))
        parser.add_argument("--top", type=int, required=True, help=_("名次数N"))
        parser.add_argument("--org", help=_("组织编码：只排该工商联及其下级的企业（默认全部）"))
        parser.add_argument("--csv", required=True, dest="csv_path", help=_("输出CSV文件路径"))

    def handle(self, *args, metric, year, top, org, csv_path, **options):
        scope = "/"
        if org:
            node = Organization.objects.filter(code=org).first()
            if node is None:
                raise CommandError(_("未找到组织编码：%(org)s") % {"org": org})
            scope = node.path
        try:
            ranking = rankings.compute(metric, year, top, scope)
        except rankings.RankingError as exc:
            raise CommandError(str(exc)) from None
        with open(csv_path, "w", encoding="utf-8", newline="") as fh:
            rankings.write_csv(ranking.entries, ranking.value_header, fh)
        self.stdout.write(ranking.title)
        self.stdout.write(ranking.rule())
        self.stdout.write(ranking.note())
