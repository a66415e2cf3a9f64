"""Rate limits kept in the shared cache, so every worker process counts the same requests.

Each worker of a deployment has its own memory; a per-process counter lets N workers pass N times the
rate. The counters live in ``caches[QINQING_THROTTLE_CACHE]``: the database cache by default, Redis when
``QINQING_REDIS_URL`` is set (config/settings.py). Rates are ``QINQING_THROTTLE_RATES`` (per scope,
"20/min" style) and each is a sliding window of request times, like DRF's own throttles.
"""

import time

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from rest_framework.throttling import BaseThrottle

from qinqing.core.middleware import client_ip

PERIODS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "20/min" → (20, 60)."""
    count, _slash, period = rate.partition("/")
    return int(count), PERIODS[period.strip().lower()]


def rate_of(scope: str) -> tuple[int, int]:
    return parse_rate(settings.QINQING_THROTTLE_RATES[scope])


def hit(scope: str, ident, *, cache=None, now: float | None = None) -> float | None:
    """Count one request of ``ident`` in ``scope``; None when allowed, else the seconds to wait."""
    cache = cache if cache is not None else caches[settings.QINQING_THROTTLE_CACHE]
    limit, period = rate_of(scope)
    now = time.time() if now is None else now
    key = f"qinqing-throttle:{scope}:{ident}"
    history = [t for t in (cache.get(key) or []) if t > now - period]
    if len(history) >= limit:
        return max(history[0] + period - now, 1.0)
    history.append(now)
    cache.set(key, history, period)
    return None


def too_many_page(request, wait: float) -> HttpResponse:
    minutes = max(int(wait // 60), 0)
    seconds = int(wait % 60)
    response = render(request, "accounts/throttled.html", {"minutes": minutes, "seconds": seconds}, status=429)
    response["Retry-After"] = str(int(wait) + 1)
    return response


class ScopedThrottle(BaseThrottle):
    """A DRF throttle on the shared counters, per client address (or per user when signed in)."""

    scope = ""

    def ident_for(self, request) -> str:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return f"user:{user.pk}"
        return f"ip:{client_ip(request)}"

    def allow_request(self, request, view) -> bool:
        self._wait = hit(self.scope, self.ident_for(request))
        return self._wait is None

    def wait(self):
        return getattr(self, "_wait", None)


class TokenThrottle(ScopedThrottle):
    """The token endpoint, per client address, on top of the lockout: slows password spraying."""

    scope = "auth_token"

    def ident_for(self, request) -> str:
        return f"ip:{client_ip(request)}"


def throttled_message(wait: float) -> str:
    return _("请求过于频繁，请 %(seconds)s 秒后再试") % {"seconds": int(wait) + 1}
