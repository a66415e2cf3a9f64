"""What may be uploaded: every attachment (policies, appeals) is checked by extension AND content here.

Allowed are documents (pdf, docx, xlsx, txt) and scans (jpg, png). A file is refused when its extension is
not listed (SVG, HTML, executables…), when its first bytes do not match the extension (a renamed file),
when a docx/xlsx is not the Office package it claims to be, and when a .txt holds markup a browser would
run (an HTML or SVG page renamed .txt). Downloads are always ``Content-Disposition: attachment`` with
``X-Content-Type-Options: nosniff`` (``download_response``), so even an accepted file is never rendered
by the browser as a page of the platform.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MAX_EXPANDED_BYTES = 200 * 1024 * 1024  # a docx/xlsx whose parts declare more is refused (text extraction)
MAX_RATIO = 100  # documents compress 3–15×; a zip bomb thousands of times

# extension → (content type, accepted leading bytes; None: text without NUL bytes)
DOCUMENTS: dict[str, tuple[str, tuple[bytes, ...] | None]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    "txt": ("text/plain; charset=utf-8", None),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
}
# The part every genuine Office package of that kind holds.
OFFICE_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
MARKUP = re.compile(rb"<\s*(!doctype|html|svg|script|\?xml|body|iframe)", re.I)


def extension(filename: str) -> str:
    return PurePath(filename or "").suffix.lower().lstrip(".")


def content_type(filename: str, allowed: dict = DOCUMENTS) -> str:
    return allowed.get(extension(filename), ("application/octet-stream", None))[0]


def _head(file, size: int) -> bytes:
    file.seek(0)
    head = file.read(size)
    file.seek(0)
    return head


def _office_package_ok(file, ext: str) -> bool:
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as package:
            return OFFICE_PARTS[ext] in package.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        file.seek(0)


def _expands_too_much(file) -> bool:
    """A zip bomb: the package's declared uncompressed size (read from its directory, nothing is
    decompressed) is above the limit, or far above what documents compress to."""
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False  # not a zip: _office_package_ok refuses it
    finally:
        file.seek(0)
    expanded = sum(m.file_size for m in members)
    packed = max(sum(m.compress_size for m in members), 1)
    return expanded > MAX_EXPANDED_BYTES or (expanded > 1024 * 1024 and expanded > MAX_RATIO * packed)


def check(file, *, label: str, allowed: dict = DOCUMENTS, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
    """Raise ValidationError with a Chinese message starting with ``label`` unless the upload is acceptable."""
    if file is None:
        raise ValidationError(_("%(label)s：请选择要上传的文件") % {"label": label})
    ext = extension(file.name)
    if ext not in allowed:
        names = "、".join(sorted({e for e in allowed if e != "jpeg"}))
        raise ValidationError(
            _("%(label)s：不允许上传 .%(ext)s 文件，只能上传 %(names)s")
            % {"label": label, "ext": ext or "?", "names": names}
        )
    if file.size > max_bytes:
        raise ValidationError(
            _("%(label)s：文件不能超过 %(mb)s MB") % {"label": label, "mb": f"{max_bytes / 1024 / 1024:g}"}
        )
    if file.size == 0:
        raise ValidationError(_("%(label)s：文件是空的") % {"label": label})
    mismatch = _("%(label)s：文件内容与扩展名 .%(ext)s 不符") % {"label": label, "ext": ext}
    magic = allowed[ext][1]
    head = _head(file, 4096)
    if magic is None:
        if b"\x00" in head or MARKUP.search(head):
            raise ValidationError(mismatch)
    elif not head.startswith(magic):
        raise ValidationError(mismatch)
    if ext in OFFICE_PARTS and not _office_package_ok(file, ext):
        raise ValidationError(mismatch)
    if ext in OFFICE_PARTS and _expands_too_much(file):
        raise ValidationError(_("%(label)s：文件解压后过大或压缩比异常，拒绝上传") % {"label": label})


def download_response(fieldfile, filename: str, allowed: dict = DOCUMENTS):
    """The stored file as a download named ``filename`` (RFC 5987 for Chinese names), never rendered inline."""
    from django.http import FileResponse, Http404

    try:
        handle = fieldfile.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type(filename, allowed))
    response["X-Content-Type-Options"] = "nosniff"
    return response
