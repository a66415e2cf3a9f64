"""Policy attachments: what may be uploaded, and the text extracted from them for search.

Allowed are the documents a policy comes with (pdf, docx, xlsx, txt) and scans (jpg, png). A file is
accepted by its extension AND its first bytes (a renamed executable is refused). Text is extracted from
pdf (pypdf), docx (python-docx) and txt (UTF-8 or GB18030) so that a word found only in an attachment
finds the policy; it is capped so one huge attachment cannot bloat the search index.
"""

from __future__ import annotations

import io
import logging
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MAX_TEXT_CHARS = 200_000

# extension → (content type, accepted leading bytes; None: any text without NUL bytes)
ALLOWED: dict[str, tuple[str, tuple[bytes, ...] | None]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    "txt": ("text/plain; charset=utf-8", None),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
}


def max_bytes() -> int:
    return int(getattr(settings, "POLICY_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def extension(filename: str) -> str:
    return PurePath(filename or "").suffix.lower().lstrip(".")


def content_type(filename: str) -> str:
    return ALLOWED.get(extension(filename), ("application/octet-stream", None))[0]


def _head(file, size: int = 16) -> bytes:
    file.seek(0)
    head = file.read(size)
    file.seek(0)
    return head


def validate(file) -> None:
    """Raise ValidationError({"file": ...}) with a Chinese message unless the upload is acceptable."""
    if file is None:
        raise ValidationError({"file": _("附件文件：请选择要上传的文件")})
    ext = extension(file.name)
    if ext not in ALLOWED:
        raise ValidationError(
            {"file": _("附件文件：只能上传 PDF、Word（docx）、Excel（xlsx）、文本（txt）或 JPG/PNG 图片")}
        )
    limit = max_bytes()
    if file.size > limit:
        raise ValidationError({"file": _("附件文件：文件不能超过 %(mb)s MB") % {"mb": f"{limit / 1024 / 1024:g}"}})
    if file.size == 0:
        raise ValidationError({"file": _("附件文件：文件是空的")})
    magic = ALLOWED[ext][1]
    head = _head(file, 4096)
    if magic is None:
        if b"\x00" in head:
            raise ValidationError({"file": _("附件文件：文件内容与扩展名 .%(ext)s 不符") % {"ext": ext}})
    elif not head.startswith(magic):
        raise ValidationError({"file": _("附件文件：文件内容与扩展名 .%(ext)s 不符") % {"ext": ext}})


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    parts, size = [], 0
    for page in reader.pages:
        text = page.extract_text() or ""
        parts.append(text)
        size += len(text)
        if size >= MAX_TEXT_CHARS:
            break
    return "\n".join(parts)


def _docx_text(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def extract_text(filename: str, data: bytes) -> str:
    """The searchable text of an attachment ('' for images, spreadsheets and unreadable files)."""
    ext = extension(filename)
    try:
        if ext == "txt":
            text = _decode(data)
        elif ext == "pdf":
            text = _pdf_text(data)
        elif ext == "docx":
            text = _docx_text(data)
        else:
            return ""
    except Exception:  # a damaged document is still a valid attachment; it just adds no words
        logger.warning("could not extract text from attachment %s", filename, exc_info=True)
        return ""
    return text[:MAX_TEXT_CHARS]


def read_all(file) -> bytes:
    file.seek(0)
    data = file.read()
    file.seek(0)
    return data


def download_response(attachment):
    """The file as a download, named with its original (Chinese) name: FileResponse writes RFC 5987's
    ``filename*=utf-8''…`` for non-ASCII names, with an ASCII fallback."""
    from django.http import FileResponse, Http404

    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.download_name,
        content_type=content_type(attachment.download_name),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
