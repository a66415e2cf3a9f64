"""Log lines carry one time zone and the request id; JSON for collectors; a refused request logs no traceback."""

import json
import logging

import pytest

from qinqing.core import context
from qinqing.core.logformat import JsonFormatter, NoTracebackForRefusals, PlatformFormatter, RequestIdFilter


def _record(msg="hello", **extra):
    record = logging.LogRecord("qinqing.test", logging.WARNING, __file__, 1, msg, None, None)
    record.created = 1_765_000_000.0  # 2025-12-06 05:46:40 UTC = 13:46:40 in Shanghai
    record.msecs = 0
    for key, value in extra.items():
        setattr(record, key, value)
    return record


def test_given_a_record_inside_a_request_when_formatted_then_it_has_shanghai_time_and_the_request_id():
    record = _record()
    with context.bind(context.RequestContext(request_id="abc123")):
        RequestIdFilter().filter(record)
    line = PlatformFormatter().format(record)
    assert line.startswith("2025-12-06 13:46:40.000+0800 WARNING qinqing.test [abc123] hello")


def test_given_a_record_outside_a_request_when_formatted_then_the_request_id_is_a_dash():
    record = _record()
    RequestIdFilter().filter(record)
    assert "[-]" in PlatformFormatter().format(record)


def test_given_json_format_when_formatted_then_one_parseable_object_per_line():
    record = _record("诉求已受理", request_id="r1", status_code=403)
    data = json.loads(JsonFormatter().format(record))
    assert data == {
        "time": "2025-12-06 13:46:40.000+0800",
        "level": "WARNING",
        "logger": "qinqing.test",
        "request_id": "r1",
        "message": "诉求已受理",
        "status": 403,
    }


@pytest.mark.parametrize(("status", "kept"), [(403, False), (404, False), (500, True)])
def test_given_a_response_log_with_a_traceback_when_filtered_then_only_errors_keep_it(status, kept):
    try:
        raise PermissionError("denied")
    except PermissionError:
        import sys

        record = _record(status_code=status, exc_info=sys.exc_info())
    NoTracebackForRefusals().filter(record)
    assert (record.exc_info is not None) is kept


def test_given_the_settings_when_loaded_then_the_console_handler_uses_the_platform_format():
    handler = next(h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler))
    assert isinstance(handler.formatter, PlatformFormatter)
    assert any(isinstance(f, RequestIdFilter) for f in handler.filters)
