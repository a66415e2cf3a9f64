"""GB/T 2260 region codes with their years of validity, read from the committed CSV (no ORM).

The registry validates the region part of credit codes (characters 3-8) and ID numbers (characters 1-6)
with :func:`region_of`; abolished codes are kept because old documents still carry them.

    region_of("430621")          -> Region(code="430621", name="岳阳县", level=3, ...)
    region_of("430602", 1990)    -> Region(name="南区", valid_from=1984, valid_to=1995)
    region_of("430602")          -> Region(name="岳阳楼区", ...)   # the latest name
    region_of("999999")          -> None
"""

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.utils.translation import gettext as _

CSV_PATH = Path(__file__).resolve().parent / "data" / "gb2260.csv"

PROVINCE, PREFECTURE, COUNTY = 1, 2, 3


@dataclass(frozen=True, slots=True)
class Region:
    """One name a code carried over a span of years; ``None`` years are open-ended."""

    code: str
    name: str
    level: int
    parent_code: str
    valid_from: int | None
    valid_to: int | None

    @property
    def current(self) -> bool:
        return self.valid_to is None

    def valid_in(self, year: int) -> bool:
        return (self.valid_from is None or self.valid_from <= year) and (self.valid_to is None or year <= self.valid_to)


def read_csv(path: str | Path = CSV_PATH) -> list[Region]:
    """Every row of a gb2260.csv file (lines starting with '#' are comments)."""
    with Path(path).open(encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        return list(_parse(csv.DictReader(lines)))


def _parse(rows: Iterable[dict]) -> Iterator[Region]:
    for number, row in enumerate(rows, start=2):
        code = (row.get("code") or "").strip()
        if len(code) != 6 or not code.isdigit():
            raise ValueError(_("第%(line)s行：区划代码“%(code)s”不是6位数字") % {"line": number, "code": code})
        yield Region(
            code=code,
            name=row["name"].strip(),
            level=int(row["level"]),
            parent_code=(row.get("parent_code") or "").strip(),
            valid_from=int(row["valid_from"]) if row.get("valid_from") else None,
            valid_to=int(row["valid_to"]) if row.get("valid_to") else None,
        )


@lru_cache(maxsize=1)
def _table() -> dict[str, tuple[Region, ...]]:
    table: dict[str, list[Region]] = {}
    for region in read_csv():
        table.setdefault(region.code, []).append(region)
    return {code: tuple(sorted(spans, key=lambda r: r.valid_from or 0)) for code, spans in table.items()}


def spans_of(code: str) -> tuple[Region, ...]:
    """Every name the code has carried, oldest first (empty for an unknown code)."""
    return _table().get(code, ())


def region_of(code: str, year: int | None = None) -> Region | None:
    """The region a code denoted in ``year``; without a year, its latest span (current, or the last before
    it was abolished — check ``.current``). ``None`` when the code never existed (in that year)."""
    spans = spans_of(code)
    if not spans:
        return None
    if year is None:
        return spans[-1]
    for span in reversed(spans):
        if span.valid_in(year):
            return span
    return None


def is_current(code: str) -> bool:
    """The code is in force today (suitable for a new organisation or enterprise)."""
    region = region_of(code)
    return region is not None and region.current


def full_name(code: str, year: int | None = None) -> str:
    """ "湖南省岳阳市岳阳县" — the names from province down; "" for an unknown code."""
    names = []
    region = region_of(code, year)
    while region is not None:
        names.append(region.name)
        parent = region.parent_code
        region = (region_of(parent, year) or region_of(parent)) if parent else None
    return "".join(reversed(names))
