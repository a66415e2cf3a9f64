"""/api/v1/: each domain contributes ``<app>/api_urls.py``; the schema and docs are served locally."""

from importlib import import_module

from django.apps import apps
from django.urls import include, path

from qinqing.core.api_views import DocsView, SchemaView


def _domain_patterns():
    patterns = []
    for config in apps.get_app_configs():
        if not config.name.startswith("qinqing."):
            continue
        try:
            module = import_module(f"{config.name}.api_urls")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.api_urls":
                raise
            continue
        patterns.append(path("", include(module.urlpatterns)))
    return patterns


urlpatterns = [
    path("openapi.json", SchemaView.as_view(), name="api-schema"),
    path("docs/", DocsView.as_view(url_name="api-schema"), name="api-docs"),
    *_domain_patterns(),
]
