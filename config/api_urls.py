"""/api/v1/: each domain contributes ``<app>/api_urls.py``; the schema and docs are served locally."""

from django.urls import include, path

from qinqing.core.api_views import DocsView, SchemaView
from qinqing.core.discovery import domain_modules


def _domain_patterns():
    patterns = []
    for _config, module in domain_modules("api_urls"):
        patterns.append(path("", include(module.urlpatterns)))
    return patterns


urlpatterns = [
    path("openapi.json", SchemaView.as_view(), name="api-schema"),
    path("docs/", DocsView.as_view(url_name="api-schema"), name="api-docs"),
    *_domain_patterns(),
]
