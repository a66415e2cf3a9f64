"""国民经济行业分类 (GB/T 4754-2017), shipped as ``data/gbt4754_2017.csv``.

Codes: 门类 one letter (A–T); 大类 2 digits; 中类 3 digits; 小类 4 digits. Lookups also accept
a code prefixed with its 门类 letter (``C3311``), surrounding spaces and lower case.
The table is built by ``scripts/build_industry_data.py``; see docs/standards.md for its source
and known gaps.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _

__all__ = [
    "EDITION",
    "LEVELS",
    "Industry",
    "UnknownIndustryCode",
    "all_codes",
    "children",
    "display",
    "label",
    "lookup",
    "normalize_code",
    "section_of",
]

EDITION = "GB/T 4754-2017"
LEVELS = ("门类", "大类", "中类", "小类")
DATA_FILE = Path(__file__).with_name("data") / "gbt4754_2017.csv"
_PREFIXED = re.compile(r"^([A-T])(\d{2,4})$")


class UnknownIndustryCode(KeyError):
    """Raised by ``section_of`` for a code that is not in GB/T 4754-2017."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.message = _("行业代码“%(code)s”不在国民经济行业分类（%(edition)s）中") % {"code": code, "edition": EDITION}

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Industry:
    """One row of the classification."""

    code: str
    name: str
    level: str  # 门类 / 大类 / 中类 / 小类
    parent: str | None
    section: str  # 门类 letter

    @property
    def display(self) -> str:
        """``C3311 金属结构制造`` style label (门类 letter + code for digit codes)."""
        code = self.code if self.level == "门类" else f"{self.section}{self.code}"
        return f"{code} {self.name}"


@cache
def _table() -> dict[str, Industry]:
    with DATA_FILE.open(encoding="utf-8", newline="") as fh:
        return {
            row["code"]: Industry(row["code"], row["name"], row["level"], row["parent"] or None, row["section"])
            for row in csv.DictReader(fh)
        }


def normalize_code(code: str) -> str:
    """Strip spaces, upper-case and drop a leading 门类 letter before digits (``c3311`` → ``3311``)."""
    text = "".join((code or "").split()).upper()
    match = _PREFIXED.match(text)
    return match.group(2) if match else text


def lookup(code: str) -> Industry | None:
    """The entry for ``code`` at any level, or None if it is not in the classification.

    A letter-prefixed code whose letter does not match the entry's 门类 is not found.
    """
    text = "".join((code or "").split()).upper()
    entry = _table().get(normalize_code(text))
    if entry is None:
        return None
    match = _PREFIXED.match(text)
    if match and match.group(1) != entry.section:
        return None
    return entry


def section_of(code: str) -> str:
    """门类 letter of a code at any level; raises ``UnknownIndustryCode`` if unknown."""
    entry = lookup(code)
    if entry is None:
        raise UnknownIndustryCode(code)
    return entry.section


def label(code: str) -> str:
    """Chinese name of the entry (e.g. ``金属结构制造``), or "" when the code is unknown."""
    entry = lookup(code)
    return entry.name if entry else ""


def display(code: str) -> str:
    """``C3311 金属结构制造``, or "" when the code is unknown."""
    entry = lookup(code)
    return entry.display if entry else ""


def all_codes(level: str) -> list[str]:
    """Every code at ``level`` (门类/大类/中类/小类) in the standard's order."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, got {level!r}")
    return [entry.code for entry in _table().values() if entry.level == level]


def children(code: str) -> list[Industry]:
    """Direct children of an entry, in order (empty for 小类 or unknown codes)."""
    entry = lookup(code)
    if entry is None:
        return []
    return [child for child in _table().values() if child.parent == entry.code]
