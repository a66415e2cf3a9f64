"""manage.py export_chambers PATH.csv|PATH.xlsx [--org CODE] [--unmasked]: the chamber list, re-importable
(audited like every export)."""

from django.utils.translation import gettext as _

from qinqing.registry.models import Chamber

from .export_enterprises import Command as EnterpriseCommand


class Command(EnterpriseCommand):
    @property
    def help(self) -> str:  # argparse needs a str, not a lazy string
        return _("导出商会名录（.csv 或 .xlsx），可原样导入")

    kind = "chambers"
    model = Chamber
