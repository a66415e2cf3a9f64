"""Region names in organisation pages, from the GB/T 2260 table held in memory (no query per row)."""

from django import template

from ..regions import region_of

register = template.Library()


@register.filter
def region_label(code: str | None) -> str:
    """``岳阳县（430621）``; an unknown code as typed; blank as —."""
    if not code:
        return "—"
    region = region_of(code)
    return f"{region.name}（{code}）" if region is not None else code
