"""Read .xlsx/.xls (python-calamine) and .csv (UTF-8 or GBK) into a header row and string cells."""

import csv
import datetime
import io
from dataclasses import dataclass
from pathlib import Path

from python_calamine import CalamineWorkbook


class UnreadableFile(ValueError):
    """The file cannot be read as a table; the message is shown to the clerk."""


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]  # data rows only; rows[i] is sheet row i + 2 (row 1 is the header)
    encoding: str = ""


def _cell_text(value) -> str:
    if type(value) is float:
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if value is None:
        return ""
    if isinstance(value, float):
        # Excel stores every number as a float; 12.0 is the integer 12, 91430… codes stay intact.
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value).strip()


def _fast_text(value) -> str:
    kind = type(value)
    if kind is str:
        return value.strip()
    if kind is float and value.is_integer() and -1e15 < value < 1e15:
        return str(int(value))
    return _cell_text(value)


def decode_csv(data: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM) first; otherwise GB18030, the superset of GBK that Excel writes."""
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "GBK"
    except UnicodeDecodeError:
        raise UnreadableFile("无法识别文件编码，请另存为 UTF-8 或 GBK 编码的 CSV 文件") from None


def _trim(rows: list[list[str]]) -> list[list[str]]:
    while rows and not any(rows[-1]):
        rows.pop()
    return rows


def read_table(path: str | Path, filename: str | None = None) -> Table:
    name = (filename or str(path)).lower()
    if name.endswith(".csv"):
        text, encoding = decode_csv(Path(path).read_bytes())
        raw = list(csv.reader(io.StringIO(text)))
        rows = _trim([[cell.strip() for cell in row] for row in raw])
        if not rows:
            raise UnreadableFile("文件为空")
        return Table([h.strip() for h in rows[0]], rows[1:], encoding)
    if name.endswith((".xlsx", ".xls", ".xlsm", ".ods")):
        try:
            sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
            raw = sheet.to_python(skip_empty_area=False)
        except Exception as exc:  # calamine raises several error types for corrupt files
            raise UnreadableFile(f"无法读取 Excel 文件：{exc}") from None
        if not raw:
            raise UnreadableFile("文件为空")
        headers = [_cell_text(h) for h in raw[0]]
        rows = _trim([list(map(_fast_text, row)) for row in raw[1:]])
        return Table(headers, rows)
    raise UnreadableFile("仅支持 .xlsx、.xls 和 .csv 文件")
