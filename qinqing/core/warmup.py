"""A web worker's start-up work, done before it accepts its first request.

Django imports the URLconf (every domain's views, the API's serializers and schema generator), builds the URL
resolvers, loads the translation catalogues and compiles each template on the first request that needs them. In a
fresh gunicorn worker that first request took 1.0–1.8 s (city demo, loaded machine), and with sync workers the
requests queued behind it waited as long: after every (re)start, the slowest requests of the home page benchmark
were all in its first second. ``config.wsgi`` calls ``warm()`` when a worker loads the application, so the
worker does this once at start instead. No database connection is opened here (a worker opens its own on its
first request; one opened before a fork would be shared by the forked workers).
"""

import contextlib
import logging
import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.template.loader import get_template
from django.urls import NoReverseMatch, get_resolver, reverse
from django.utils import translation
from django.utils.translation import gettext

logger = logging.getLogger(__name__)


def warm() -> dict[str, int]:
    """Import and build what the first requests would: URLs, translations, every app template. Returns what
    was done (counts), for the log and the test."""
    t0 = time.perf_counter()
    resolver = get_resolver()
    patterns = len(resolver.url_patterns)  # imports config.urls and through it every domain's views and API
    with translation.override(settings.LANGUAGE_CODE):  # the reverse tables are built per language
        gettext("首页")  # loads the catalogues of every installed app
        _populate(resolver)
        reverse("core:home")
    templates = 0
    for name in _app_templates():
        try:
            get_template(name)  # the cached loader keeps the compiled template for every later request
            templates += 1
        except (TemplateDoesNotExist, TemplateSyntaxError):  # partials meant for another engine or for inclusion
            logger.debug("template %s not compiled at start", name, exc_info=True)
    done = {"url_patterns": patterns, "templates": templates, "ms": round((time.perf_counter() - t0) * 1000)}
    logger.info("worker warmed up: %(url_patterns)s URL patterns, %(templates)s templates in %(ms)s ms", done)
    return done


def _populate(resolver, path: tuple[str, ...] = ()) -> None:
    """Build the reverse lookup tables of every namespace under ``resolver``: ``reverse("ns:name")`` builds a
    resolver of its own per namespace (``get_ns_resolver``, cached) on its first use, 0.1–0.15 s for the menu's
    sixty links in a worker's first request. A name that needs arguments raises after its tables are built."""
    for namespace, (_prefix, sub) in resolver.namespace_dict.items():
        names = [name for name in sub.reverse_dict if isinstance(name, str)]
        if names:
            with contextlib.suppress(NoReverseMatch):
                reverse(":".join([*path, namespace, names[0]]))
        _populate(sub, (*path, namespace))


def _app_templates() -> list[str]:
    """The names of every installed qinqing app's HTML templates (``<app>/templates/**.html``)."""
    names = []
    for config in apps.get_app_configs():
        if not config.name.startswith("qinqing."):
            continue
        root = Path(config.path) / "templates"
        names += sorted(str(p.relative_to(root)) for p in root.rglob("*.html"))
    return names
