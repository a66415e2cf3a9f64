"""The home page's role-specific parts (the view passes the domains' cards; these come from core.home), and the
side menu every page shows."""

import html

from django import template
from django.utils.formats import localize
from django.utils.functional import Promise
from django.utils.safestring import mark_safe

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
    """The cards as core/partials/_card.html drew them, one include each: the same HTML, built by string
    formatting with each value escaped (fourteen includes, then format_html's lazy-argument checks, were a fifth
    of the city staff's home page rendering)."""
    return mark_safe("".join(map(_card, cards)))  # noqa: S308 -- every value is escaped by _escaped


def _card(card: dict) -> str:
    inner = (
        f'<div class="num">{_escaped(localize(card["value"]))}</div><div class="label">{_escaped(card["label"])}</div>'
    )
    if card.get("url"):
        inner = f'<a href="{_escaped(card["url"])}">{inner}</a>'
    return f'<div class="card">{inner}</div>\n'


def _escaped(value) -> str:
    """conditional_escape(value), as the template's {{ }} does: safe strings as they are, the rest escaped."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))
