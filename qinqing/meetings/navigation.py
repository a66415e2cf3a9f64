from django.utils.translation import gettext_lazy as _

from qinqing.core.navigation import NavItem

from .permissions import VIEW

ITEMS = [NavItem(_("政企恳谈会"), "meetings:list", VIEW, group=_("诉求"), order=25)]
