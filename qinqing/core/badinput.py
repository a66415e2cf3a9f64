"""Bad input answers 400 (or 413), never 500, with a Chinese message — for pages and the API alike.

Three layers, from the most to the least specific:

- Filters parse their parameters with ``date_param`` / ``int_param``, which raise ``BadInput`` naming
  the field (``“起始日期”不是有效日期…``).
- ``BadInputMiddleware`` answers what escapes a page view and can only come from the request's own values:
  ``BadInput``, a Django ``ValidationError`` (a lookup given ``2026-02-30``), ``OverflowError`` (an id
  given 99999999999999999999, which SQLite cannot bind) and a database ``DataError`` (PostgreSQL's "out
  of range").
- ``bad_request`` is the project's ``handler400``: Django's own refusals before any view runs
  (``RequestDataTooBig`` → 413, ``TooManyFieldsSent``, ``TooManyFilesSent``). The API's exception
  handler (core.api_errors) uses ``status_and_message`` for the same cases, and for JSON nested too deep
  for Python's parser (a RecursionError raised while decoding the body).
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.exceptions import (
    BadRequest,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
    ValidationError,
)
from django.db import DataError
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

logger = logging.getLogger("qinqing.badinput")

# Ids above this cannot name a row (PostgreSQL bigint; SQLite's INTEGER is the same 64 bits).
MAX_ID = 2**63 - 1


class BadInput(BadRequest):
    """A request parameter that cannot be understood; the message is Chinese and names the field."""


def date_param(params, name: str, label: str) -> datetime.date | None:
    """The ISO date in ``params[name]`` (None when empty); BadInput naming ``label`` when it is no date."""
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise BadInput(
            _("“%(label)s”不是有效日期：%(value)s，请按 2026-01-31 的格式填写") % {"label": label, "value": raw[:40]}
        ) from None


def int_param(params, name: str, label: str, *, minimum: int = 0, maximum: int = MAX_ID) -> int | None:
    """The whole number in ``params[name]`` (None when empty); BadInput naming ``label`` when it is not one
    or lies outside [minimum, maximum]."""
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or not minimum <= value <= maximum:
        raise BadInput(_("“%(label)s”无效：%(value)s") % {"label": label, "value": raw[:40]})
    return value


def status_and_message(exc: BaseException) -> tuple[int, str] | None:
    """The status and Chinese message for an exception that means "the request itself is bad", else None."""
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
        return 413, _("提交的内容过大（上限 %(mb)s MB），请减小后重试") % {"mb": f"{limit / 1024 / 1024:g}"}
    if isinstance(exc, TooManyFieldsSent):
        return 400, _("提交的字段过多（上限 %(n)s 个）") % {"n": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS}
    if isinstance(exc, TooManyFilesSent):
        return 400, _("上传的文件过多（上限 %(n)s 个）") % {"n": settings.DATA_UPLOAD_MAX_NUMBER_FILES}
    if isinstance(exc, BadRequest) and str(exc):
        return 400, str(exc)
    if isinstance(exc, SuspiciousOperation | BadRequest):
        return 400, _("请求无效")
    if isinstance(exc, ValidationError):
        return 400, _("请求参数无效：%(detail)s") % {"detail": "；".join(exc.messages)}
    if isinstance(exc, RecursionError) and "JSON" in str(exc):  # json.loads on a body like [[[[…]]]]
        return 400, _("JSON 嵌套层数过深")
    if isinstance(exc, OverflowError):
        return 400, _("请求参数无效：数值超出范围")
    if isinstance(exc, DataError):
        return 400, _("请求参数无效：数值或日期超出范围")
    return None


def error_response(request, status: int, message: str):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status, json_dumps_params={"ensure_ascii": False})
    return render(request, "400.html", {"message": message}, status=status)


def bad_request(request, exception=None):
    """handler400: Django's own refusals (body too large, too many fields, a bad Host…)."""
    status, message = status_and_message(exception) if exception is not None else (400, _("请求无效"))
    return error_response(request, status, message)


class BadInputMiddleware:
    """Page views: exceptions that can only come from the request's values answer 400 with a message."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        found = status_and_message(exception)
        if found is None:
            return None
        logger.info("bad input on %s: %r", request.path, exception)
        return error_response(request, *found)
