from django.utils.translation import gettext_lazy as _

from qinqing.core.navigation import NavItem

ITEMS = [
    NavItem(_("组织机构"), "orgs:tree", "orgs.view_organization", group=_("基础数据"), order=900),
    NavItem(_("节假日设置"), "core:calendar", "core.manage_calendar", group=_("系统管理"), order=950),
]
