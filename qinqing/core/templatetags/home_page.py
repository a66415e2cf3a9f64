"""The home page's role-specific parts (the view passes the domains' cards; these come from core.home), and the
side menu every page shows."""

from django import template

from qinqing.core import home, navigation

register = template.Library()


@register.simple_tag
def home_scope(user) -> dict:
    return {"cards": home.cached_cards(user)["scope"], "profile": home.profile(user)}


@register.simple_tag
def side_menu(items) -> str:
    return navigation.side_menu(items)


@register.simple_tag
def home_shortcuts(items) -> str:
    return navigation.shortcuts(items)
