"""Personal numbers as a given user may see them.

Screens always show them masked; a holder of registry.view_pii reveals one number at a time, and each
reveal is audited (actions.reveal_pii). Exports and the API give holders the full numbers and audit that.
"""

from .standards import idcard, mobile


def masked_id(value: str) -> str:
    if not value:
        return value
    try:
        return idcard.mask(value)
    except ValueError:
        return value[:2] + "*" * max(len(value) - 4, 0) + value[-2:]


def masked_mobile(value: str) -> str:
    if not value:
        return value
    try:
        return mobile.mask_mobile(value)
    except ValueError:
        return value[:3] + "****" + value[7:]


def show_id(value: str, user) -> str:
    return value if value and user.has_perm("registry.view_pii") else masked_id(value)


def show_mobile(value: str, user) -> str:
    return value if value and user.has_perm("registry.view_pii") else masked_mobile(value)
