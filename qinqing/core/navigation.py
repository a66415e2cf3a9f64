"""Navigation by role. Each domain lists its own entries in ``<app>/navigation.py`` as ``ITEMS``."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .discovery import domain_modules
from .permissions import AUTHENTICATED, user_has


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str
    group: str = ""
    order: int = 100
    mobile: bool = False  # shown first on a phone (enterprise-facing pages)


ITEMS = [NavItem(_("首页"), "core:home", AUTHENTICATED, order=0, mobile=True)]


def _all_items() -> list[NavItem]:
    items: list[NavItem] = []
    for _config, module in domain_modules("navigation"):
        items.extend(getattr(module, "ITEMS", []))
    return sorted(items, key=lambda item: item.order)


def items_for(user) -> list[dict]:
    result = []
    for item in _all_items():
        if not user_has(user, item.permission):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        result.append({"label": item.label, "url": url, "group": item.group, "mobile": item.mobile})
    return result


def items_for_permission(user, permission: str) -> str:
    """URL of the first navigation entry guarded by ``permission`` that ``user`` may open, else ""."""
    if not user_has(user, permission):
        return ""
    for item in _all_items():
        if item.permission != permission:
            continue
        try:
            return reverse(item.url_name)
        except NoReverseMatch:
            continue
    return ""


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    path = request.path
    items = items_for(user)
    # The one entry whose address is the longest prefix of this page (/appeals/figures/ is 诉求统计, not 企业诉求).
    matches = [i for i in items if (i["url"] == path if i["url"] == "/" else path.startswith(i["url"]))]
    current = max(matches, key=lambda i: len(i["url"]), default=None)
    for item in items:
        item["active"] = item is current
    return {"nav_items": items}
