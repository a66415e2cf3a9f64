"""API plumbing shared by every domain's api.py: role permission, pagination, Chinese JSON errors."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import pagination, permissions

from . import audit
from .permissions import user_has


class RolePermission(permissions.BasePermission):
    """A view declares ``required_permission`` (or per-action ``required_permissions``)."""

    message = gettext_lazy("您的账号没有执行此操作的权限")

    def has_permission(self, request, view) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        perms = getattr(view, "required_permissions", None) or {}
        permission = perms.get(getattr(view, "action", None) or request.method.lower()) or getattr(
            view, "required_permission", None
        )
        if permission is None:
            return False  # no declaration, no access
        allowed = user_has(request.user, permission)
        if not allowed:
            audit.record(
                "security.permission_denied",
                actor=request.user,
                object_type="api",
                object_id=request.path[:64],
                object_repr=request.path[:255],
                success=False,
                message=_("缺少权限 %(permission)s") % {"permission": permission},
            )
        return allowed


class Pagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
