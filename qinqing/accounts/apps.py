from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "qinqing.accounts"
    label = "accounts"
    verbose_name = "账号与安全"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (login / logout / failure / lockout audit)
