"""manage.py import_members PATH [--dry-run] [--strict] [--errors-out PATH.csv] [--org CODE]"""

from django.utils.translation import gettext_lazy

from .import_enterprises import Command as EnterpriseCommand


class Command(EnterpriseCommand):
    help = gettext_lazy("导入会员名册（.xlsx/.xls/.csv）")
    kind = "members"
