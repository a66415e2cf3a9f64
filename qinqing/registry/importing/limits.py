"""Limits on an import file, checked before it is parsed: upload size, expanded size, row count.

An .xlsx is a zip of XML: a 924 KB file can declare 211 MB of sheet XML, which the reader would hold in
memory several times over (826 MB of worker memory was measured). The zip's central directory states each
member's uncompressed size, so the total and the compression ratio are checked from it, without
decompressing anything. The row count is read from the sheet's ``<dimension ref="A1:Q100001">`` (written by
Excel, WPS and xlsxwriter) or, for a CSV, from its line count; the reader's result is checked again after
parsing (``check_rows``) for sheets that do not state their size.

Each limit is a setting (``QINQING_IMPORT_MAX_BYTES``, ``QINQING_IMPORT_MAX_EXPANDED_BYTES``,
``QINQING_IMPORT_MAX_RATIO``, ``QINQING_IMPORT_MAX_ROWS``) and each refusal a Chinese message.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

DEFAULTS = {
    "QINQING_IMPORT_MAX_BYTES": 50 * 1024 * 1024,  # the 100,000-row benchmark file is 10.1 MB
    "QINQING_IMPORT_MAX_EXPANDED_BYTES": 400 * 1024 * 1024,  # that file expands to about 100 MB (ratio ≈ 10)
    "QINQING_IMPORT_MAX_RATIO": 60,  # real sheets compress 5–15×; the 924 KB bomb was 228×
    "QINQING_IMPORT_MAX_ROWS": 300_000,
}
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the OLE2 container of a legacy .xls
DIMENSION = re.compile(rb'<dimension\s+ref="[A-Z]+\d+(?::[A-Z]+(\d+))?"')


class FileRefused(ValueError):
    """The file is refused before parsing; the message is shown to the clerk."""


def limit(name: str) -> int:
    return int(getattr(settings, name, DEFAULTS[name]))


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".rstrip("0").rstrip(".")


def check_size(size: int) -> None:
    maximum = limit("QINQING_IMPORT_MAX_BYTES")
    if size > maximum:
        raise FileRefused(
            _("文件过大：%(size)s MB，导入文件不能超过 %(max)s MB，请拆分后分批导入")
            % {"size": _mb(size), "max": _mb(maximum)}
        )


def check_rows(rows: int) -> None:
    maximum = limit("QINQING_IMPORT_MAX_ROWS")
    if rows > maximum:
        raise FileRefused(
            _("行数过多：%(rows)s 行，一次最多导入 %(max)s 行，请拆分后分批导入") % {"rows": rows, "max": maximum}
        )


def _check_zip(handle) -> None:
    """Declared sizes of the xlsx package: total, ratio, and the first sheet's stated row count."""
    try:
        package = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileRefused(_("无法读取 Excel 文件，请确认文件未损坏且为 .xlsx 格式")) from None
    with package:
        members = package.infolist()
        expanded = sum(m.file_size for m in members)
        packed = sum(m.compress_size for m in members)
        maximum = limit("QINQING_IMPORT_MAX_EXPANDED_BYTES")
        if expanded > maximum:
            raise FileRefused(
                _("文件解压后过大：%(size)s MB，上限 %(max)s MB，请拆分后分批导入")
                % {"size": _mb(expanded), "max": _mb(maximum)}
            )
        ratio = limit("QINQING_IMPORT_MAX_RATIO")
        if expanded > 1024 * 1024 and expanded > ratio * max(packed, 1):
            raise FileRefused(
                _("文件压缩比异常（解压后为原来的 %(ratio)s 倍，上限 %(max)s 倍），拒绝导入")
                % {"ratio": expanded // max(packed, 1), "max": ratio}
            )
        sheets = sorted(m.filename for m in members if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", m.filename))
        if sheets:
            with package.open(sheets[0]) as sheet:
                found = DIMENSION.search(sheet.read(4096))
            if found and found.group(1):
                check_rows(int(found.group(1)) - 1)


def _count_lines(handle) -> int:
    lines = 0
    while chunk := handle.read(1024 * 1024):
        lines += chunk.count(b"\n")
    return lines


def check_file(handle, filename: str, size: int) -> None:
    """Raise FileRefused unless the open binary file may be parsed. The handle is left at the start."""
    check_size(size)
    name = (filename or "").lower()
    handle.seek(0)
    try:
        if name.endswith((".xlsx", ".xlsm", ".ods")):
            _check_zip(handle)
        elif name.endswith(".xls"):
            if handle.read(8) != XLS_MAGIC:
                raise FileRefused(_("文件内容与扩展名 .xls 不符"))
        elif name.endswith(".csv"):
            check_rows(max(_count_lines(handle) - 1, 0))
    finally:
        handle.seek(0)


def check_upload(upload) -> None:
    """An uploaded file (Django UploadedFile)."""
    check_file(upload, upload.name, upload.size)


def check_path(path: str | Path, filename: str | None = None) -> None:
    path = Path(path)
    with path.open("rb") as handle:
        check_file(handle, filename or path.name, path.stat().st_size)
