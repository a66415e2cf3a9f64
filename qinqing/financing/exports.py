"""Excel exports of needs and referrals (every export audited by the view that serves it)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from qinqing.core.cellsafety import workbook

from .choices import Guarantee, ListState, Purpose, Stage


def _plain(value) -> str | float:
    if value is None:
        return ""
    if hasattr(value, "quantize"):
        return float(value)
    return str(value)


def need_rows(needs, *, with_contact: bool):
    head = [_("需求编号"), _("企业"), _("统一社会信用代码"), _("金额（万元）"), _("期限（月）"), _("用途"),
            _("担保方式"), _("首贷"), _("提出日期"), _("清单状态"), _("进展")]  # fmt: skip
    if with_contact:
        head += [_("联系人"), _("联系电话")]
    rows = []
    for n in needs.select_related("enterprise").iterator(chunk_size=2000):
        row = [n.number, n.enterprise.name, n.enterprise.credit_code, n.amount, n.term_months,
               Purpose(n.purpose).label, Guarantee(n.guarantee).label, _("是") if n.is_first_loan else _("否"),
               n.stated_on, ListState(n.list_state).label, Stage(n.stage).label if n.stage else ""]  # fmt: skip
        if with_contact:
            row += [n.contact_name, n.contact_phone]
        rows.append(row)
    return head, rows


def referral_rows(referrals):
    head = [_("需求编号"), _("企业"), _("金融机构"), _("推送日期"), _("答复期限"), _("进展"), _("意向金额（万元）"),
            _("授信金额（万元）"), _("授信日期"), _("放款金额（万元）"), _("放款日期"), _("未获贷原因"),
            _("原因说明")]  # fmt: skip
    rows = []
    for r in referrals.select_related("need", "need__enterprise", "bank", "refusal_reason").iterator(chunk_size=2000):
        rows.append([r.need.number, r.need.enterprise.name, r.bank.name, r.pushed_on, r.answer_due,
                     Stage(r.stage).label, r.intention_amount, r.credit_amount, r.credit_on, r.loan_amount,
                     r.loan_on, r.refusal_reason.name if r.refusal_reason else "", r.refusal_text])  # fmt: skip
    return head, rows


def to_xlsx(title: str, head: list, rows: list) -> bytes:
    buffer = io.BytesIO()
    book = workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet(title[:31])
    bold = book.add_format({"bold": True})
    sheet.write_row(0, 0, [str(h) for h in head], bold)
    for i, row in enumerate(rows, start=1):
        sheet.write_row(i, 0, [_plain(v) for v in row])
    sheet.set_column(0, len(head), 16)
    book.close()
    return buffer.getvalue()
