"""Print a survey's 万家民营企业评营商环境 scores (百分制): overall, per region, with ranks.

manage.py survey_scores 12 --json
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from qinqing.surveys import results
from qinqing.surveys.models import Survey


class Command(BaseCommand):
    @property
    def help(self) -> str:  # argparse needs a str, not a lazy string
        return _("输出问卷的营商环境评分（百分制）：总体和各地区得分及排名")

    def add_arguments(self, parser):
        parser.add_argument("survey_id", type=int, help=_("问卷编号"))
        parser.add_argument("--json", action="store_true", help=_("以 JSON 输出（格式见用户指南“问卷调查”一章）"))

    def handle(self, *args, **options):
        survey = Survey.objects.filter(pk=options["survey_id"]).first()
        if survey is None:
            raise CommandError(_("问卷 %(id)s 不存在") % {"id": options["survey_id"]})
        table = results.score_table(survey)
        if options["json"]:
            self.stdout.write(json.dumps(table, ensure_ascii=False, indent=2))
            return
        envs = table["environments"]
        self.stdout.write(f"{table['title']}  n={table['responses']}")
        head = ["region", "rank", "n", "total", *envs.values()]
        self.stdout.write("\t".join(head))
        rows = ([("all", "-", table["overall"])] if table["overall"] else []) + [
            (r["region"], r["rank"], r) for r in table["regions"]
        ]
        for region, rank, r in rows:
            values = [str(r["environments"][k]) for k in envs]
            self.stdout.write("\t".join([region or "-", str(rank), str(r["responses"]), str(r["total"]), *values]))
