"""Excel imports: needs collected by FIC staff, and a bank's 银行反馈表 of outcomes.

Each runs every row through the same action as the pages (state_need / record_stage), inside one transaction;
any row error rolls the whole file back, and every row's error is reported (第 N 行 names the sheet row and the
column), so the clerk fixes the file and imports it again.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qinqing.core import audit
from qinqing.core.errors import Refused
from qinqing.registry.importing import limits
from qinqing.registry.importing.reader import UnreadableFile, read_table

from . import actions
from .choices import Guarantee, Purpose, Stage
from .models import NeedReferral, RefusalReason

# (key, header) in template order.
NEED_COLUMNS = [
    ("credit_code", gettext_lazy("统一社会信用代码")),
    ("amount", gettext_lazy("融资金额（万元）")),
    ("term_months", gettext_lazy("期限（月）")),
    ("purpose", gettext_lazy("用途")),
    ("guarantee", gettext_lazy("担保方式")),
    ("is_first_loan", gettext_lazy("是否首贷")),
    ("rate_ceiling", gettext_lazy("可接受最高年利率（%）")),
    ("needed_by", gettext_lazy("用款时间")),
    ("contact_name", gettext_lazy("联系人")),
    ("contact_phone", gettext_lazy("联系电话")),
]
FEEDBACK_COLUMNS = [
    ("number", gettext_lazy("需求编号")),
    ("stage", gettext_lazy("办理进展")),
    ("on", gettext_lazy("日期")),
    ("amount", gettext_lazy("金额（万元）")),
    ("rate", gettext_lazy("执行年利率（%）")),
    ("reason", gettext_lazy("未获贷原因")),
    ("reason_text", gettext_lazy("原因说明")),
    ("note", gettext_lazy("备注")),
]
FIELD_LABELS = {
    "reason_text": gettext_lazy("原因说明"),
    "rate_ceiling": gettext_lazy("可接受最高年利率（%）"),
    "preferred_banks": gettext_lazy("意向银行"),
}


@dataclass
class ImportResult:
    rows: int = 0
    done: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _labels(columns) -> dict[str, str]:
    return {key: str(label) for key, label in columns} | {k: str(v) for k, v in FIELD_LABELS.items()}


def _table(upload) -> tuple[list[str], list[list[str]]]:
    suffix = Path(getattr(upload, "name", "") or "x.xlsx").suffix or ".xlsx"
    try:  # the registry import's limits: size, expanded size and rows, before anything is parsed
        limits.check_upload(upload)
    except limits.FileRefused as exc:
        raise UnreadableFile(str(exc)) from None
    with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
        for chunk in upload.chunks():
            tmp.write(chunk)
        tmp.flush()
        table = read_table(tmp.name, upload.name)
    try:
        limits.check_rows(len(table))
    except limits.FileRefused as exc:
        raise UnreadableFile(str(exc)) from None
    return [h.strip() for h in table.headers], table.rows


def _columns(headers: list[str], columns) -> dict[str, int]:
    position = {h: i for i, h in enumerate(headers)}
    missing = [str(label) for key, label in columns if str(label) not in position]
    required = {str(label) for key, label in columns[:3]}
    if any(m in required for m in missing):
        raise UnreadableFile(_("缺少必需的列：%(cols)s") % {"cols": "、".join(m for m in missing if m in required)})
    return {key: position[str(label)] for key, label in columns if str(label) in position}


def _row_error(row: int, exc: Exception, labels: dict[str, str]) -> list[str]:
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        return [
            _("第 %(row)s 行“%(col)s”：%(msg)s") % {"row": row, "col": labels.get(key, key), "msg": msg}
            for key, msgs in exc.message_dict.items()
            for msg in msgs
        ]
    message = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    return [_("第 %(row)s 行：%(msg)s") % {"row": row, "msg": message}]


def _choice(text: str, choices) -> str:
    text = (text or "").strip()
    for value, label in choices:
        if text in (value, str(label)):
            return value
    return text


def _yes(text: str) -> bool:
    return (text or "").strip() in ("是", "首贷", "Y", "y", "1", "true", "True")


def _run(rows, handle, labels) -> ImportResult:
    """Each row through its action, in one transaction (all or nothing). The actions' audit rows are written at the
    end (``audit.written_at_end``): a long file does not hold the audit chain head, which every user's audited
    action waits for, from its first row on; a refused row's rows go with its savepoint."""
    result = ImportResult()
    with transaction.atomic(), audit.written_at_end():
        for index, row in enumerate(rows, start=2):
            if not any((cell or "").strip() for cell in row):
                continue
            result.rows += 1
            try:
                with transaction.atomic():
                    handle(row)
                result.done += 1
            except (ValidationError, Refused, ValueError) as exc:
                result.errors.extend(_row_error(index, exc, labels))
        if result.errors:
            transaction.set_rollback(True)
            result.done = 0
    return result


def import_needs(upload, *, actor) -> ImportResult:
    """FIC staff: needs collected on visits (source 表格导入)."""
    from qinqing.registry.models import Enterprise

    headers, rows = _table(upload)
    cols = _columns(headers, NEED_COLUMNS)
    labels = _labels(NEED_COLUMNS)
    codes = {(row[cols["credit_code"]] or "").strip().upper() for row in rows}
    enterprises = {e.credit_code: e for e in Enterprise.objects.filter(credit_code__in=codes)}

    def cell(row, key):
        return (row[cols[key]] or "").strip() if key in cols else ""

    def handle(row):
        code = cell(row, "credit_code").upper()
        enterprise = enterprises.get(code)
        if enterprise is None:
            raise ValidationError({"credit_code": _("未找到统一社会信用代码为 %(code)s 的企业") % {"code": code}})
        data = {key: cell(row, key) for key, _label in NEED_COLUMNS if key != "credit_code"}
        data["purpose"] = _choice(data["purpose"], Purpose.choices)
        data["guarantee"] = _choice(data["guarantee"], Guarantee.choices)
        data["is_first_loan"] = _yes(data["is_first_loan"])
        actions.state_need(actor=actor, enterprise=enterprise, data=data, source="import")

    result = _run(rows, handle, labels)
    audit.record(
        "financing.import_needs",
        actor=actor,
        object_type="financing.financingneed",
        object_repr=str(getattr(upload, "name", "")),
        after={"rows": result.rows, "created": result.done, "errors": len(result.errors)},
        success=result.ok,
    )
    return result


STAGE_WORDS = {"对接": Stage.CONTACTED, "意向": Stage.INTENDED, "授信": Stage.CREDITED, "放款": Stage.LENT,
               "未获贷": Stage.REFUSED, "拒贷": Stage.REFUSED}  # fmt: skip


def import_feedback(upload, *, actor) -> ImportResult:
    """A bank officer's 银行反馈表: one outcome per row, only for needs pushed to their institution."""
    headers, rows = _table(upload)
    cols = _columns(headers, FEEDBACK_COLUMNS)
    labels = _labels(FEEDBACK_COLUMNS)
    reasons = {r.name: r for r in RefusalReason.objects.filter(is_active=True)}

    def cell(row, key):
        return (row[cols[key]] or "").strip() if key in cols else ""

    def handle(row):
        number = cell(row, "number")
        referral = (
            NeedReferral.objects.filter(need__number=number, bank_id=actor.org_id).order_by("-pushed_on", "-pk").first()
        )
        if referral is None:
            raise ValidationError({"number": _("需求 %(number)s 未推送给本机构") % {"number": number}})
        word = cell(row, "stage")
        stage = STAGE_WORDS.get(word) or _choice(word, Stage.choices)
        reason_name = cell(row, "reason")
        data = {
            "stage": stage,
            "on": cell(row, "on")[:10] or None,
            "amount": cell(row, "amount") or None,
            "rate": cell(row, "rate") or None,
            "reason": reasons.get(reason_name) or (reason_name and "__unknown__") or None,
            "reason_text": cell(row, "reason_text"),
            "note": cell(row, "note"),
        }
        if data["reason"] == "__unknown__":
            raise ValidationError({"reason": _("未获贷原因“%(name)s”不在原因目录中") % {"name": reason_name}})
        if isinstance(data["on"], str):
            try:
                data["on"] = dt.date.fromisoformat(data["on"])
            except ValueError:
                raise ValidationError({"on": _("日期格式应为 YYYY-MM-DD")}) from None
        actions.record_stage(referral, actor=actor, data=data)

    result = _run(rows, handle, labels)
    audit.record(
        "financing.import_feedback",
        actor=actor,
        object_type="financing.needreferral",
        object_repr=str(getattr(upload, "name", "")),
        after={"rows": result.rows, "recorded": result.done, "errors": len(result.errors)},
        success=result.ok,
    )
    return result


def template_xlsx(columns) -> bytes:
    import io

    from qinqing.core.cellsafety import workbook

    buffer = io.BytesIO()
    book = workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet(_("导入模板"))
    sheet.write_row(0, 0, [str(label) for _key, label in columns], book.add_format({"bold": True}))
    sheet.set_column(0, len(columns), 20)
    book.close()
    return buffer.getvalue()
