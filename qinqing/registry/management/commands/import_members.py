"""manage.py import_members PATH [--dry-run] [--strict] [--errors-out PATH.csv] [--org CODE]"""

from django.utils.translation import gettext as _

from .import_enterprises import Command as EnterpriseCommand


class Command(EnterpriseCommand):
    @property
    def help(self) -> str:  # argparse needs a str, not a lazy string
        return _("导入会员名册（.xlsx/.xls/.csv）")

    kind = "members"
