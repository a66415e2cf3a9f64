from django.utils.translation import gettext_lazy as _

from qinqing.core.navigation import NavItem

from .permissions import ANSWER, MANAGE, VIEW

GROUP = _("问卷调查")
ITEMS = [
    NavItem(_("我的问卷"), "surveys:list", ANSWER, group=GROUP, order=60, mobile=True),
    NavItem(_("问卷调查"), "surveys:list", VIEW, group=GROUP, order=60),
    NavItem(_("新建问卷"), "surveys:new", MANAGE, group=GROUP, order=61),
]
