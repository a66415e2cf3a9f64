"""manage.py annual_summary ORG_CODE YEAR --format json|docx|pdf --out PATH: an FIC node's annual work summary.

JSON lists every registered figure as {key, section, label, value, unit, drilldown}, ``drilldown`` being the
address of its list page (whose CSV export adds up to the value). A saved summary's edited text is used;
a finalised one shows its frozen values.
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from qinqing.orgs.models import Organization
from qinqing.reports import exports, summary
from qinqing.reports.models import AnnualSummary


class Command(BaseCommand):
    @property
    def help(self) -> str:  # argparse needs a str, not a lazy string
        return _("生成工商联年度工作总结（json、docx 或 pdf）")

    def add_arguments(self, parser):
        parser.add_argument("org_code", help=_("工商联的组织编码"))
        parser.add_argument("year", type=int, help=_("年度"))
        parser.add_argument("--format", choices=["json", "docx", "pdf"], default="json", dest="fmt")
        parser.add_argument("--out", required=True, help=_("输出文件路径"))
        parser.add_argument("--base-url", default="", help=_("明细链接的网站地址前缀（如 https://qinqing.example.cn）"))

    def handle(self, *args, org_code, year, fmt, out, base_url, **options):
        node = Organization.objects.filter(code=org_code, kind="fic").first()
        if node is None:
            raise CommandError(_("未找到工商联组织编码：%(code)s") % {"code": org_code})
        if not 1900 <= year <= 2999:
            raise CommandError(_("年度应为四位数字"))
        saved = AnnualSummary.objects.filter(org=node, year=year).first()
        if fmt == "json":
            data = summary.as_json(node, year, saved)
            with open(out, "w", encoding="utf-8") as fh:
                json.dump(data, fh, ensure_ascii=False, indent=2, default=str)
        else:
            doc = summary.document(node, year, saved)
            payload = exports.docx_bytes(doc, base_url) if fmt == "docx" else exports.pdf_bytes(doc, base_url)
            with open(out, "wb") as fh:
                fh.write(payload)
        self.stdout.write(_("已生成：%(path)s") % {"path": out})
