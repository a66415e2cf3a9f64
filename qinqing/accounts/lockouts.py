"""What the 安全管理员 sees: usernames locked out now and recent failed sign-ins, within their scope.

django-axes keeps one AccessAttempt row per (username, IP, user agent); the lockout is by username, so
the failures of one username are summed across rows, counting only rows newer than the cool-off
threshold (as axes itself does).
"""

from dataclasses import dataclass
from datetime import datetime

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Count, Max, QuerySet, Sum
from django.utils import timezone

from qinqing.core.models import AuditEntry

from .models import User

FAILURE_ACTIONS = ("security.login_failed", "security.lockout")


@dataclass(frozen=True)
class Lockout:
    username: str
    failures: int
    last_attempt: datetime
    ip_count: int
    unlocks_at: datetime
    user: User | None


def failure_limit() -> int:
    return int(settings.AXES_FAILURE_LIMIT)


def cool_off_threshold(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - settings.AXES_COOLOFF_TIME


def sees_unknown_usernames(actor) -> bool:
    """Failures against usernames that match no account belong to no organisation: only an
    administrator at the top of the tree sees them."""
    return actor.org is not None and actor.org.parent_id is None


def _scoped_usernames(actor, usernames: set[str]) -> set[str]:
    from .permissions import visible_users

    known = set(User.objects.filter(username__in=usernames).values_list("username", flat=True))
    visible = set(visible_users(actor).filter(username__in=usernames).values_list("username", flat=True))
    unknown = usernames - known
    return visible | (unknown if sees_unknown_usernames(actor) else set())


def username_in_scope(actor, username: str) -> bool:
    return username in _scoped_usernames(actor, {username})


def current_lockouts(actor) -> list[Lockout]:
    if not actor.has_perm("accounts.view_security"):
        return []
    rows = (
        AccessAttempt.objects.filter(attempt_time__gte=cool_off_threshold(), username__isnull=False)
        .values("username")
        .annotate(
            failures=Sum("failures_since_start"), last=Max("attempt_time"), ips=Count("ip_address", distinct=True)
        )
        .filter(failures__gte=failure_limit())
        .order_by("-last")
    )
    rows = list(rows)
    allowed = _scoped_usernames(actor, {row["username"] for row in rows})
    users = {u.username: u for u in User.objects.filter(username__in=allowed).select_related("org")}
    return [
        Lockout(
            username=row["username"],
            failures=row["failures"],
            last_attempt=row["last"],
            ip_count=row["ips"],
            unlocks_at=row["last"] + settings.AXES_COOLOFF_TIME,
            user=users.get(row["username"]),
        )
        for row in rows
        if row["username"] in allowed
    ]


def recent_failures(actor) -> QuerySet[AuditEntry]:
    """Failed sign-ins and lockouts from the audit log, newest first, within the actor's scope."""
    if not actor.has_perm("accounts.view_security"):
        return AuditEntry.objects.none()
    entries = AuditEntry.objects.filter(action__in=FAILURE_ACTIONS)
    if sees_unknown_usernames(actor):
        in_other_trees = User.objects.exclude(org__path__startswith=actor.org.path).values("username")
        return entries.exclude(object_repr__in=in_other_trees).order_by("-id")
    from .permissions import visible_users

    return entries.filter(object_repr__in=visible_users(actor).values("username")).order_by("-id")
