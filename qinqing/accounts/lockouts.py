"""Lockouts: the (username, source address) pair first, the username alone only when several addresses fail.

django-axes keeps one AccessAttempt row per (username, IP, user agent) and is configured to lock the
(username, IP) pair (``AXES_LOCKOUT_PARAMETERS``). ``AuditedAxesHandler`` adds the username-wide lock:
when failures against one username within the cool-off period come from at least
``QINQING_LOCKOUT_ADDRESSES`` distinct addresses and add up to the failure limit, the username is
locked from everywhere. So five anonymous requests from one address lock that address out of the
account, not the 安全管理员 out of their own account.

A refused attempt during a lockout is not recorded (``AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT``
off), so a lock ends ``AXES_COOLOFF_TIME`` after the failure that caused it, however often someone
retries. Every reset of attempts — the 安全管理员's page, ``manage.py axes_reset*``, a script calling
``axes.utils.reset`` — goes through the handler and writes a ``security.unlock`` audit row.
"""

import contextvars
import getpass
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Count, Max, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from qinqing.core import audit
from qinqing.core.models import AuditEntry

from .models import User

FAILURE_ACTIONS = ("security.login_failed", "security.lockout")

# Who is unlocking (set by accounts.actions.unlock_user); None means a command or script.
_UNLOCK_ACTOR: contextvars.ContextVar = contextvars.ContextVar("qinqing_unlock_actor", default=None)


@contextmanager
def unlocking_as(actor):
    token = _UNLOCK_ACTOR.set(actor)
    try:
        yield
    finally:
        _UNLOCK_ACTOR.reset(token)


def failure_limit() -> int:
    return int(settings.AXES_FAILURE_LIMIT)


def address_limit() -> int:
    return int(settings.QINQING_LOCKOUT_ADDRESSES)


def cool_off_threshold(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - settings.AXES_COOLOFF_TIME


def username_failures(username: str, since: datetime) -> tuple[int, int]:
    """(failures, distinct source addresses) against one username since a moment."""
    row = AccessAttempt.objects.filter(username=username, attempt_time__gte=since).aggregate(
        failures=Sum("failures_since_start"), ips=Count("ip_address", distinct=True)
    )
    return row["failures"] or 0, row["ips"] or 0


class AuditedAxesHandler(AxesDatabaseHandler):
    """axes' database handler with the username-wide lock and an audit row for every reset."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        pair = super().get_failures(request, credentials)
        username = get_client_username(request, credentials)
        if not username:
            return pair
        failures, ips = username_failures(username, get_cool_off_threshold(request))
        return max(pair, failures) if ips >= address_limit() else pair

    def reset_attempts(self, *, ip_address=None, username=None, ip_or_username: bool = False) -> int:
        count = super().reset_attempts(ip_address=ip_address, username=username, ip_or_username=ip_or_username)
        actor = _UNLOCK_ACTOR.get()
        audit.record(
            "security.unlock",
            actor=actor,
            object_type="accounts.user",
            object_repr=(username or ip_address or _("全部账号"))[:255],
            after={
                "cleared_attempts": count,
                "username": username,
                "ip_address": ip_address,
                "via": "page" if actor is not None else "command",
            },
            message="" if actor is not None else _("通过命令或脚本解锁（系统用户 %(user)s）") % {"user": _os_user()},
        )
        return count

    def reset_logs(self, *, age_days: int | None = None) -> int:
        count = super().reset_logs(age_days=age_days)
        audit.record("security.access_log_cleared", after={"deleted": count, "age_days": age_days})
        return count

    def reset_failure_logs(self, *, age_days: int | None = None) -> int:
        count = super().reset_failure_logs(age_days=age_days)
        audit.record("security.failure_log_cleared", after={"deleted": count, "age_days": age_days})
        return count


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "?"


def clear_after_success(username: str, ip: str | None) -> None:
    """A successful sign-in clears its own (username, address) counter, like axes does for the web form;
    failures from other addresses stay (they are somebody else's)."""
    AccessAttempt.objects.filter(username=username, ip_address=ip).delete()


@dataclass(frozen=True)
class Lockout:
    username: str
    ip_address: str | None  # None: the username is locked from every address
    failures: int
    last_attempt: datetime
    ip_count: int
    unlocks_at: datetime
    user: User | None


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
    """Locked usernames (from every address) and locked (username, address) pairs, newest first."""
    if not actor.has_perm("accounts.view_security"):
        return []
    recent = AccessAttempt.objects.filter(attempt_time__gte=cool_off_threshold(), username__isnull=False)
    by_username = {
        row["username"]: row
        for row in recent.values("username").annotate(
            failures=Sum("failures_since_start"), last=Max("attempt_time"), ips=Count("ip_address", distinct=True)
        )
    }
    pairs = list(
        recent.values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=failure_limit())
    )
    allowed = _scoped_usernames(actor, set(by_username))
    users = {u.username: u for u in User.objects.filter(username__in=allowed).select_related("org")}
    found: list[Lockout] = []
    whole: set[str] = set()
    for name, row in by_username.items():
        if name in allowed and row["ips"] >= address_limit() and row["failures"] >= failure_limit():
            whole.add(name)
            found.append(
                Lockout(
                    name,
                    None,
                    row["failures"],
                    row["last"],
                    row["ips"],
                    row["last"] + settings.AXES_COOLOFF_TIME,
                    users.get(name),
                )
            )
    for row in pairs:
        name = row["username"]
        if name in allowed and name not in whole:
            found.append(
                Lockout(
                    name,
                    row["ip_address"],
                    row["failures"],
                    row["last"],
                    1,
                    row["last"] + settings.AXES_COOLOFF_TIME,
                    users.get(name),
                )
            )
    return sorted(found, key=lambda lockout: lockout.last_attempt, reverse=True)


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
