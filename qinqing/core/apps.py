from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "qinqing.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        from .roles import load_grants

        load_grants()
