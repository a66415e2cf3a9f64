"""Read .xlsx/.xls (fastexcel → Arrow) and .csv (UTF-8 or GBK) into a header row and string columns.

Every cell becomes text, stripped, "" when empty: Excel numbers as written (12.0 → "12"), dates as
2020-01-31 (with the time only when it is not midnight). The columns stay in a polars frame so the
engines validate whole columns at native speed; ``Table.rows`` gives row lists to the row-wise engines.
"""

import csv
import io
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import fastexcel
import polars as pl
from django.utils.translation import gettext as _


class UnreadableFile(ValueError):
    """The file cannot be read as a table; the message is shown to the clerk."""


@dataclass
class Table:
    headers: list[str]
    frame: pl.DataFrame  # data rows only, columns c0…cN of str; frame row i is sheet row i + 2
    encoding: str = ""

    def __len__(self) -> int:
        return self.frame.height

    def column(self, position: int) -> pl.Series:
        name = f"c{position}"
        if name in self.frame.columns:
            return self.frame[name]
        return pl.Series(name, [""] * self.frame.height, dtype=pl.String)

    @cached_property
    def nonempty(self) -> pl.Series:
        """True for rows with at least one filled cell."""
        if not self.frame.width:
            return pl.Series([False] * self.frame.height)
        return self.frame.select(pl.any_horizontal(pl.all() != "")).to_series()

    @cached_property
    def rows(self) -> list[list[str]]:
        return [list(row) for row in self.frame.iter_rows()]


_MIDNIGHT = r"^(\d{4}-\d{2}-\d{2}) 00:00:00$"
_QUOTED_FORMULA = r"^'([=+\-@\t\r])"


def _tidy(frame: pl.DataFrame) -> pl.DataFrame:
    """Name columns c0…, make every cell stripped text with "" for empty, drop trailing empty rows."""
    frame = frame.rename({name: f"c{i}" for i, name in enumerate(frame.columns)})
    frame = frame.with_columns(pl.all().cast(pl.String).fill_null("").str.strip_chars())
    # Our exports quote a cell that would start a formula ('=…, core.cellsafety); the import takes it off again
    # (only in the columns that have a leading quote at all: the check is far cheaper than the replace).
    quoted = [c for c in frame.columns if frame[c].str.starts_with("'").any()]
    if quoted:
        frame = frame.with_columns(pl.col(quoted).str.replace(_QUOTED_FORMULA, "$1"))
    dated = [c for c in frame.columns if frame[c].str.ends_with(" 00:00:00").any()]
    if dated:
        frame = frame.with_columns(pl.col(dated).str.replace(_MIDNIGHT, "$1"))
    if frame.width and frame.height:
        filled = frame.select(pl.any_horizontal(pl.all() != "")).to_series()
        last = filled.arg_true()
        frame = frame.head(int(last[-1]) + 1 if len(last) else 0)
    return frame


def decode_csv(data: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM) first; otherwise GB18030, the superset of GBK that Excel writes."""
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "GBK"
    except UnicodeDecodeError:
        raise UnreadableFile(_("无法识别文件编码，请另存为 UTF-8 或 GBK 编码的 CSV 文件")) from None


def _from_rows(rows: list[list[str]]) -> pl.DataFrame:
    width = max((len(r) for r in rows), default=0)
    columns = {f"c{j}": [r[j] if j < len(r) else "" for r in rows] for j in range(width)}
    return pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.String))


def read_table(path: str | Path, filename: str | None = None) -> Table:
    name = (filename or str(path)).lower()
    if name.endswith(".csv"):
        text, encoding = decode_csv(Path(path).read_bytes())
        raw = list(csv.reader(io.StringIO(text)))
        if not raw:
            raise UnreadableFile(_("文件为空"))
        frame = _tidy(_from_rows(raw))
        return _split(frame, encoding)
    if name.endswith((".xlsx", ".xls", ".xlsm", ".ods")):
        try:
            reader = fastexcel.read_excel(str(path))
            frame = reader.load_sheet(0, header_row=None, dtypes="string").to_polars()
        except Exception as exc:  # fastexcel raises several error types for corrupt or empty files
            detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise UnreadableFile(
                _("无法读取 Excel 文件，请确认文件未损坏且为 .xlsx/.xls 格式（%(detail)s）") % {"detail": detail}
            ) from None
        return _split(_tidy(frame), "")
    raise UnreadableFile(_("仅支持 .xlsx、.xls 和 .csv 文件"))


def _split(frame: pl.DataFrame, encoding: str) -> Table:
    if not frame.height:
        raise UnreadableFile(_("文件为空"))
    headers = list(frame.row(0))
    body = frame.slice(1)
    return Table([h or "" for h in headers], body, encoding)
