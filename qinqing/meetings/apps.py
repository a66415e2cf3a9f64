from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "qinqing.meetings"
    label = "meetings"
    verbose_name = "政企恳谈会"
