"""Home-page figures.

The core adds the scope overview of the user's role (the organisation tree below them, accounts for the
administrators, the audit log for the audit administrator); each domain adds its own cards through
``<app>/navigation.py``'s ``home_cards(user) -> [{"label", "value", "url"}]`` and names the models those
cards count in ``HOME_CARDS_COUNT`` (a tuple of ``Counts``).

Every card is a count over the user's subtree (a dozen COUNTs, some with ``org_path LIKE`` over large tables),
and the home page is the most requested page. ``cached_cards`` keeps each source's cards per user in the
cache together with the version counters of the models they count (``home_versions``): a save or delete of
such a row moves its counter after the commit, and only the cards of the sources counting that model are
recounted on the next view. Audited reads and changes elsewhere leave them alone. A repeat view reads the
counters and the cached cards with one ``get_many``. ``HOME_CARDS_SECONDS`` bounds a card's age against
writes that bypass both the signals and ``home_versions.changed()`` (raw SQL, migrations) and against the
clock (lockouts that expire, the backup's age); the day is part of the key, so date-bound counts
(policies in force, terms due) start afresh each day. A source that declares nothing is counted every view.

Past that bound, when no known write moved its counters, a card is *stale*, not wrong as far as anyone knows:
the view shows the kept cards and queues one recount in the background (``refresh_home_cards``), so no request
waits for a subtree's counts at an expiry (a city's took about a second). Only past ``HOME_CARDS_STALE_SECONDS``
(no worker ran the recount) does the view recount by itself. A card whose counter moved is always recounted
before it is shown.
"""

import functools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import home_versions
from .discovery import domain_modules
from .home_versions import Counts
from .roles import FIC_ROLES, Role

logger = logging.getLogger(__name__)

HOME_CARDS_SECONDS = 300  # settings.QINQING_HOME_CARDS_SECONDS: older cards are shown and recounted in the background
HOME_CARDS_STALE_SECONDS = 3600  # one this old (no background recount ran) is recounted by the view itself
KEEP_SECONDS = 86400 + 3600  # the cached entry outlives the freshness bounds (the day is part of its key)


@dataclass(frozen=True)
class CardSource:
    name: str  # "appeals", or "scope" for the core's own cards
    provider: Callable  # user -> list of cards
    counts: Callable | tuple | None  # the Counts it depends on (or user -> them); None: not cached


def domain_sources() -> list[CardSource]:
    """Every domain's card source (``navigation.home_cards``), in INSTALLED_APPS order."""
    return list(_domain_sources(tuple(apps.app_configs)))


@functools.lru_cache(maxsize=4)
def _domain_sources(_installed: tuple[str, ...]) -> tuple[CardSource, ...]:
    """Looked up once per set of installed apps, not on every view (an import_module per app was a fifth of a
    repeat view's card reading)."""
    sources = []
    for config, module in domain_modules("navigation"):
        provider = getattr(module, "home_cards", None)
        if provider:
            sources.append(CardSource(config.label, provider, getattr(module, "HOME_CARDS_COUNT", None)))
    return tuple(sources)


def _counts_of(source: CardSource, user) -> tuple | None:
    return source.counts(user) if callable(source.counts) else source.counts


def all_counts() -> list[Counts]:
    """Every model any source counts (for any role): what home_versions watches."""
    found = [c for s in domain_sources() if s.counts and not callable(s.counts) for c in s.counts]
    return found + [c for role_counts in SCOPE_COUNTS.values() for c in role_counts]


def _sources() -> list[CardSource]:
    return [*domain_sources(), CardSource("scope", scope_cards, _scope_counts)]


def _key(user) -> str:
    day = timezone.localdate().isoformat()
    return f"qinqing:home:{user.pk}:{user.role}:{user.org_id}:{translation.get_language()}:{day}"


def _read(user, sources: list[CardSource]) -> tuple[str, dict, dict, dict, bool]:
    """The user's cache key, each source's Counts, the counters' current values, the kept entry and whether a
    background recount is already queued (one read)."""
    key = _key(user)
    depends = {s.name: _counts_of(s, user) for s in sources}
    keys = {name: [home_versions.key_for(c, user) for c in counts] for name, counts in depends.items() if counts}
    version_keys = sorted({k for names in keys.values() for k in names})
    # One read: the user's cards, the counters they depend on and the queued-recount guard.
    found = cache.get_many([key, f"{key}:recounting", *version_keys])
    versions = home_versions.current(version_keys, found)
    stamps = {
        name: tuple(versions[k] for k in keys.get(name, ())) for name, counts in depends.items() if counts is not None
    }
    entry = found.get(key) or {}  # source name -> (counters, when counted, cards)
    return key, depends, stamps, entry, f"{key}:recounting" in found


def cached_cards(user) -> dict:
    """``{"domain": cards of every domain, "scope": scope_cards(user)}``; each source's cards are recounted
    only when a model it counts changed since they were counted (or, in the background, when they are old)."""
    memo = getattr(user, "_home_cards", None)  # the view and the template tag ask within one request
    if memo is not None:
        return memo
    sources = _sources()
    key, depends, stamps, stored, queued = _read(user, sources)
    now = time.time()
    entry, changed, stale = {}, False, []
    cards: dict[str, list] = {"domain": [], "scope": []}
    for source in sources:
        if depends[source.name] is None:  # declares nothing: counted every time
            value = source.provider(user)
        else:
            stamp, kept = stamps[source.name], stored.get(source.name)
            if kept is None or kept[0] != stamp or now - kept[1] > HOME_CARDS_STALE_SECONDS:
                kept, changed = (stamp, now, source.provider(user)), True
            elif now - kept[1] > getattr(settings, "QINQING_HOME_CARDS_SECONDS", HOME_CARDS_SECONDS):
                stale.append(source.name)  # nothing known changed it: shown, and recounted in the background
            entry[source.name] = kept
            value = kept[2]
        cards["scope" if source.name == "scope" else "domain"].extend(value)
    if changed:
        cache.set(key, entry, KEEP_SECONDS)
    if stale and not queued:  # while one is queued, the view writes nothing (a cache add is a write and a count)
        _recount_later(user, key, stale)
    user._home_cards = cards
    return cards


def _recount_later(user, key: str, names: list[str]) -> None:
    """Queue one background recount of the user's stale sources (not one per request while it waits)."""
    if not cache.add(f"{key}:recounting", 1, 60):
        return
    from .tasks import refresh_home_cards

    try:
        refresh_home_cards.enqueue(user.pk, translation.get_language(), names)
    except Exception:  # the page is served either way; past HOME_CARDS_STALE_SECONDS the view recounts
        logger.exception("home cards of user %s could not be queued for a recount", user.pk)
        cache.delete(f"{key}:recounting")


def recount(user, names: list[str]) -> list[str]:
    """Recount the user's sources ``names`` now and keep them (the background half of ``cached_cards``); the
    names recounted. The counters are read before counting: a write committed meanwhile moves them past the
    stamp stored here, so the next view recounts again rather than keep a number that missed it."""
    sources = [s for s in _sources() if s.name in names]
    key, depends, stamps, _stored, _queued = _read(user, sources)
    fresh = {s.name: (stamps[s.name], time.time(), s.provider(user)) for s in sources if depends[s.name] is not None}
    entry = cache.get(key) or {}  # what views stored meanwhile, kept for the other sources
    entry.update(fresh)
    cache.set(key, entry, KEEP_SECONDS)
    cache.delete(f"{key}:recounting")
    return sorted(fresh)


def home_cards(user) -> list[dict]:
    """Cards contributed by the domains (every app's navigation.home_cards), uncached."""
    return [card for source in domain_sources() for card in source.provider(user)]


def _nav_url(user, permission: str) -> str:
    """The first navigation entry guarded by ``permission`` (a card links where the user may go)."""
    from .navigation import items_for_permission

    return items_for_permission(user, permission)


def _today_start():
    now = timezone.localtime()
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def _tree_cards(user) -> list[dict]:
    from qinqing.accounts.models import User
    from qinqing.orgs.choices import FicLevel
    from qinqing.registry.rollups import enterprises_under

    org = user.org
    by_kind = dict(
        org.__class__.objects.filter(path__startswith=org.path, is_active=True)
        .values_list("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    org_url = _nav_url(user, "orgs.view_organization")
    cards = []
    if org.fic_level is None or org.fic_level < FicLevel.COUNTY:  # a county FIC has no lower FIC
        cards.append({"label": _("下级工商联"), "value": max(by_kind.get("fic", 0) - 1, 0), "url": org_url})
    return [
        *cards,
        {"label": _("商会"), "value": by_kind.get("chamber", 0), "url": org_url},
        {
            "label": _("企业"),
            "value": enterprises_under(org.path),  # from the registry's rollup, not a count over 3 M rows
            "url": _nav_url(user, "registry.view_enterprise"),
        },
        {"label": _("承办单位"), "value": by_kind.get("department", 0), "url": org_url},
        {"label": _("金融机构"), "value": by_kind.get("bank", 0), "url": org_url},
        {
            "label": _("用户"),
            "value": User.objects.filter(org__path__startswith=org.path, is_active=True).count(),
            "url": _nav_url(user, "accounts.view_user"),
        },
    ]


def _sys_admin_cards(user) -> list[dict]:
    from qinqing.accounts.models import User

    counts = User.objects.filter(org__path__startswith=user.org.path).aggregate(
        active=Count("id", filter=Q(is_active=True)),
        disabled=Count("id", filter=Q(is_active=False)),
        must_change=Count("id", filter=Q(is_active=True, must_change_password=True)),
    )
    url = _nav_url(user, "accounts.view_user")
    orgs = user.org.__class__.objects.filter(path__startswith=user.org.path).count()
    return [
        {"label": _("启用账号"), "value": counts["active"], "url": url},
        {"label": _("已停用账号"), "value": counts["disabled"], "url": url},
        {"label": _("待改初始密码"), "value": counts["must_change"], "url": url},
        {"label": _("组织"), "value": orgs, "url": _nav_url(user, "orgs.view_organization")},
    ]


def _sec_admin_cards(user) -> list[dict]:
    from axes.models import AccessFailureLog

    from qinqing.accounts.lockouts import current_lockouts
    from qinqing.accounts.models import User

    locked = len(current_lockouts(user))  # the same list as the 账号安全 page (pairs and usernames, still in force)
    failed_today = AccessFailureLog.objects.filter(attempt_time__gte=_today_start()).count()
    url = _nav_url(user, "accounts.view_security")
    return [
        {"label": _("被锁定账号"), "value": locked, "url": url},
        {"label": _("今日登录失败"), "value": failed_today, "url": url},
        {
            "label": _("启用账号"),
            "value": User.objects.filter(org__path__startswith=user.org.path, is_active=True).count(),
            "url": _nav_url(user, "accounts.view_user"),
        },
    ]


def _audit_admin_cards(user) -> list[dict]:
    from django.urls import reverse

    from .models import AuditEntry

    counts = AuditEntry.objects.filter(created_at__gte=_today_start()).aggregate(
        total=Count("id"), failed=Count("id", filter=Q(success=False))
    )
    url = reverse("core:audit_log")
    today = timezone.localdate().isoformat()
    return [
        {"label": _("今日审计记录"), "value": counts["total"], "url": f"{url}?from={today}"},
        {"label": _("今日失败或越权操作"), "value": counts["failed"], "url": f"{url}?from={today}&failed=1"},
        {"label": _("审计记录总数"), "value": AuditEntry.objects.count(), "url": url},
    ]


# What each role's scope cards count (their counters; the audit administrator's move with every audit entry).
_USERS = Counts("accounts.User", fields=frozenset({"is_active", "org", "org_id", "role", "must_change_password"}))
_ORGS = Counts("orgs.Organization", fields=frozenset({"is_active", "kind", "path", "parent", "parent_id"}))
SCOPE_COUNTS = {
    "tree": (_ORGS, Counts("registry.Enterprise", fields=frozenset({"org_path", "fic", "fic_id"})), _USERS),
    Role.SYS_ADMIN: (_USERS, _ORGS),
    Role.SEC_ADMIN: (_USERS, Counts("axes.AccessAttempt"), Counts("axes.AccessFailureLog")),
    Role.AUDIT_ADMIN: (Counts("core.AuditEntry"),),
}


def _scope_counts(user) -> tuple:
    if user.org_id is None:
        return ()
    return SCOPE_COUNTS.get("tree" if user.role in FIC_ROLES else user.role, ())


def scope_cards(user) -> list[dict]:
    """The core's figures for the user's role and place in the tree (real counts, scoped)."""
    if user.org_id is None:
        return []
    if user.role in FIC_ROLES:
        return _tree_cards(user)
    if user.role == Role.SYS_ADMIN:
        return _sys_admin_cards(user)
    if user.role == Role.SEC_ADMIN:
        return _sec_admin_cards(user)
    if user.role == Role.AUDIT_ADMIN:
        return _audit_admin_cards(user)
    return []


def role_label(role: str) -> str:
    """What ``user.get_role_display()`` shows, without rebuilding the choices' dict (hashing every lazy label)
    on each call: the header and the home page's profile ask on every page."""
    return str(Role(role).label) if role in Role.values else role


def profile(user) -> list[tuple[str, str]]:
    """Who the user is acting for (shown under the page title: the enterprise's or organisation's name)."""
    rows = [(_("姓名"), user.name), (_("角色"), role_label(user.role))]
    if user.role == Role.ENTERPRISE and user.enterprise_id:
        enterprise = user.enterprise
        rows += [
            (_("统一社会信用代码"), enterprise.credit_code),
            (_("所属工商联"), user.org.name),
        ]
    else:
        rows.append((_("所属组织"), user.org.name))
        parent = user.org.parent if user.org.kind != "fic" else None  # no query for an FIC
        if parent is not None:
            rows.append((_("上级工商联"), parent.name))
    return rows
