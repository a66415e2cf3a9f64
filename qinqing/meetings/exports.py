"""After-meeting documents: the problem list (问题清单) and the responsibility list (责任清单), .docx and .xlsx."""

import io

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qinqing.core.cellsafety import workbook

COLUMNS_PROBLEMS = [
    gettext_lazy("序号"),
    gettext_lazy("诉求编号"),
    gettext_lazy("企业"),
    gettext_lazy("问题"),
    gettext_lazy("领域"),
    gettext_lazy("状态"),
    gettext_lazy("现场解决"),
]
COLUMNS_DUTIES = [
    gettext_lazy("序号"),
    gettext_lazy("诉求编号"),
    gettext_lazy("问题"),
    gettext_lazy("主办单位"),
    gettext_lazy("协办单位"),
    gettext_lazy("答复期限"),
    gettext_lazy("办理状态"),
]


def _rows(meeting, kind: str) -> tuple[list[str], list[list]]:
    appeals = meeting.appeals.select_related("enterprise", "domain", "lead_department").prefetch_related(
        "co_departments"
    )
    rows = []
    for i, a in enumerate(appeals.order_by("id"), start=1):
        if kind == "problems":
            rows.append(
                [
                    i,
                    a.number,
                    a.enterprise.name,
                    a.title,
                    a.domain.name,
                    a.status_label,
                    _("是") if a.solved_on_spot else _("否"),
                ]
            )
        else:
            co = "、".join(d.name for d in a.co_departments.all())
            lead = a.lead_department.name if a.lead_department else (_("现场解决") if a.solved_on_spot else _("待交办"))
            rows.append([i, a.number, a.title, lead, co, _due_text(a), a.status_label])
    head = COLUMNS_PROBLEMS if kind == "problems" else COLUMNS_DUTIES
    return [str(c) for c in head], rows  # xlsxwriter and python-docx need plain str


def _due_text(appeal) -> str:
    """The reply deadline; one computed on a year whose holiday notice is not entered yet says so (暂定)."""
    if not appeal.reply_due:
        return ""
    if "reply_due" in (appeal.provisional_dues or ()):
        return _("%(date)s（暂定）") % {"date": appeal.reply_due}
    return str(appeal.reply_due)


def title_for(meeting, kind: str) -> str:
    if kind == "problems":
        return _("%(title)s问题清单") % {"title": meeting.title}
    return _("%(title)s责任清单") % {"title": meeting.title}


def to_xlsx(meeting, kind: str) -> bytes:
    head, rows = _rows(meeting, kind)
    buffer = io.BytesIO()
    book = workbook(buffer, {"in_memory": True})  # text as text: no formula from an enterprise name
    sheet = book.add_worksheet(_("清单"))
    bold = book.add_format({"bold": True})
    sheet.write(0, 0, title_for(meeting, kind), bold)
    sheet.write_row(1, 0, head, bold)
    for i, row in enumerate(rows, start=2):
        sheet.write_row(i, 0, row)
    sheet.set_column(0, len(head), 18)
    book.close()
    return buffer.getvalue()


def to_docx(meeting, kind: str) -> bytes:
    from docx import Document

    head, rows = _rows(meeting, kind)
    doc = Document()
    doc.add_heading(title_for(meeting, kind), level=1)
    doc.add_paragraph(
        _("会议日期：%(date)s　主持：%(host)s　地点：%(location)s")
        % {"date": meeting.date, "host": meeting.host_leader, "location": meeting.location}
    )
    table = doc.add_table(rows=1, cols=len(head))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, head, strict=True):
        cell.text = text
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = str(value)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
