"""The home page's role-specific parts (the view passes the domains' cards; these come from core.home)."""

from django import template

from qinqing.core import home

register = template.Library()


@register.simple_tag
def home_scope(user) -> dict:
    return {"cards": home.cached_cards(user)["scope"], "profile": home.profile(user)}
