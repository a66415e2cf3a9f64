"""API token authentication under the same rules as a web session.

A token is issued after a password check (accounts.actions.issue_api_token); the database holds only its
SHA-256 digest and first eight characters. Here it also ends after QINQING_API_TOKEN_HOURS (default: the
absolute session lifetime), and it stops working while the account's password must be changed (first
sign-in, reset, older than the password profile allows). The session middleware cannot enforce these for
tokens: it runs before DRF authenticates the request.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from .middleware import password_change_required
from .models import ApiToken


class ExpiringTokenAuthentication(TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key):
        from .actions import token_digest

        token = ApiToken.objects.select_related("user").filter(digest=token_digest(key)).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("令牌无效"))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("账号已停用"))
        if timezone.now() - token.created_at > timedelta(hours=settings.QINQING_API_TOKEN_HOURS):
            token.delete()
            raise exceptions.AuthenticationFailed(_("令牌已过期，请重新获取令牌"), code="token_expired")
        if password_change_required(token.user):
            raise exceptions.AuthenticationFailed(
                _("密码已到期或须修改，请先在网页上修改密码"), code="password_change_required"
            )
        return token.user, token
