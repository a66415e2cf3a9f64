"""Data for the cross-domain tests (role × URL matrix, object isolation), extensible by every domain.

A domain registers its objects WITHOUT editing core: it adds ``qinqing/<app>/tests/samples.py`` with any of

``SAMPLES = [Sample("app:detail", lambda tree, users: {"pk": make_thing(tree.county_a).pk}), ...]``
    URL name → kwargs of a real object belonging to county A (岳阳县, ``tree.county_a``). The role matrix also
    requests the URL with these kwargs (roles without the permission must still be refused), and the isolation
    test checks that county-B users (county_b_staff, enterprise_b, liaison_b) get no 2xx there (404 when their
    role has the permission). ``isolated=False`` for objects county B may legitimately see (e.g. province-wide).
    The factory is called with the root conftest's ``tree`` and ``users``; it may create rows.

``COUNTY_A_OBJECTS = {"app.Model": lambda tree, users: [obj, ...]}``
    Objects of a model that belong to county A. Every API detail route whose view's model is listed here is
    requested by county-B users with each object's pk (must be 404/403), without needing a URL name.

``SCOPE = {"app.Model": "lookup__to__path"}``
    How to tell that a row of the model belongs to an organisation subtree (an ORM lookup ending on a path string,
    e.g. ``"appeal__enterprise__org_path"``), for the list-isolation test. Most models need nothing: fields
    named org_path / path / org / fic / enterprise / created_by / recipient are detected. ``None`` declares a
    global model (the same rows for every county, e.g. regions), which the list-isolation test then skips.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.db import models

from qinqing.core.discovery import domain_modules


@dataclass(frozen=True)
class Sample:
    url_name: str
    kwargs: Callable[[SimpleNamespace, SimpleNamespace], dict[str, Any]]
    isolated: bool = True


def _job(tree, users):
    from qinqing.core.models import Job

    job = Job.objects.create(
        kind="core.sample", title="县A任务", created_by=users.county_staff, org_path=tree.county_a.path
    )
    return {"pk": job.pk}


# Core's own samples, and the objects the root conftest's ``tree`` already provides.
SAMPLES: list[Sample] = [
    Sample("core:job_status", _job),
    Sample("api-job", _job),
    # Pages of the foundation's own objects (a sample whose URL name does not exist is simply unused).
    Sample("orgs:detail", lambda tree, users: {"pk": tree.county_a.pk}),
    Sample("orgs:detail", lambda tree, users: {"pk": tree.chamber_a.pk}),
    Sample("orgs:edit", lambda tree, users: {"pk": tree.county_a.pk}),
    Sample("registry:enterprise_detail", lambda tree, users: {"pk": tree.ent_a.pk}),
    Sample("accounts:user_edit", lambda tree, users: {"pk": users.county_staff.pk}),
]

COUNTY_A_OBJECTS: dict[str, Callable[[SimpleNamespace, SimpleNamespace], list[models.Model]]] = {
    "orgs.Organization": lambda tree, users: [tree.county_a, tree.chamber_a, tree.dept_a],
    "registry.Enterprise": lambda tree, users: [tree.ent_a],
    "accounts.User": lambda tree, users: [users.county_staff, users.enterprise, users.secretary, users.liaison],
}

SCOPE: dict[str, str | None] = {
    "orgs.Region": None,  # GB/T 2260 reference data, the same for everyone
    "core.CalendarYear": None,
    "core.CalendarDay": None,
}

# Field names that tie a row to the organisation tree, tried in order (the value must end on a path string).
SCOPE_CANDIDATES = [
    "org_path",
    "path",
    "org__path",
    "fic__path",
    "organization__path",
    "chamber__path",
    "enterprise__org_path",
    "created_by__org__path",
    "recipient__org__path",
]


def _domain_modules():
    for config, module in domain_modules("tests.samples"):
        if config.label != "core":
            yield module


def all_samples() -> list[Sample]:
    found = list(SAMPLES)
    for module in _domain_modules():
        found.extend(getattr(module, "SAMPLES", []))
    return found


def samples_by_url() -> dict[str, list[Sample]]:
    grouped: dict[str, list[Sample]] = {}
    for sample in all_samples():
        grouped.setdefault(sample.url_name, []).append(sample)
    return grouped


def county_a_objects() -> dict[str, Callable]:
    found = dict(COUNTY_A_OBJECTS)
    for module in _domain_modules():
        found.update(getattr(module, "COUNTY_A_OBJECTS", {}))
    return found


def scope_overrides() -> dict[str, str | None]:
    found = dict(SCOPE)
    for module in _domain_modules():
        found.update(getattr(module, "SCOPE", {}))
    return found


_MISSING = object()


def scope_lookup(model: type[models.Model]) -> str | object | None:
    """The ORM lookup reaching an org path for ``model``; None for a declared global model; _MISSING if unknown."""
    overrides = scope_overrides()
    label = model._meta.label
    if label in overrides:
        return overrides[label]
    for candidate in SCOPE_CANDIDATES:
        if _resolves(model, candidate):
            return candidate
    return _MISSING


def _resolves(model: type[models.Model], lookup: str) -> bool:
    current = model
    parts = lookup.split("__")
    for index, part in enumerate(parts):
        try:
            field = current._meta.get_field(part)
        except Exception:
            return False
        last = index == len(parts) - 1
        if last:
            return isinstance(field, models.CharField)
        if not field.is_relation or field.related_model is None:
            return False
        current = field.related_model
    return False


MISSING = _MISSING


# --- walking the URL configuration ----------------------------------------------------------------

PLACEHOLDER_INT = 999999
PLACEHOLDER_STR = "nonexistent"


@dataclass(frozen=True)
class Endpoint:
    route: str  # human-readable pattern, e.g. "api/v1/jobs/<int:pk>/"
    name: str | None  # namespaced URL name, e.g. "core:job_status"
    callback: Callable
    params: dict[str, str]  # path parameter → converter kind ("int", "str", "slug", "uuid", "path", "regex")

    @property
    def label(self) -> str:
        return self.name or self.route

    @property
    def view_class(self):
        return getattr(self.callback, "view_class", None) or getattr(self.callback, "cls", None)

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/")

    def placeholder_kwargs(self) -> dict[str, Any]:
        values = {"int": PLACEHOLDER_INT, "uuid": "00000000-0000-4000-8000-000000000000", "format": "json"}
        return {
            name: values.get(kind, PLACEHOLDER_INT if kind == "regex" else PLACEHOLDER_STR)
            for name, kind in self.params.items()
        }

    def url(self, kwargs: dict[str, Any] | None = None) -> str:
        from django.urls import reverse

        kwargs = self.placeholder_kwargs() if kwargs is None else kwargs
        if self.name:
            return reverse(self.name, kwargs=kwargs or None)
        url = "/" + self.route
        for name, value in kwargs.items():
            for kind in ("int", "str", "slug", "uuid", "path"):
                url = url.replace(f"<{kind}:{name}>", str(value))
            url = url.replace(f"<{name}>", str(value))
        return url


def _converter_kind(converter) -> str:
    from django.urls import converters

    for kind, cls in (
        ("int", converters.IntConverter),
        ("uuid", converters.UUIDConverter),
        ("slug", converters.SlugConverter),
        ("path", converters.PathConverter),
        ("str", converters.StringConverter),
    ):
        if isinstance(converter, cls):
            return kind
    return "str"


def _pattern_params(pattern) -> dict[str, str]:
    converters = getattr(pattern, "converters", None)
    if converters:
        return {name: _converter_kind(conv) for name, conv in converters.items()}
    regex = getattr(pattern, "regex", None)
    if regex is None:
        return {}
    return {name: "format" if name == "format" else "regex" for name in regex.groupindex}


def walk(patterns=None, prefix: str = "", namespace: str | None = None, params: dict | None = None):
    """Every URL pattern below ``patterns`` (default: the root URLconf), with its full route and name."""
    from django.urls import URLPattern, URLResolver, get_resolver

    if patterns is None:
        patterns = get_resolver().url_patterns
    params = params or {}
    for entry in patterns:
        route = prefix + str(entry.pattern)
        here = {**params, **_pattern_params(entry.pattern)}
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            full_ns = ":".join(n for n in (namespace, ns) if n) or None
            yield from walk(entry.url_patterns, route, full_ns, here)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield Endpoint(route=route, name=name, callback=entry.callback, params=here)


def is_static(endpoint: Endpoint) -> bool:
    from django.conf import settings

    module = getattr(endpoint.callback, "__module__", "") or ""
    if module.startswith(("django.views.static", "django.contrib.staticfiles")):
        return True
    prefixes = [p.lstrip("/") for p in (settings.STATIC_URL, settings.MEDIA_URL) if p and p != "/"]
    route = endpoint.route.lstrip("^")
    return any(prefix and route.startswith(prefix) for prefix in prefixes)


def endpoints() -> list[Endpoint]:
    return [endpoint for endpoint in walk() if not is_static(endpoint)]


# --- what a view declares -------------------------------------------------------------------------

PUBLIC = "__public__"


def _is_drf(view_class) -> bool:
    from rest_framework.views import APIView

    return isinstance(view_class, type) and issubclass(view_class, APIView)


def declaration(callback) -> dict[str, Any] | None:
    """The permission a view declares, or None if it declares nothing (which the matrix test rejects).

    Returns {"public": True} or {"permission": str | None, "per_action": dict}.
    """
    if getattr(callback, "is_public", False):
        return {"public": True}
    if getattr(callback, "required_permission", None):
        return {"permission": callback.required_permission, "per_action": {}}
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if _is_drf(view_class):
        if getattr(view_class, "is_public", False):
            return {"public": True}
        permission = getattr(view_class, "required_permission", None)
        per_action = getattr(view_class, "required_permissions", None) or {}
        if permission or per_action:
            return {"permission": permission, "per_action": dict(per_action)}
    return None


def permission_for(endpoint: Endpoint, method: str) -> str | None:
    """The permission guarding ``method`` on the endpoint (PUBLIC for public views)."""
    declared = declaration(endpoint.callback)
    if declared is None:
        return None
    if declared.get("public"):
        return PUBLIC
    actions = getattr(endpoint.callback, "actions", None) or {}
    action = actions.get(method.lower())
    per_action = declared["per_action"]
    return per_action.get(action or method.lower()) or declared["permission"]


def model_of(view_class, user=None, action: str = "list") -> type[models.Model] | None:
    """The model a DRF view serves: from ``queryset``, the serializer's Meta, or (given a user) ``get_queryset()``."""
    if view_class is None:
        return None
    queryset = getattr(view_class, "queryset", None)
    if queryset is not None:
        return queryset.model
    serializer = getattr(view_class, "serializer_class", None)
    meta = getattr(serializer, "Meta", None)
    if getattr(meta, "model", None) is not None:
        return meta.model
    if user is None or not hasattr(view_class, "get_queryset"):
        return None
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    request = Request(APIRequestFactory().get("/"))
    request.user = user
    view = view_class()
    view.request, view.args, view.kwargs, view.format_kwarg, view.action = request, (), {}, None, action
    try:
        return view.get_queryset().model
    except Exception:
        return None
