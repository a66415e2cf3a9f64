"""Create one of the three administrators (三员) on a fresh deployment.

    manage.py create_admin --username sysadmin --name 张三 --role sys_admin --org-code 430000

The password is asked twice on the terminal unless --password is given (or QINQING_ADMIN_PASSWORD is
set, for unattended installs); it must satisfy the password policy. There is no superuser: the three
roles are separate and only this command can create them.
"""

import getpass
import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from qinqing.accounts import actions
from qinqing.core.context import batch
from qinqing.core.roles import ADMIN_ROLES, Role
from qinqing.orgs.models import Organization


class Command(BaseCommand):
    @property
    def help(self) -> str:  # argparse needs a str, not a lazy string
        return _("创建三员账号（系统管理员、安全管理员、审计管理员）")

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True, help=_("账号"))
        parser.add_argument("--name", required=True, help=_("姓名"))
        parser.add_argument(
            "--role", required=True, choices=sorted(role.value for role in ADMIN_ROLES), help=_("三员角色")
        )
        parser.add_argument("--org-code", required=True, help=_("所属工商联的组织编码（如 430000）"))
        parser.add_argument("--title", default="", help=_("职务"))
        parser.add_argument("--password", help=_("密码（不提供则在终端输入）"))
        parser.add_argument(
            "--must-change-password", action="store_true", help=_("首次登录须修改密码（由他人代为创建时使用）")
        )

    def handle(self, *args, **options):
        org = Organization.objects.filter(code=options["org_code"]).first()
        if org is None:
            raise CommandError(_("组织编码“%(code)s”不存在，请先导入组织机构") % {"code": options["org_code"]})
        password = options["password"] or os.environ.get("QINQING_ADMIN_PASSWORD") or self._ask_password()
        with batch("create_admin"):
            try:
                user = actions.create_user(
                    username=options["username"],
                    name=options["name"],
                    role=options["role"],
                    org=org,
                    title=options["title"],
                    password=password,
                    must_change_password=options["must_change_password"],
                    actor=None,
                )
            except ValidationError as exc:
                details = "；".join(f"{field}: {'；'.join(messages)}" for field, messages in exc.message_dict.items())
                raise CommandError(_("未创建账号：%(details)s") % {"details": details}) from None
        self.stdout.write(
            self.style.SUCCESS(
                _("已创建%(role)s“%(username)s”（%(name)s，%(org)s）")
                % {"role": Role(user.role).label, "username": user.username, "name": user.name, "org": org.name}
            )
        )

    def _ask_password(self) -> str:
        if not self.stdin_is_tty():
            raise CommandError(_("请用 --password 或环境变量 QINQING_ADMIN_PASSWORD 提供密码"))
        first = getpass.getpass(_("密码："))
        second = getpass.getpass(_("再次输入密码："))
        if first != second:
            raise CommandError(_("两次输入的密码不一致"))
        return first

    @staticmethod
    def stdin_is_tty() -> bool:
        import sys

        return sys.stdin.isatty()
