"""Spreadsheet cells that cannot carry an attack (CSV/formula injection, OWASP).

A spreadsheet program runs a cell whose text begins with ``=``, ``+``, ``-`` or ``@`` as a formula (and
tab or carriage return can hide such a start), so an enterprise named ``=HYPERLINK(…)`` or
``=cmd|' /C calc'!A0`` becomes a live link or a command in the exported file. Every export goes through
this module:

- CSV: such a text cell is prefixed with a single quote (OWASP's rule); plain numbers (``-12.5``) stay
  numbers. ``csv_writer`` wraps ``csv.writer``.
- xlsx: text is written as a text cell, never a formula or a link (``workbook`` turns off xlsxwriter's
  ``strings_to_formulas``/``strings_to_urls``); the text keeps its exact value, since a text cell is
  never evaluated.

Imports undo the CSV prefix (``unquote``) so an exported file re-imports unchanged.
"""

from __future__ import annotations

import csv
import re
from decimal import Decimal

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
# The options that make xlsxwriter write every str as a text cell.
XLSX_TEXT_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


def is_dangerous(text: str) -> bool:
    """True when a spreadsheet would read the text as a formula (a plain signed number is harmless)."""
    return bool(text) and text.startswith(TRIGGERS) and not _PLAIN_NUMBER.fullmatch(text)


def neutralise(value):
    """The value made safe for a CSV cell: text that would start a formula gets a leading ``'``."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    text = str(value)
    return "'" + text if is_dangerous(text) else text


def unquote(text: str) -> str:
    """Undo ``neutralise`` on an imported cell (``'=x`` → ``=x``); other text is returned unchanged."""
    if text.startswith("'") and is_dangerous(text[1:]):
        return text[1:]
    return text


class SafeCsvWriter:
    """``csv.writer`` whose rows are neutralised cell by cell."""

    def __init__(self, out, **kwargs):
        self._writer = csv.writer(out, **kwargs)

    def writerow(self, row):
        return self._writer.writerow([neutralise(v) for v in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_writer(out, **kwargs) -> SafeCsvWriter:
    return SafeCsvWriter(out, **kwargs)


def workbook(target, options: dict | None = None):
    """An ``xlsxwriter.Workbook`` that writes every str as a text cell (never a formula or a URL)."""
    import xlsxwriter

    return xlsxwriter.Workbook(target, {**(options or {}), **XLSX_TEXT_OPTIONS})
