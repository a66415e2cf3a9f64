"""Permission declarations for views, and the organisation-tree scope every read goes through.

Every view carries an explicit ``required_permission`` (or ``is_public``); the role × URL test in
core/tests reads these attributes, so a view without one fails the suite.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from . import audit
from .roles import Role

AUTHENTICATED = "__authenticated__"  # any signed-in user, whatever the role

GRANTS = {
    Role.AUDIT_ADMIN: {"core.view_auditentry"},
    Role.SYS_ADMIN: {"core.manage_calendar"},
}


def user_has(user, permission: str) -> bool:
    if not user.is_authenticated:
        return False
    if permission == AUTHENTICATED:
        return True
    return user.has_perm(permission)


def deny(request, permission: str) -> None:
    audit.record(
        "security.permission_denied",
        actor=request.user,
        object_type="url",
        object_id=request.path[:64],
        object_repr=request.path[:255],
        success=False,
        message=_("缺少权限 %(permission)s") % {"permission": permission},
    )
    raise PermissionDenied


def requires(permission: str) -> Callable:
    """Decorate a function view: sign-in required, then the given permission (or AUTHENTICATED)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user_has(request.user, permission):
                deny(request, permission)
            return view(request, *args, **kwargs)

        wrapped.required_permission = permission
        return wrapped

    return decorator


def public(view):
    """Mark a view that anonymous visitors may open (login page, health check)."""
    view.is_public = True
    return view


def subtree_q(user, path_field: str) -> Q:
    """Rows whose organisation path lies in the user's node or below it; nothing for a user without one."""
    org = getattr(user, "org", None)
    if not user.is_authenticated or org is None or not org.path:
        return Q(pk__in=[])
    return Q(**{f"{path_field}__startswith": org.path})


def visible_audit_entries(user):
    """The audit rows an audit administrator reads: those of their node and below, and the events with
    no organisation (sign-in failures of unknown names, system jobs), which belong to the deployment."""
    from .models import AuditEntry

    if not user_has(user, "core.view_auditentry"):
        return AuditEntry.objects.none()
    return AuditEntry.objects.filter(subtree_q(user, "org_path") | Q(org_path=""))
