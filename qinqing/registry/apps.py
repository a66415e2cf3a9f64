from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "qinqing.registry"
    label = "registry"
    verbose_name = "会员与商会"
