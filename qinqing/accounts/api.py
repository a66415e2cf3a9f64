"""API: the user list (scoped by the org tree) and the token endpoint (same lockout as the web sign-in)."""

from django.conf import settings
from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from qinqing.core.middleware import client_ip

from . import actions, totp
from .filters import UserFilter
from .middleware import password_change_required
from .permissions import visible_users
from .serializers import TokenRequestSerializer, TokenSerializer, UserSerializer
from .throttles import TokenThrottle


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


class ObtainToken(APIView):
    """Exchange a username and password for an API token (the previous token is revoked).

    Goes through django-axes exactly like the sign-in page: failures are counted per (username, address)
    and per username across addresses, a locked account is refused even with the right password (403,
    code ``locked_out``), every attempt is audited. Accounts with two-step verification also send ``otp``
    (the authenticator's code or a recovery code); a wrong code counts as a failed sign-in. The token is
    shown once: the platform keeps only its digest.
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
        if actions.has_totp(user):
            code = form.validated_data.get("otp") or ""
            if not code or not actions.verify_second_factor(user, code):
                from django.contrib.auth.signals import user_login_failed

                user_login_failed.send(sender=__name__, credentials={"username": user.username}, request=django_request)
                return Response(
                    {"detail": _("两步验证码不正确或已使用"), "code": "invalid_otp"}, status=status.HTTP_400_BAD_REQUEST
                )
        elif totp.required_for(user.role):
            return Response(
                {"detail": _("您的角色必须使用两步验证，请先在网页上登录并绑定验证器"), "code": "totp_required"},
                status=status.HTTP_403_FORBIDDEN,
            )
        issued = actions.issue_api_token(user, ip=client_ip(django_request))
        return Response({"token": issued.key, "username": user.username, "name": user.name})
