from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "qinqing.programs"
    label = "programs"
    verbose_name = _("专项工作")
