from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "qinqing.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from . import checks  # noqa: F401 -- registers the key-location and audit-retention checks
        from .audit_guard import register_sqlite_function
        from .home_versions import connect as connect_home_versions
        from .roles import load_grants

        connection_created.connect(register_sqlite_function, dispatch_uid="qinqing_audit_guard")

        load_grants()
        connect_home_versions()  # home cards recount when what they count changes
