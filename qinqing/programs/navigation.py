from django.utils.translation import gettext_lazy as _

from qinqing.core.navigation import NavItem

from .permissions import FIGURES, LISTING, VIEW

GROUP = _("专项工作")
ITEMS = [
    NavItem(_("万企兴万村"), "programs:pairings", VIEW, group=GROUP, order=60, mobile=True),
    NavItem(_("光彩捐赠"), "programs:donations", VIEW, group=GROUP, order=61, mobile=True),
    NavItem(_("上市后备"), "programs:candidates", LISTING, group=GROUP, order=62),
    NavItem(_("专项工作统计"), "programs:figures", FIGURES, group=GROUP, order=63),
]
