"""The home page's role-specific parts (the view passes the domains' cards; these come from core.home), and the
side menu every page shows."""

from django import template
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join

from qinqing.core import home, navigation

register = template.Library()


@register.simple_tag
def home_scope(user) -> dict:
    return {"cards": home.cached_cards(user)["scope"], "profile": home.profile(user)}


@register.simple_tag(takes_context=True)
def side_menu(context, items) -> str:
    user = getattr(context.get("request"), "user", None)
    if user is None or not user.is_authenticated:
        return navigation.side_menu(items)
    active = next((item["url"] for item in items if item.get("active")), "")
    return navigation.cached_side_menu(user, active)


@register.simple_tag(takes_context=True)
def home_shortcuts(context, items) -> str:
    user = getattr(context.get("request"), "user", None)
    if user is None or not user.is_authenticated:
        return navigation.shortcuts(items)
    return navigation.cached_shortcuts(user)


@register.filter
def role_label(role: str) -> str:
    return home.role_label(role)


@register.simple_tag
def home_cards(cards) -> str:
    """The cards as core/partials/_card.html drew them, one include each: built with format_html instead (the
    same HTML; fourteen includes were a fifth of the city staff's home page rendering)."""
    return format_html_join("", "{}\n", ((_card(card),) for card in cards))


def _card(card: dict) -> str:
    number = format_html('<div class="num">{}</div><div class="label">{}</div>', localize(card["value"]), card["label"])
    if card.get("url"):
        number = format_html('<a href="{}">{}</a>', card["url"], number)
    return format_html('<div class="card">{}</div>', number)
