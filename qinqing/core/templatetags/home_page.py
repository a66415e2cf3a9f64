"""The home page's role-specific parts (the view passes the domains' cards; these come from core.home), and the
side menu every page shows."""

from django import template

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
