"""manage.py warm_report_pages: count the province's and cities' default report pages now (the dashboard and the
figures page, 本年, for each report reader role's figures) and keep those whose count is expensive — what the
scheduler's warm_default_pages does every two minutes; run it after a deployment or a bulk load so the first
leader does not wait (qinqing.reports.snapshots)."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _

from qinqing.reports.snapshots import default_targets, warm


class Command(BaseCommand):
    @property
    def help(self) -> str:  # argparse needs a str, not a lazy string
        return _("预先统计省、市两级工商联的数据看板和统计指标页（本年）")

    def handle(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):
            done = warm(default_targets())
        self.stdout.write(
            _("已统计 %(counted)d 页，其中保存快照 %(kept)d 页，跳过 %(skipped)d 页（快照仍新或统计很快）") % done
        )
