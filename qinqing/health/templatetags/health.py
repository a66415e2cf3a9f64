"""Display of scores and indicator values (missing shown as —)."""

from django import template

register = template.Library()


def _number(value) -> float | None:
    """A score or value as stored (a number, a Decimal, or text from the JSON of a result); None when missing."""
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


@register.filter
def score(value) -> str:
    number = _number(value)
    return "—" if number is None else f"{number:.1f}"


@register.filter
def indicator(value) -> str:
    number = _number(value)
    return "—" if number is None else f"{number:,.2f}"


@register.filter
def dimension(code: str) -> str:
    from qinqing.health.indicators import DIMENSIONS

    return str(DIMENSIONS.get(code, "—"))
