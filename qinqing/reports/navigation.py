from django.utils.translation import gettext_lazy as _

from qinqing.core.navigation import NavItem

from .permissions import VIEW

ITEMS = [
    NavItem(_("数据看板"), "reports:dashboard", VIEW, group=_("统计报表"), order=80),
    NavItem(_("统计指标"), "reports:figures", VIEW, group=_("统计报表"), order=81),
]
