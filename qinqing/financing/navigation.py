from django.utils.translation import gettext_lazy as _

from qinqing.core.navigation import NavItem

from .permissions import FIGURES, HANDLE, MANAGE, REASONS, RECOMMEND, STATE, VIEW_PRODUCTS

GROUP = _("银企对接")
ITEMS = [
    NavItem(_("我的融资"), "financing:needs", STATE, group=GROUP, order=40, mobile=True),
    NavItem(_("融资需求"), "financing:needs", MANAGE, group=GROUP, order=40),
    NavItem(_("申报/推荐清单"), "financing:lists", MANAGE, group=GROUP, order=41),
    NavItem(_("银企对接会"), "financing:events", MANAGE, group=GROUP, order=42),
    NavItem(_("整改任务"), "financing:fixes", MANAGE, group=GROUP, order=43),
    NavItem(_("推荐企业"), "financing:bank", HANDLE, group=GROUP, order=40),
    NavItem(_("整会授信推荐"), "financing:chamber", RECOMMEND, group=GROUP, order=40),
    NavItem(_("信贷产品"), "financing:products", VIEW_PRODUCTS, group=GROUP, order=44),
    NavItem(_("未获贷原因目录"), "financing:reasons", REASONS, group=GROUP, order=46),
    NavItem(_("银企对接统计"), "financing:figures", FIGURES, group=GROUP, order=45),
]
