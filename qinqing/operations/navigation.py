from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qinqing.core.home_versions import Counts
from qinqing.core.navigation import NavItem
from qinqing.core.permissions import user_has

from .permissions import VIEW_BACKUPS

ITEMS = [NavItem(gettext_lazy("备份"), "operations:backups", VIEW_BACKUPS, group=gettext_lazy("系统"), order=80)]


# What the card counts (qinqing.core.home); its age in hours is bounded by the cards' time limit.
HOME_CARDS_COUNT = (Counts("operations.BackupRecord"),)


def home_cards(user) -> list[dict]:
    """The system administrator's status line: age of the newest good backup (red when too old)."""
    if not user_has(user, VIEW_BACKUPS):
        return []
    from django.urls import reverse

    from .actions import backup_age_hours, backup_overdue

    age = backup_age_hours()
    value = _("从未备份") if age is None else _("%(hours)d 小时前") % {"hours": int(age)}
    label = _("最近备份（已过期）") if backup_overdue() else _("最近备份")
    return [{"label": label, "value": value, "url": reverse("operations:backups")}]
