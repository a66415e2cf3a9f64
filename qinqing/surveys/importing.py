"""Offline answers imported from .xlsx: the first column is the enterprise's 统一社会信用代码, then one column
per item code (the export's codes: option numbers, several separated by ";"). Every row goes through the same
action as the answer page inside one transaction; any row error rolls the whole file back and every error is
reported with its row and column (item code)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from qinqing.core.cellsafety import workbook
from qinqing.financing.importing import ImportResult, _row_error, _run, _table  # the shared import plumbing
from qinqing.registry.importing.reader import UnreadableFile
from qinqing.registry.permissions import visible_enterprises

from . import actions
from .choices import Source
from .models import Survey
from .structure import items

CREDIT = "credit_code"


def credit_header() -> str:
    return _("统一社会信用代码")


def template(survey: Survey) -> bytes:
    buffer = io.BytesIO()
    book = workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet(_("答卷"))
    sheet.write_row(0, 0, [credit_header(), *[i.code for i in items(survey.structure)]])
    book.close()
    return buffer.getvalue()


def import_responses(survey: Survey, upload, *, actor) -> ImportResult:
    try:
        headers, rows = _table(upload)
    except UnreadableFile as exc:
        return ImportResult(errors=[str(exc)])
    known = {i.code for i in items(survey.structure)}
    if not headers or headers[0] != credit_header():
        return ImportResult(errors=[_("第一列须为“%(col)s”") % {"col": credit_header()}])
    unknown = [h for h in headers[1:] if h and h not in known]
    if unknown:
        return ImportResult(errors=[_("未知的题目编码列：%(cols)s") % {"cols": "、".join(unknown)}])
    codes = [r[0].strip().upper() for r in rows if r and r[0]]
    firms = {e.credit_code: e for e in visible_enterprises(actor).filter(credit_code__in=codes)}
    seen: set[str] = set()
    labels = {CREDIT: credit_header()}

    def handle(row):
        code = (row[0] or "").strip().upper()
        enterprise = firms.get(code)
        if enterprise is None:
            from django.core.exceptions import ValidationError

            raise ValidationError({CREDIT: _("未找到该企业，或企业不在您的管辖范围内")})
        if code in seen and not survey.multiple:
            raise ValueError(_("企业 %(code)s 在文件中重复（本问卷每家企业填写一份）") % {"code": code})
        seen.add(code)
        raw = {h: (row[i] or "").strip() for i, h in enumerate(headers) if i and h and i < len(row)}
        actions.submit_response(survey, actor=actor, enterprise=enterprise, raw=raw, source=Source.IMPORT)

    return _run(rows, handle, labels)


__all__ = ["ImportResult", "_row_error", "import_responses", "template"]
