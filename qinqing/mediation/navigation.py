from django.utils.translation import gettext_lazy as _

from qinqing.core.navigation import NavItem

from .permissions import BODIES, FIGURES, REGISTER, VIEW

GROUP = _("商会调解")
ITEMS = [
    NavItem(_("调解案件"), "mediation:cases", VIEW, group=GROUP, order=60, mobile=True),
    NavItem(_("调解组织"), "mediation:bodies", BODIES, group=GROUP, order=61),
    NavItem(_("法院数据交换"), "mediation:exchange", REGISTER, group=GROUP, order=62),
    NavItem(_("调解统计"), "mediation:figures", FIGURES, group=GROUP, order=63),
]
