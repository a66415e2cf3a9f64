from django.utils.translation import gettext_lazy as _

from qinqing.core.navigation import NavItem

from .permissions import FIGURES, LINKS, MANAGE, QUESTIONNAIRE, REQUEST, TALKS, VIEW

GROUP = _("法治体检")
ITEMS = [
    NavItem(_("法治体检"), "legal:checkups", VIEW, group=GROUP, order=50, mobile=True),
    NavItem(_("申请法治体检"), "legal:checkup_request", REQUEST, group=GROUP, order=51, mobile=True),
    NavItem(_("体检批次"), "legal:rounds", MANAGE, group=GROUP, order=52),
    NavItem(_("万所联万会"), "legal:links", LINKS, group=GROUP, order=53),
    NavItem(_("法律讲座"), "legal:talks", TALKS, group=GROUP, order=54),
    NavItem(_("体检问卷"), "legal:versions", QUESTIONNAIRE, group=GROUP, order=55),
    NavItem(_("法治体检统计"), "legal:figures", FIGURES, group=GROUP, order=56),
]
