"""A web worker builds its URLs and templates when it starts (config.wsgi calls warm()), not in its first request."""

import contextlib

from django.template import engines
from django.urls import NoReverseMatch, get_resolver, reverse
from django.urls.resolvers import get_ns_resolver
from django.utils import translation

from qinqing.core.warmup import warm


def test_given_a_fresh_worker_when_warmed_then_templates_are_compiled_and_every_namespace_can_reverse():
    # Given nothing compiled or built yet
    loader = engines["django"].engine.template_loaders[0]  # Django's cached loader (no loaders configured)
    loader.reset()
    get_ns_resolver.cache_clear()
    # When the worker warms up
    done = warm()
    # Then the home page's templates are compiled and kept
    assert {"core/home.html", "base.html"} & set(loader.get_template_cache) == {"core/home.html", "base.html"}
    assert done["templates"] >= 100
    # and no reverse() into any namespace builds anything afterwards (the menu's links reverse into all of them)
    built = get_ns_resolver.cache_info().misses
    with translation.override("zh-hans"):
        for namespace, (_prefix, sub) in get_resolver().namespace_dict.items():
            for name in [n for n in sub.reverse_dict if isinstance(n, str)][:3]:
                with contextlib.suppress(NoReverseMatch):
                    reverse(f"{namespace}:{name}")
    assert built > 10 and get_ns_resolver.cache_info().misses == built
