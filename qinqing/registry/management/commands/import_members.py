"""manage.py import_members PATH [--dry-run] [--strict] [--errors-out PATH.csv] [--org CODE]"""

from .import_enterprises import Command as EnterpriseCommand


class Command(EnterpriseCommand):
    help = "导入会员名册（.xlsx/.xls/.csv）"
    kind = "members"
