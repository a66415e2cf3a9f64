from django import template

register = template.Library()


@register.filter
def index(sequence, position):
    """The item at ``position`` of a list (the breakdown's figure keys beside its values)."""
    try:
        return sequence[int(position)]
    except (IndexError, TypeError, ValueError):
        return ""
