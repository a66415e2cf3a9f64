"""Display of scores and indicator values (missing shown as —)."""

from django import template

register = template.Library()


@register.filter
def score(value) -> str:
    return "—" if value is None else f"{value:.1f}"


@register.filter
def indicator(value) -> str:
    if value is None:
        return "—"
    return f"{value:,.2f}"


@register.filter
def dimension(code: str) -> str:
    from qinqing.health.indicators import DIMENSIONS

    return str(DIMENSIONS.get(code, "—"))
