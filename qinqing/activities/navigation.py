from django.utils.translation import gettext_lazy as _

from qinqing.core.navigation import NavItem

from .permissions import FIGURES, MANAGE, REGISTER

GROUP = _("活动与培训")
ITEMS = [
    NavItem(_("活动报名"), "activities:list", REGISTER, group=GROUP, order=60, mobile=True),
    NavItem(_("活动与培训"), "activities:list", MANAGE, group=GROUP, order=60),
    NavItem(_("活动统计"), "activities:figures", FIGURES, group=GROUP, order=61),
]
