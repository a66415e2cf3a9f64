from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactlogConfig(AppConfig):
    name = "qinqing.contactlog"
    label = "contactlog"
    verbose_name = _("亲清日志")
