"""API token authentication under the same rules as a web session.

A token is issued after a password check (accounts.actions.issue_api_token). Here it also ends after
QINQING_API_TOKEN_HOURS (default: the absolute session lifetime), and it stops working while the
account's password must be changed (first sign-in, reset, older than the password profile allows).
The session middleware cannot enforce these for tokens: it runs before DRF authenticates the request.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from .middleware import password_change_required


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if timezone.now() - token.created > timedelta(hours=settings.QINQING_API_TOKEN_HOURS):
            token.delete()
            raise exceptions.AuthenticationFailed(_("令牌已过期，请重新获取令牌"), code="token_expired")
        if password_change_required(user):
            raise exceptions.AuthenticationFailed(
                _("密码已到期或须修改，请先在网页上修改密码"), code="password_change_required"
            )
        return user, token
