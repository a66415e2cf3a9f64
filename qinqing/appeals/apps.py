from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "qinqing.appeals"
    label = "appeals"
    verbose_name = _("企业诉求")

    def ready(self):
        from qinqing.core.calendar_actions import official_year_entered

        from .actions.deadlines import on_official_year_entered

        # Entering a year's official holiday schedule recomputes the open deadlines in it.
        official_year_entered.connect(on_official_year_entered, dispatch_uid="appeals.recompute_deadlines")
