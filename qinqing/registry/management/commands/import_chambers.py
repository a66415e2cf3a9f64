"""manage.py import_chambers PATH [--dry-run] [--strict] [--errors-out PATH.csv] [--org CODE]"""

from django.utils.translation import gettext_lazy

from .import_enterprises import Command as EnterpriseCommand


class Command(EnterpriseCommand):
    help = gettext_lazy("导入商会名录（.xlsx/.xls/.csv），按统一社会信用代码或所属工商联内的商会名称新增或更新")
    kind = "chambers"
