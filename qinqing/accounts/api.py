"""API: the user list (scoped by the org tree) and the token endpoint (same lockout as the web sign-in)."""

from django.conf import settings
from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status, throttling
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from qinqing.core.middleware import client_ip

from . import actions
from .filters import UserFilter
from .middleware import password_change_required
from .permissions import visible_users
from .serializers import TokenRequestSerializer, TokenSerializer, UserSerializer


class UserList(generics.ListAPIView):
    """Accounts whose organisation is at or below the caller's node; filter by q, role, org, is_active."""

    required_permission = "accounts.view_user"
    serializer_class = UserSerializer
    filterset_class = UserFilter

    def get_queryset(self):
        return visible_users(self.request.user).order_by("org__path", "username")


class UserDetail(generics.RetrieveAPIView):
    """One account in the caller's subtree (404 for any other)."""

    required_permission = "accounts.view_user"
    serializer_class = UserSerializer

    def get_queryset(self):
        return visible_users(self.request.user)


class TokenThrottle(throttling.AnonRateThrottle):
    """Per client address, on top of the per-username lockout: slows password spraying."""

    scope = "auth_token"
    rate = "20/min"


class ObtainToken(APIView):
    """Exchange a username and password for an API token (the previous token is revoked).

    Goes through django-axes exactly like the sign-in page: failures are counted by username, a locked
    username is refused even with the right password (403, code ``locked_out``), every attempt is audited.
    """

    is_public = True
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [TokenThrottle]

    @extend_schema(
        request=TokenRequestSerializer, responses={200: TokenSerializer}, summary=gettext_lazy("获取API令牌")
    )
    def post(self, request):
        form = TokenRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        django_request = request._request  # axes reads and flags the HttpRequest itself
        user = authenticate(
            django_request, username=form.validated_data["username"], password=form.validated_data["password"]
        )
        if getattr(django_request, "axes_locked_out", False):
            # AxesMiddleware turns this into the lockout response (accounts.views.locked_out).
            return Response({"detail": _("账号已锁定"), "code": "locked_out"}, status=status.HTTP_403_FORBIDDEN)
        if user is None:
            return Response(
                {
                    "detail": _("账号或密码错误。连续失败%(limit)s次账号将被锁定。")
                    % {"limit": settings.AXES_FAILURE_LIMIT},
                    "code": "invalid_credentials",
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        if password_change_required(user):
            return Response(
                {"detail": _("密码已到期或须修改，请先在网页上修改密码"), "code": "password_change_required"},
                status=status.HTTP_403_FORBIDDEN,
            )
        token = actions.issue_api_token(user, ip=client_ip(django_request))
        return Response({"token": token.key, "username": user.username, "name": user.name})
