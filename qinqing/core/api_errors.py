"""API errors as JSON with Chinese messages."""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from . import badinput
from .errors import Refused

logger = logging.getLogger(__name__)
EXPLAINED_AUTH_FAILURES = {"token_expired", "password_change_required"}


def exception_handler(exc, context):
    bad = None if isinstance(exc, DjangoValidationError) else badinput.status_and_message(exc)
    if bad is not None:  # the request itself is bad: too large, too many fields, a value out of range
        set_rollback()
        return Response({"detail": bad[1]}, status=bad[0])
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("对象不存在或不在您的管辖范围内"))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, Refused):  # a business rule said no: the request was fine, the state does not allow it
        return Response({"detail": str(exc)}, status=409)
    response = drf_exception_handler(exc, context)
    if response is None:
        logger.exception("API error", exc_info=exc)
        return Response({"detail": _("服务器内部错误")}, status=500)
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        code = exc.get_codes()
        if code in EXPLAINED_AUTH_FAILURES:  # the user can act on these: say which
            response.data = {"detail": str(exc.detail), "code": code}
        else:  # anything else about a token says nothing an attacker could use
            response.data = {"detail": _("未登录或令牌无效")}
    return response
