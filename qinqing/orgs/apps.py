from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "qinqing.orgs"
    label = "orgs"
    verbose_name = _("组织机构")
