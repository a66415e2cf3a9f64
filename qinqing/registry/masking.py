"""Personal numbers as a given user may see them: masked unless they hold registry.view_pii."""

from .standards import idcard, mobile


def show_id(value: str, user) -> str:
    if not value or user.has_perm("registry.view_pii"):
        return value
    try:
        return idcard.mask(value)
    except ValueError:
        return value[:2] + "*" * max(len(value) - 4, 0) + value[-2:]


def show_mobile(value: str, user) -> str:
    if not value or user.has_perm("registry.view_pii"):
        return value
    try:
        return mobile.mask_mobile(value)
    except ValueError:
        return value[:3] + "****" + value[7:]
