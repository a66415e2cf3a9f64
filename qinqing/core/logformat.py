"""Log lines operators can read and collectors can parse.

Every line carries the time in the platform's time zone (Asia/Shanghai, with its +0800 offset), the level, the
logger and the request id of the request, job or command that wrote it (``-`` outside one). ``QINQING_LOG_FORMAT=json``
writes one JSON object per line for log collectors. Operator messages are English; what users read is Chinese.
A refused request (403, 404, 400) is logged as one warning line without a traceback.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from zoneinfo import ZoneInfo

from . import context

_ZONE_NAME = "Asia/Shanghai"


class RequestIdFilter(logging.Filter):
    """Put the current request id (or '-') on every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        ctx = context.current()
        record.request_id = (ctx.request_id if ctx else "") or "-"
        return True


class PlatformFormatter(logging.Formatter):
    """``2026-12-06 15:04:05.123+0800 WARNING django.request [req-id] message``; time in the platform's zone."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("fmt", "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")
        super().__init__(*args, **kwargs)
        self.zone = ZoneInfo(_ZONE_NAME)

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        moment = dt.datetime.fromtimestamp(record.created, self.zone)
        return moment.strftime("%Y-%m-%d %H:%M:%S.") + f"{int(record.msecs):03d}" + moment.strftime("%z")

    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "request_id"):
            record.request_id = "-"
        return super().format(record)


class JsonFormatter(PlatformFormatter):
    """One JSON object per line: time, level, logger, request_id, message (and the exception, when there is one)."""

    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        status = getattr(record, "status_code", None)
        if status is not None:
            data["status"] = status
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False)


class NoTracebackForRefusals(logging.Filter):
    """django.request logs 4xx responses with the exception's traceback attached; a refusal is not an error."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
