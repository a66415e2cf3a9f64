from django import template

register = template.Library()


@register.filter
def index(sequence, i):
    try:
        return sequence[int(i)]
    except (IndexError, TypeError, ValueError, KeyError):
        return None


@register.filter
def signed(value):
    """+3.5 / -1.2 / — for comparisons."""
    if value is None:
        return "—"
    return f"{value:+}"
