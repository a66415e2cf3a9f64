"""Registry entries in the side navigation (group 会员与商会) and home-page cards."""

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from qinqing.core.home_versions import Counts
from qinqing.core.navigation import NavItem

GROUP = _("会员与商会")
ITEMS = [
    NavItem(_("会员与商会概况"), "registry:overview", "registry.view_statistics", GROUP, 200),
    NavItem(_("企业名录"), "registry:enterprise_list", "registry.view_enterprise", GROUP, 210, mobile=True),
    NavItem(_("会员名册"), "registry:member_list", "registry.view_member", GROUP, 220),
    NavItem(_("商会"), "registry:chamber_list", "registry.view_chamber", GROUP, 230),
    NavItem(_("换届提醒"), "registry:term_due", "registry.view_chamber", GROUP, 240),
    NavItem(_("导入"), "registry:import_start", "registry.import_registry", GROUP, 250),
]


# What the cards count (qinqing.core.home): members, and chambers by their term's end.
HOME_CARDS_COUNT = (Counts("registry.Member"), Counts("registry.Chamber"))


def home_cards(user) -> list[dict]:
    from . import permissions, statistics

    cards = []
    if user.has_perm("registry.view_statistics"):
        members = statistics.members_in_register(permissions.visible_members(user), timezone.localdate().year)
        cards.append({"label": gettext("在册会员"), "value": members, "url": "/registry/members/?status=active"})
    if user.has_perm("registry.view_chamber") and user.role != "chamber_secretary":
        due = statistics.term_due(permissions.visible_chambers(user), timezone.localdate()).count()
        cards.append({"label": gettext("90天内需换届商会"), "value": due, "url": "/registry/chambers/term-due/"})
    return cards
