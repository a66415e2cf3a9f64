"""What every domain's api.py builds on: the viewset base, input validation, scoped references, the 409 answer.

Apart from ``core.api`` because DRF imports that module from its settings (the default permission class)
before its own views exist."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError

from .api import Pagination, RolePermission


class RefusalSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=gettext_lazy("拒绝原因（如当前状态不允许），未作任何修改"))


# The 409 answer of a step the object's state does not allow (actions raise core.errors.Refused).
REFUSED = OpenApiResponse(RefusalSerializer, description=gettext_lazy("当前状态不允许，未作任何修改"))


def validated(serializer_class, data) -> dict:
    """The request body checked by an input serializer (a 400 naming each bad field otherwise)."""
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def one_in_scope(queryset, pk, field: str, label: str, *, required: bool = True):
    """The object ``pk`` of an already scoped queryset, or a 400 naming ``field``; None for an optional empty id."""
    obj = queryset.filter(pk=pk).first() if pk else None
    if obj is None and (required or pk):
        raise ValidationError(
            {field: [_("%(label)s id %(id)s 不存在或不在您的管辖范围内") % {"label": label, "id": pk}]}
        )
    return obj


class DomainViewSet(viewsets.GenericViewSet):
    """The base of a domain's viewsets: role permissions, pagination, no PATCH or DELETE (writes are actions)."""

    permission_classes = [RolePermission]
    pagination_class = Pagination
    http_method_names = ["get", "post", "put", "head", "options"]

    def _page(self, queryset, serializer):
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(serializer(page, many=True, context={"request": self.request}).data)
