"""manage.py demo_logins: the demo accounts as a table (role, username, password, organisation)."""

import unicodedata

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from qinqing.core.demo_tree import DEMO_ACCOUNTS, DEMO_PASSWORD


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


class Command(BaseCommand):
    @property
    def help(self) -> str:  # argparse needs a str, not a lazy string
        return _("列出演示账号：角色、账号、密码、所属组织")

    def handle(self, *args, **options):
        from qinqing.accounts.models import User

        users = {
            u.username: u
            for u in User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS]).select_related(
                "org", "enterprise"
            )
        }
        rows = [(_("角色"), _("账号"), _("密码"), _("所属组织"))]
        for account in DEMO_ACCOUNTS:
            user = users.get(account.username)
            if user is None:
                continue
            where = user.enterprise.name if user.enterprise_id else user.org.name
            rows.append((account.label, account.username, DEMO_PASSWORD, where))
        if len(rows) == 1:
            self.stdout.write(_("没有演示账号：请先运行 manage.py seed_demo"))
            return
        widths = [max(_width(row[i]) for row in rows) for i in range(4)]
        self.stdout.write(_("演示账号（首次登录无需改密码）："))
        for n, row in enumerate(rows):
            self.stdout.write("  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip())
            if n == 0:
                self.stdout.write("  ".join("-" * w for w in widths))
