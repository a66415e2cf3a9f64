from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediationConfig(AppConfig):
    name = "qinqing.mediation"
    label = "mediation"
    verbose_name = _("商会调解")
