from django.utils.translation import gettext_lazy as _

from qinqing.core.navigation import NavItem

from .permissions import FIGURES, MANAGE, OWN, SCHEME

GROUP = _("企业健康体检")
ITEMS = [
    NavItem(_("我的体检"), "health:mine", OWN, group=GROUP, order=50, mobile=True),
    NavItem(_("体检结果"), "health:results", MANAGE, group=GROUP, order=50),
    NavItem(_("体检走访"), "health:visits", MANAGE, group=GROUP, order=51),
    NavItem(_("体检批次"), "health:runs", MANAGE, group=GROUP, order=52),
    NavItem(_("评分方案"), "health:versions", SCHEME, group=GROUP, order=53),
    NavItem(_("体检统计"), "health:figures", FIGURES, group=GROUP, order=54),
]
