"""Names for codes in templates: GB/T 4754 industries as 代码 + 名称, GB/T 2260 regions by name."""

from __future__ import annotations

from django import template

from qinqing.orgs.models import Region

from ..standards import industry as industry_standard

register = template.Library()


def industry_display(code: str | None) -> str:
    """``C3311 金属结构制造``; an unknown code as typed; blank as —."""
    if not code:
        return "—"
    return industry_standard.display(code) or code


def region_names(codes) -> dict[str, str]:
    """Current names of GB/T 2260 codes (one query); the latest version of an abolished code."""
    wanted = {c for c in codes if c}
    found: dict[str, str] = {}
    for code, name in Region.objects.filter(code__in=wanted).order_by("code", "valid_from").values_list("code", "name"):
        found[code] = name
    return found


def region_display(code: str | None) -> str:
    """``岳阳县（430621）``; an unknown code as typed; blank as —."""
    if not code:
        return "—"
    name = region_names([code]).get(code)
    return f"{name}（{code}）" if name else code


@register.filter
def industry(code: str | None) -> str:
    return industry_display(code)


@register.filter
def region(code: str | None) -> str:
    return region_display(code)
