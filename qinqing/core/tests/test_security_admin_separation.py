"""三员分立: the system, security and audit administrators are separate, and none sees domain data.

The URL walk reads every route's declared permission, so a domain page added later is covered too.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from qinqing.core.permissions import AUTHENTICATED

pytestmark = pytest.mark.django_db

ADMINS = ("sys_admin", "sec_admin", "audit_admin")
# Apps whose permissions an administrator may hold: accounts, the audit log, the org tree (系统管理员
# assigns people to organisations) and the working-day calendar. Everything else is domain data.
ADMIN_APPS = {"accounts", "core", "orgs"}
# Reviewed exceptions: configuration dictionaries a 系统管理员 maintains that hold no case or person data.
CONFIGURATION_PERMISSIONS = {
    "sys_admin": {
        "appeals.manage_classification",
        "notifications.manage_channel",
        "policies.manage_synonyms",  # the search synonym table
        "financing.manage_reasons",  # the catalogue of refusal reasons
        "operations.view_backups",  # backup runs and their checks (file names, sizes, counts)
    },
    "sec_admin": set(),
    "audit_admin": set(),
}


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # Argon2 is tested in accounts


def routes():
    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), pattern.callback

    yield from walk(get_resolver().url_patterns, "/")


def declared_permissions(callback) -> set[str]:
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    single = getattr(callback, "required_permission", None) or getattr(view_class, "required_permission", None)
    many = getattr(view_class, "required_permissions", None) or {}
    return {p for p in ({single} | set(many.values())) if p}


def concrete(route: str) -> str:
    """A request path for a route: parameters become 1 (or "x"), regex anchors go."""
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route)
    path = re.sub(r"<int:\w+>", "1", path)
    path = re.sub(r"<(?:\w+:)?\w+>", "x", path)
    return path.replace("^", "").replace("$", "").replace("\\", "")


def domain_routes(allowed: frozenset[str] = frozenset()):
    """Routes guarded only by domain permissions (minus the given reviewed configuration ones)."""
    for route, callback in routes():
        perms = declared_permissions(callback) - {AUTHENTICATED}
        if perms and all(p.split(".")[0] not in ADMIN_APPS for p in perms) and not perms & allowed:
            yield concrete(route)


def test_the_walk_finds_domain_routes():
    paths = list(domain_routes())
    assert any(p.startswith("/registry/") for p in paths) or len(paths) > 5, paths


@pytest.mark.parametrize("role", ADMINS)
def test_given_an_administrator_then_no_domain_permission_is_held(users, role):
    perms = getattr(users, role).get_all_permissions()
    assert {p for p in perms if p.split(".")[0] not in ADMIN_APPS} <= CONFIGURATION_PERMISSIONS[role]


@pytest.mark.parametrize("role", ADMINS)
def test_given_an_administrator_when_opening_any_domain_page_or_endpoint_then_refused(users, login, role):
    client = login(getattr(users, role))
    opened = {}
    for path in domain_routes(frozenset(CONFIGURATION_PERMISSIONS[role])):
        status = client.get(path).status_code
        if status not in (403, 404, 405):
            opened[path] = status
    assert opened == {}


@pytest.mark.parametrize("role", ("sec_admin", "audit_admin"))
def test_given_security_or_audit_admin_when_reading_the_org_api_then_refused(users, login, role):
    client = login(getattr(users, role))
    assert client.get("/api/v1/orgs/").status_code == 403
    assert client.get(f"/api/v1/orgs/{users.county_staff.org_id}/").status_code == 403


def test_sys_admin_manages_users_but_cannot_read_the_audit_log_or_unlock(users, login):
    client = login(users.sys_admin)
    assert client.get("/accounts/users/").status_code == 200
    assert client.get("/audit/").status_code == 403
    assert client.get("/accounts/security/").status_code == 403
    assert client.post("/accounts/security/unlock/", {"username": "county_staff"}).status_code == 403


def test_sec_admin_unlocks_but_cannot_create_users_or_read_the_audit_log(users, tree, login):
    client = login(users.sec_admin)
    assert client.get("/accounts/security/").status_code == 200
    assert client.get("/accounts/users/").status_code == 403
    assert client.get("/accounts/users/new/").status_code == 403
    response = client.post(
        "/accounts/users/new/",
        {"username": "x1", "name": "x", "role": "fic_staff", "org": tree.city.pk, "new_password1": "Aa1!aaaaaa"},
    )
    assert response.status_code == 403
    assert client.post(f"/accounts/users/{users.county_staff.pk}/active/", {"active": "0"}).status_code == 403
    assert client.get("/audit/").status_code == 403


def test_audit_admin_only_reads_the_audit_log(users, login):
    client = login(users.audit_admin)
    assert client.get("/audit/").status_code == 200
    for path in ("/accounts/users/", "/accounts/users/new/", "/accounts/security/", "/api/v1/users/"):
        assert client.get(path).status_code == 403, path
    assert client.post("/accounts/security/unlock/", {"username": "x"}).status_code == 403


def test_no_administrator_can_grant_an_administrator_role_on_a_page(users, tree, login):
    from qinqing.accounts.models import User

    client = login(users.sys_admin)
    for role in ADMINS:
        client.post(
            "/accounts/users/new/",
            {
                "username": f"new_{role}",
                "name": "x",
                "role": role,
                "org": tree.city.pk,
                "new_password1": "Yueyang#Lake1",
                "new_password2": "Yueyang#Lake1",
            },
        )
        assert not User.objects.filter(username=f"new_{role}").exists()
    assert client.get(f"/accounts/users/{users.sec_admin.pk}/").status_code == 404
    assert client.post(f"/accounts/users/{users.audit_admin.pk}/password/", {}).status_code == 404


def test_actions_enforce_the_separation_for_every_caller(users, tree):
    from django.core.exceptions import PermissionDenied, ValidationError

    from qinqing.accounts import actions

    with pytest.raises(PermissionDenied):
        actions.create_user(
            username="x", name="x", role="fic_staff", org=tree.city, password="Yueyang#Lake1", actor=users.sec_admin
        )
    with pytest.raises(PermissionDenied):
        actions.unlock_user("county_staff", actor=users.sys_admin)
    with pytest.raises(ValidationError):
        actions.create_user(
            username="x", name="x", role="audit_admin", org=tree.city, password="Yueyang#Lake1", actor=users.sys_admin
        )
    with pytest.raises(ValidationError):
        actions.set_active(users.sec_admin, active=False, actor=users.sys_admin)
