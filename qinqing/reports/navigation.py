from django.utils.translation import gettext_lazy as _

from qinqing.core.navigation import NavItem

from .permissions import MANAGE, VIEW

ITEMS = [
    NavItem(_("数据看板"), "reports:dashboard", VIEW, group=_("统计报表"), order=80),
    NavItem(_("统计指标"), "reports:figures", VIEW, group=_("统计报表"), order=81),
    NavItem(_("会员和商会统计"), "reports:statistics", VIEW, group=_("统计报表"), order=81),
    NavItem(_("年度工作总结"), "reports:summaries", VIEW, group=_("统计报表"), order=82),
    NavItem(_("企业榜单"), "reports:rankings", VIEW, group=_("统计报表"), order=83),
    NavItem(_("参政议政"), "reports:outputs", VIEW, group=_("统计报表"), order=84),
    NavItem(_("诉求主题分析"), "reports:themes", MANAGE, group=_("统计报表"), order=85),
]
