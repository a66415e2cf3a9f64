"""Policy attachments: what may be uploaded, and the text extracted from them for search.

Allowed are the documents a policy comes with (pdf, docx, xlsx, txt) and scans (jpg, png). A file is
accepted by its extension AND its first bytes (a renamed executable is refused). Text is extracted from
pdf (pypdf), docx (python-docx) and txt (UTF-8 or GB18030) so that a word found only in an attachment
finds the policy; it is capped so one huge attachment cannot bloat the search index.
"""

from __future__ import annotations

import io
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from qinqing.core import uploads

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = uploads.DEFAULT_MAX_BYTES
MAX_TEXT_CHARS = 200_000
ALLOWED = uploads.DOCUMENTS  # the checker is shared with appeal attachments (qinqing.core.uploads)
extension = uploads.extension
content_type = uploads.content_type


def max_bytes() -> int:
    return int(getattr(settings, "POLICY_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def validate(file) -> None:
    """Raise ValidationError({"file": ...}) with a Chinese message unless the upload is acceptable."""
    try:
        uploads.check(file, label=_("附件文件"), allowed=ALLOWED, max_bytes=max_bytes())
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None


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
    """The file as a download, named with its original (Chinese) name (attachment, nosniff)."""
    return uploads.download_response(attachment.file, attachment.download_name, ALLOWED)
