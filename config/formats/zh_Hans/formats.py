"""Simplified-Chinese formats, with ISO dates first for form inputs.

Django's zh_Hans locale renders form dates as 2026/12/02, but an <input type="date"> only accepts
2026-12-02: with the locale's first format an edit page would show every stored date blank and
a save would erase it. Both spellings are still accepted when typed.
"""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403
from django.conf.locale.zh_Hans.formats import DATE_INPUT_FORMATS as _DATES
from django.conf.locale.zh_Hans.formats import DATETIME_INPUT_FORMATS as _DATETIMES

DATE_INPUT_FORMATS = ["%Y-%m-%d", *(f for f in _DATES if f != "%Y-%m-%d")]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M", *(f for f in _DATETIMES if f != "%Y-%m-%d %H:%M")]
