from django.urls import include, path

from qinqing.core import views as core_views
from qinqing.core.discovery import domain_modules


def _domain_urls():
    """Each domain with a urls.py is mounted at /<label>/ (core at the root)."""
    patterns = []
    for config, _module in domain_modules("urls"):
        if config.label == "core":
            continue
        patterns.append(path(f"{config.label}/", include(f"{config.name}.urls")))
    return patterns


urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("api/v1/", include("config.api_urls")),
    *_domain_urls(),
    path("", include("qinqing.core.urls")),
]

handler400 = "qinqing.core.badinput.bad_request"
handler404 = "qinqing.core.views.page_not_found"
handler403 = "qinqing.core.views.permission_denied"
handler500 = "qinqing.core.views.server_error"
