from qinqing.core.navigation import NavItem

from .permissions import VIEW

ITEMS = [NavItem("政企恳谈会", "meetings:list", VIEW, group="诉求", order=25)]
