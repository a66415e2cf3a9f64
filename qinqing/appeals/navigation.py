from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qinqing.core.home_versions import Counts
from qinqing.core.navigation import NavItem

from . import workflow as wf
from .permissions import CLASSIFY, FIGURES, SUBMIT, VIEW, visible_appeals

ITEMS = [
    NavItem(gettext_lazy("企业诉求"), "appeals:list", VIEW, group=gettext_lazy("诉求"), order=20, mobile=True),
    NavItem(gettext_lazy("提交诉求"), "appeals:new", SUBMIT, group=gettext_lazy("诉求"), order=21, mobile=True),
    NavItem(gettext_lazy("诉求查询"), "appeals:track", VIEW, group=gettext_lazy("诉求"), order=22, mobile=True),
    NavItem(gettext_lazy("诉求统计"), "appeals:figures", FIGURES, group=gettext_lazy("诉求"), order=23),
    NavItem(gettext_lazy("诉求分类"), "appeals:classification", CLASSIFY, group=gettext_lazy("诉求"), order=24),
]


_COUNTED_FIELDS = """status deadline_state org_path lead_department lead_department_id enterprise enterprise_id
    chamber chamber_id reported_by reported_by_id"""
# What the cards count (qinqing.core.home): they are recounted when one of these changes.
HOME_CARDS_COUNT = (
    Counts("appeals.Appeal", fields=frozenset(_COUNTED_FIELDS.split())),
    Counts("appeals.Appeal_co_departments"),  # a liaison's co-handled appeals
    Counts("registry.Member"),  # a chamber secretary's members' appeals
)


def home_cards(user) -> list[dict]:
    if not user.has_perm(VIEW):
        return []
    qs = visible_appeals(user).filter(status__in=wf.OPEN_STATES)
    url = reverse("appeals:list")
    role = user.role
    cards = [{"label": _("办理中的诉求"), "value": qs.count(), "url": f"{url}?status=open"}]
    if role in (wf.STAFF, wf.LIAISON, wf.LEADER):
        cards.append(
            {
                "label": _("超期诉求"),
                "value": qs.filter(deadline_state="overdue").count(),
                "url": f"{url}?deadline=overdue",
            }
        )
    if role == wf.STAFF:
        cards.append(
            {"label": _("待受理"), "value": qs.filter(status=wf.REGISTERED).count(), "url": f"{url}?status=registered"}
        )
    return cards
