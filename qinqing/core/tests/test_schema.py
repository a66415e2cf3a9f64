"""Property-based API test: schemathesis drives EVERY operation of the in-process OpenAPI schema.

The schema is generated from the live URL configuration at collection time, so endpoints other domains add
are tested automatically. Each operation gets a few generated requests, authenticated with a token of a user
who holds the operation's permission (city FIC staff where that role may, otherwise the first role that may,
so success responses are checked too), plus one request per known county-A object for detail routes. The
checks: no 5xx, the status code is documented, and the body matches the documented schema. Mutating
operations run inside the test's transaction.
"""

import json
import re
from types import SimpleNamespace

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import Resolver404, resolve
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from qinqing.accounts.actions import issue_api_token
from qinqing.core.api_views import SchemaGenerator
from qinqing.core.permissions import AUTHENTICATED, user_has
from qinqing.core.tests.isolation_registry import (
    PUBLIC,
    county_a_objects,
    endpoints,
    model_of,
    permission_for,
    samples_by_url,
)

MAX_EXAMPLES = 12
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
SKIP_OPERATIONS: set[str] = set()  # labels like "POST /api/v1/…" with a written reason, if ever needed


def build_schema() -> dict:
    raw = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(raw))


RAW_SCHEMA = build_schema()
SCHEMA = schemathesis.openapi.from_dict(RAW_SCHEMA)
OPERATIONS = sorted(result.ok().label for result in SCHEMA.get_all_operations())


@pytest.fixture
def wsgi_app(settings):
    """Django's WSGI handler, without closing the test transaction's connection after each request."""
    settings.ALLOWED_HOSTS = ["*"]
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _real_ids(operation, tree, users) -> list[dict]:
    """Path parameters naming real county-A objects, for operations on one object."""
    names = [p.name for p in operation.path_parameters]
    if len(names) != 1:
        return []
    try:
        match = resolve(operation.path.replace("{" + names[0] + "}", "1"))
    except Resolver404:
        return []
    view_class = getattr(match.func, "view_class", None) or getattr(match.func, "cls", None)
    found = [{names[0]: kwargs.get(names[0], kwargs.get("pk"))} for kwargs in _sample_kwargs(match, tree, users)]
    model = model_of(view_class, users.city_staff, "retrieve")
    factory = county_a_objects().get(model._meta.label) if model is not None else None
    if factory is not None:
        found += [{names[0]: obj.pk} for obj in factory(tree, users)]
    return [ids for ids in found if None not in ids.values()]


def _user_for(operation, users):
    """A user who may call the operation: city staff if that role may, else the first role that may."""
    try:
        match = resolve(re.sub(r"\{\w+\}", "1", operation.path))
    except Resolver404:
        return users.city_staff
    permission = permission_for(SimpleNamespace(callback=match.func), operation.method.upper())
    candidates = [users.city_staff, *vars(users).values()]
    if permission in (None, PUBLIC, AUTHENTICATED):
        return users.city_staff
    return next((user for user in candidates if user_has(user, permission)), users.city_staff)


def _sample_kwargs(match, tree, users) -> list[dict]:
    return [sample.kwargs(tree, users) for sample in samples_by_url().get(match.view_name, [])]


def test_given_the_schema_when_generated_then_it_is_openapi_3_with_error_responses():
    assert RAW_SCHEMA["openapi"].startswith("3.")
    assert len(OPERATIONS) >= 3
    job = RAW_SCHEMA["paths"]["/api/v1/jobs/{id}/"]["get"]
    assert {"200", "401", "403", "404"} <= set(job["responses"])
    assert RAW_SCHEMA["components"]["schemas"]["ErrorResponse"]["required"] == ["detail"]


@pytest.mark.parametrize("label", [op for op in OPERATIONS if op not in SKIP_OPERATIONS])
def test_given_a_permitted_users_token_when_fuzzing_the_operation_then_no_5xx_and_responses_match_the_schema(
    label, tree, users, wsgi_app
):
    operation = SCHEMA.find_operation_by_label(label)
    token = issue_api_token(_user_for(operation, users))
    headers = {"Authorization": f"Token {token.key}"}

    def check(case):
        response = case.call(app=wsgi_app, headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)

    for path_parameters in _real_ids(operation, tree, users):
        check(operation.Case(path_parameters=path_parameters))

    @given(case=operation.as_strategy())
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def fuzz(case):
        check(case)

    fuzz()


def _shape(path: str) -> str:
    """A route or OpenAPI path with every parameter written as {} (drf-spectacular renames pk to id)."""
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "{}", path)  # router regexes
    path = re.sub(r"<(?:\w+:)?\w+>", "{}", path)  # path converters
    path = re.sub(r"\{\w+\}", "{}", path)
    return "/" + path.lstrip("/").replace("^", "").replace("$", "")


def test_given_every_api_route_when_the_schema_is_generated_then_none_is_left_out():
    # drf-spectacular silently drops a view it cannot describe; a dropped view would escape the fuzzing above.
    documented = {_shape(path) for path in RAW_SCHEMA["paths"]}
    missing = []
    for endpoint in endpoints():
        route = endpoint.route
        if not route.startswith("api/v1/") or "<format>" in route or "\\." in route:
            continue
        if route in ("api/v1/openapi.json", "api/v1/docs/"):
            continue  # the schema and its documentation page themselves
        if _shape(route) not in documented:
            missing.append("/" + route)
    assert not missing, "API routes missing from the OpenAPI schema (add @extend_schema):\n" + "\n".join(missing)
