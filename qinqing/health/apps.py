from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HealthConfig(AppConfig):
    name = "qinqing.health"
    label = "health"
    verbose_name = _("企业健康体检")
