from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qinqing.core.home_versions import Counts
from qinqing.core.navigation import NavItem
from qinqing.core.permissions import AUTHENTICATED

from .permissions import visible_notifications

ITEMS = [NavItem(gettext_lazy("消息"), "notifications:inbox", AUTHENTICATED, order=1, mobile=True)]


# What the card counts (qinqing.core.home): each user's own messages, a counter per recipient.
HOME_CARDS_COUNT = (Counts("notifications.Notification", per_user="recipient_id"),)


def home_cards(user) -> list[dict]:
    from django.urls import reverse

    unread = visible_notifications(user).filter(read_at__isnull=True).count()
    return [{"label": _("未读消息"), "value": unread, "url": reverse("notifications:inbox") + "?unread=1"}]
