from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "qinqing.meetings"
    label = "meetings"
    verbose_name = _("政企恳谈会")
