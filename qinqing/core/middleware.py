"""Request-wide middleware: request id and client address for audit, and the CSP header."""

from django.conf import settings

from . import context


def client_ip(request) -> str | None:
    # Behind the deployment's reverse proxy the real address is the first X-Forwarded-For entry;
    # QINQING_TRUST_X_FORWARDED_FOR is set only when such a proxy is in front.
    if getattr(settings, "QINQING_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        authenticated = bool(user and user.is_authenticated)
        org = getattr(user, "org", None) if authenticated else None
        ctx = context.RequestContext(
            request_id=request.headers.get("X-Request-ID", "")[:64] or context.new_request_id(),
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
