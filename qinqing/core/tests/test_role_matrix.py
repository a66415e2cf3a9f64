"""Role × URL × method: every view declares a permission, and no role without it ever gets a 2xx.

The URL configuration is walked at test time, so views other domains add are covered automatically. Real object
ids come from the sample registry (``qinqing/<app>/tests/samples.py``, see isolation_registry.py).
"""

from types import SimpleNamespace

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import Client
from django.urls import include, path, re_path
from rest_framework.views import APIView

from qinqing.core import audit
from qinqing.core.permissions import AUTHENTICATED, public, requires, user_has
from qinqing.core.tests.isolation_registry import (
    PUBLIC,
    Endpoint,
    declaration,
    endpoints,
    permission_for,
    samples_by_url,
    walk,
)

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def undeclared(found) -> list[str]:
    """Labels of the endpoints whose view declares neither a permission nor ``is_public``."""
    return sorted({endpoint.label for endpoint in found if declaration(endpoint.callback) is None})


def _login_url() -> str:
    from django.shortcuts import resolve_url

    return resolve_url(settings.LOGIN_URL)


def refused(response) -> bool:
    """403/404/405/401, or a redirect to the login page; never a 2xx, nor any other redirect, nor a 5xx."""
    if response.status_code in (401, 403, 404, 405):
        return True
    if response.status_code in (301, 302, 303, 307, 308):
        return response.get("Location", "").startswith(_login_url())
    return False


def _urls(endpoint: Endpoint, samples, tree, users) -> list[str]:
    urls = [endpoint.url()]
    for sample in samples.get(endpoint.name or "", []):
        urls.append(endpoint.url(sample.kwargs(tree, users)))
    return urls


# --- every view declares a permission -------------------------------------------------------------


def test_given_the_url_configuration_when_walked_then_every_view_declares_a_permission():
    found = endpoints()

    assert len(found) > 5
    missing = undeclared(found)
    assert not missing, (
        "views without @requires/@public (or required_permission(s)/is_public on the DRF view): " + ", ".join(missing)
    )


def _undecorated(request):
    return HttpResponse("secret")


@requires("core.view_auditentry")
def _guarded(request):
    return HttpResponse("ok")


@public
def _open(request):
    return HttpResponse("ok")


class _BareApi(APIView):
    def get(self, request):
        return HttpResponse("secret")


class _DeclaredApi(APIView):
    required_permissions = {"get": "core.view_auditentry"}


def test_given_a_view_without_a_declaration_when_checked_then_the_checker_reports_it():
    fake_urls = [
        path("guarded/", _guarded, name="guarded"),
        path("open/", _open, name="open"),
        path("nested/", include([path("leak/<int:pk>/", _undecorated, name="leak")])),
        re_path(r"^bare/(?P<pk>\d+)/$", _BareApi.as_view(), name="bare"),
        path("declared/", _DeclaredApi.as_view(), name="declared"),
    ]

    found = list(walk(fake_urls))

    assert undeclared(found) == ["bare", "leak"]
    leak = next(e for e in found if e.name == "leak")
    assert leak.route == "nested/leak/<int:pk>/" and leak.params == {"pk": "int"}
    assert permission_for(next(e for e in found if e.name == "declared"), "GET") == "core.view_auditentry"
    assert permission_for(next(e for e in found if e.name == "open"), "POST") == PUBLIC


def test_given_a_refusal_when_classified_then_only_denials_and_login_redirects_pass():
    def response(status, location=None):
        r = HttpResponse(status=status)
        if location:
            r["Location"] = location
        return r

    assert refused(response(403)) and refused(response(404)) and refused(response(405)) and refused(response(401))
    assert refused(response(302, _login_url() + "?next=/x/"))
    assert not refused(response(200))
    assert not refused(response(204))
    assert not refused(response(302, "/elsewhere/"))
    assert not refused(response(500))


# --- the matrix -----------------------------------------------------------------------------------


@pytest.fixture
def clients(users):
    signed_in = {}
    for name in vars(users):  # every user of the root conftest's ``users`` fixture, one per role
        client = Client(raise_request_exception=False)
        client.force_login(getattr(users, name))
        signed_in[name] = client
    return SimpleNamespace(anonymous=Client(raise_request_exception=False), by_role=signed_in)


# The matrix sends tens of thousands of requests. It runs in shards (every SHARDS-th endpoint each), so the suite's
# workers share it and each shard's transaction stays small; as one test it took one worker 18 minutes on PostgreSQL.
SHARDS = 12


@pytest.mark.parametrize("shard", range(SHARDS))
def test_given_every_role_and_url_when_requested_without_the_permission_then_never_2xx(shard, tree, users, clients):
    samples = samples_by_url()
    failures: list[str] = []
    checked = 0
    declared = [endpoint for endpoint in endpoints() if declaration(endpoint.callback) is not None]
    # Every refusal writes its audit row (security.permission_denied) as in production; the rows are held and
    # written together when the shard ends, as the shared fixtures' are (audit.written_at_end), so the chain head
    # is taken once, not per request: half of the matrix's time on PostgreSQL.
    with audit.written_at_end():
        for endpoint in declared[shard::SHARDS]:
            checked += _refusals(endpoint, samples, tree, users, clients, failures)
    assert checked > 50
    assert not failures, "roles without the permission got through:\n" + "\n".join(failures)


def _refusals(endpoint, samples, tree, users, clients, failures: list[str]) -> int:
    """Every URL of the endpoint × every method, by the anonymous client and each role lacking the permission."""
    checked = 0
    for url in _urls(endpoint, samples, tree, users):
        for method in METHODS:
            permission = permission_for(endpoint, method)
            if permission == PUBLIC:
                continue
            response = getattr(clients.anonymous, method.lower())(url)
            checked += 1
            if not refused(response):
                failures.append(f"{endpoint.label} anonymous {method} {url} → {response.status_code}")
            if permission == AUTHENTICATED:
                continue  # every role holds it
            for role in clients.by_role:
                user = getattr(users, role)
                if permission and user_has(user, permission):
                    continue
                response = getattr(clients.by_role[role], method.lower())(url)
                checked += 1
                if not refused(response):
                    failures.append(
                        f"{endpoint.label} {role} {method} {url} → {response.status_code} (lacks {permission})"
                    )
    return checked
