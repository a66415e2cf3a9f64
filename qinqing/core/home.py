"""Home-page figures.

The core adds the scope overview of the user's role (the organisation tree below them, accounts for the
administrators, the audit log for the audit administrator); each domain adds its own cards through
``<app>/navigation.py``'s ``home_cards(user) -> [{"label", "value", "url"}]``.

Every card is a count over the user's subtree (a dozen COUNTs, some with ``org_path LIKE`` over large tables),
and the home page is the most requested page. ``cached_cards`` keeps both sets of cards per user in the cache,
keyed by the newest audit entry's id: every change to domain data goes through an action that writes an audit
entry, so a new entry anywhere makes the next home page count afresh, and until then the page reads one
primary-key index (the newest id) and one cache entry instead of the counts. ``HOME_CARDS_SECONDS`` bounds
the age of a card against writes that are not audited (demo seeding, migrations).
"""

from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .discovery import domain_modules
from .roles import FIC_ROLES, Role

HOME_CARDS_SECONDS = 300


def cached_cards(user, domain_cards=None) -> dict:
    """``{"domain": home_cards(user), "scope": scope_cards(user)}``, recounted after any audited change
    (``domain_cards``: the provider of the domains' cards, ``home_cards`` unless the view passes another)."""
    from .models import AuditEntry

    memo = getattr(user, "_home_cards", None)  # the view and the template tag ask within one request
    if memo is not None:
        return memo
    newest = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    key = f"qinqing:home:{user.pk}:{user.role}:{user.org_id}:{translation.get_language()}:{newest}"
    cards = cache.get(key)
    if cards is None:
        cards = {"domain": (domain_cards or home_cards)(user), "scope": scope_cards(user)}
        cache.set(key, cards, HOME_CARDS_SECONDS)
    user._home_cards = cards
    return cards


def home_cards(user) -> list[dict]:
    """Cards contributed by the domains (every app's navigation.home_cards), in INSTALLED_APPS order."""
    cards: list[dict] = []
    for _config, module in domain_modules("navigation"):
        provider = getattr(module, "home_cards", None)
        if provider:
            cards.extend(provider(user))
    return cards


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
    from qinqing.registry.models import Enterprise

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
            "value": Enterprise.objects.filter(org_path__startswith=org.path).count(),
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


def profile(user) -> list[tuple[str, str]]:
    """Who the user is acting for (shown under the page title: the enterprise's or organisation's name)."""
    rows = [(_("姓名"), user.name), (_("角色"), user.get_role_display())]
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
