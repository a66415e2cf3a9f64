"""Request-wide middleware: request id and client address for audit, and the CSP header."""

import ipaddress
import re

from django.conf import settings

from . import context

REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def client_ip(request) -> str | None:
    """The client's address for audit rows and lockouts.

    Behind the deployment's reverse proxies (QINQING_TRUST_X_FORWARDED_FOR = how many), each proxy appends
    the address it saw to X-Forwarded-For, so the entry that many places from the right is the client as
    our nearest trusted proxy saw it; anything further left was written by the client and may be forged.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.QINQING_TRUST_X_FORWARDED_FOR
    if proxies:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= proxies:
            candidate = hops[-proxies]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                return remote
    return remote


def request_id_from(request) -> str:
    """A caller's X-Request-ID ties its calls together in the audit log, if it is a plain token."""
    given = request.headers.get("X-Request-ID", "")
    return given if REQUEST_ID.fullmatch(given) else context.new_request_id()


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        authenticated = bool(user and user.is_authenticated)
        org = getattr(user, "org", None) if authenticated else None
        ctx = context.RequestContext(
            request_id=request_id_from(request),
            ip=client_ip(request),
            user_id=user.pk if authenticated else None,
            username=user.get_username() if authenticated else "",
            org_path=getattr(org, "path", "") if org else "",
        )
        request.request_id = ctx.request_id
        with context.bind(ctx):
            response = self.get_response(request)
        response["X-Request-ID"] = ctx.request_id
        return response


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # The browsable API docs (Swagger UI from the sidecar package) need inline bootstrap code.
        if not request.path.startswith("/api/v1/docs"):
            response.setdefault("Content-Security-Policy", settings.QINQING_CSP)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response
