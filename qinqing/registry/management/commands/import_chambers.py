"""manage.py import_chambers PATH [--dry-run] [--strict] [--errors-out PATH.csv] [--org CODE]"""

from django.utils.translation import gettext as _

from .import_enterprises import Command as EnterpriseCommand


class Command(EnterpriseCommand):
    @property
    def help(self) -> str:  # argparse needs a str, not a lazy string
        return _("导入商会名录（.xlsx/.xls/.csv），按统一社会信用代码或所属工商联内的商会名称新增或更新")

    kind = "chambers"
