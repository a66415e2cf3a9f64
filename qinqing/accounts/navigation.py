"""Menu entries of the three administrators (三员), grouped under 系统管理, and everyone's own security page."""

from django.utils.translation import gettext_lazy as _

from qinqing.core.navigation import NavItem
from qinqing.core.permissions import AUTHENTICATED

GROUP = _("系统管理")

ITEMS = [
    NavItem(_("用户管理"), "accounts:user_list", "accounts.manage_user", group=GROUP, order=900),
    NavItem(_("账号申请"), "accounts:request_list", "accounts.view_request", group=GROUP, order=905),
    NavItem(_("账号安全"), "accounts:security", "accounts.view_security", group=GROUP, order=910),
    NavItem(_("审计日志"), "core:audit_log", "core.view_auditentry", group=GROUP, order=920),
    NavItem(_("我的账号安全"), "accounts:my_security", AUTHENTICATED, order=990),
]
