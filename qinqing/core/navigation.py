"""Navigation by role. Each domain lists its own entries in ``<app>/navigation.py`` as ``ITEMS``."""

import functools
from dataclasses import dataclass

from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
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
    """The entries the user may open (fresh dicts: the caller marks the active one)."""
    if not user.is_authenticated:
        return []
    return _items(_menu_key(user))


def _menu_key(user) -> tuple[frozenset[str], str]:
    return frozenset(user.get_all_permissions()), get_script_prefix()  # what user_has() and reverse() consult


@functools.lru_cache(maxsize=128)
def _entries(permissions: frozenset[str], _prefix: str) -> tuple[tuple, ...]:
    """Every page shows the menu: its entries are worked out once per set of permissions (in effect per role),
    not with a permission check and a reverse() for each of ~60 entries on every request."""
    result = []
    for item in _all_items():
        if item.permission != AUTHENTICATED and item.permission not in permissions:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        result.append((item.label, url, item.group, item.mobile))
    return tuple(result)


def side_menu(items: list[dict]) -> SafeString:
    """The side menu's links under their group headings (base.html): built here, not by a template loop over
    every entry, which was a third of the home page's rendering."""
    parts, group = [], None
    for item in items:
        if item["group"] != group:
            group = item["group"]
            if group:
                parts.append(format_html('<div class="group">{}</div>', group))
        active = "active" if item.get("active") else ""
        parts.append(format_html('<a href="{}" class="{}">{}</a>', item["url"], active, item["label"]))
    return mark_safe("".join(parts))  # noqa: S308 -- every part is built by format_html


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


def shortcuts(items: list[dict]) -> SafeString:
    """The home page's 常用功能: every entry but the home page itself, as list items."""
    links = [
        format_html('<li><a href="{}">{}</a></li>', item["url"], item["label"]) for item in items if item["url"] != "/"
    ]
    return mark_safe("".join(links))  # noqa: S308 -- every part is built by format_html


def cached_side_menu(user, active_url: str) -> SafeString:
    """side_menu() of the user's entries with ``active_url`` marked, kept per permissions, language and page:
    the same few kilobytes of HTML for every request of a role on a page (format_html and a translation per
    entry were a fifth of the home page's time)."""
    return _side_menu_html(_menu_key(user), get_language(), active_url)


def cached_shortcuts(user) -> SafeString:
    return _shortcuts_html(_menu_key(user), get_language())


def _items(key: tuple) -> list[dict]:
    return [
        {"label": label, "url": url, "group": group, "mobile": mobile} for label, url, group, mobile in _entries(*key)
    ]


@functools.lru_cache(maxsize=1024)
def _side_menu_html(key: tuple, _language: str, active_url: str) -> SafeString:
    items = _items(key)
    for item in items:  # the first entry of that address, as navigation() marks it
        if item["url"] == active_url:
            item["active"] = True
            break
    return side_menu(items)


@functools.lru_cache(maxsize=128)
def _shortcuts_html(key: tuple, _language: str) -> SafeString:
    return shortcuts(_items(key))
