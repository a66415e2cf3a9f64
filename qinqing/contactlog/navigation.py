from django.utils.translation import gettext_lazy as _

from qinqing.core.navigation import NavItem

from .permissions import FIGURES, LOG, REVIEW, VIEW

GROUP = _("亲清日志")
ITEMS = [
    NavItem(_("亲清日志"), "contactlog:entries", VIEW, group=GROUP, order=80),
    NavItem(_("记录接触"), "contactlog:entry_new", LOG, group=GROUP, order=81),
    NavItem(_("待审查"), "contactlog:review", REVIEW, group=GROUP, order=82),
    NavItem(_("负面清单"), "contactlog:conduct", VIEW, group=GROUP, order=83),
    NavItem(_("亲清日志统计"), "contactlog:figures", FIGURES, group=GROUP, order=84),
]
