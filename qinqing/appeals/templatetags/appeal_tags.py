from django import template

register = template.Library()


@register.filter
def get_rate(mapping, key):
    """Look a key up in a dict (rates by name); percentages get a % sign, missing shows —."""
    value = mapping.get(key) if hasattr(mapping, "get") else None
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value}%"
    return value
