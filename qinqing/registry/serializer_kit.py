"""Serializer pieces the registry's API shares: a primary-key field scoped to what the user may see and
naming its field, masked numbers kept."""

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy
from rest_framework import serializers


def _interpolate(template: str, label: str) -> str:
    return template % {"label": label}


# The fields are made when their serializer class is defined: the messages are put together when shown.
_interpolate_lazy = lazy(_interpolate, str)


class ScopedPrimaryKey(serializers.PrimaryKeyRelatedField):
    """An id of an object the user may see (``scope(user)``); anything else is refused naming the field,
    whether it is missing or another node's (the two look the same)."""

    def __init__(self, *, scope, label: str, **kwargs):
        self.scope = scope
        kwargs.setdefault(
            "error_messages",
            {
                "does_not_exist": _interpolate_lazy(gettext_lazy("%(label)s：不存在或不在您的管辖范围内"), label),
                "incorrect_type": _interpolate_lazy(gettext_lazy("%(label)s：应为编号（整数）"), label),
                "required": _interpolate_lazy(gettext_lazy("%(label)s：请填写"), label),
                "null": _interpolate_lazy(gettext_lazy("%(label)s：请填写"), label),
            },
        )
        super().__init__(label=label, **kwargs)

    def get_queryset(self):
        return self.scope(self.context["request"].user)


def without_masked(attrs: dict) -> dict:
    """A masked number sent back as received keeps the stored one."""
    return {name: value for name, value in attrs.items() if not (isinstance(value, str) and "*" in value)}
