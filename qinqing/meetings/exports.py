"""After-meeting documents: the problem list (问题清单) and the responsibility list (责任清单), .docx and .xlsx."""

import io

COLUMNS_PROBLEMS = ["序号", "诉求编号", "企业", "问题", "领域", "状态", "现场解决"]
COLUMNS_DUTIES = ["序号", "诉求编号", "问题", "主办单位", "协办单位", "答复期限", "办理状态"]


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
                    "是" if a.solved_on_spot else "否",
                ]
            )
        else:
            co = "、".join(d.name for d in a.co_departments.all())
            lead = a.lead_department.name if a.lead_department else ("现场解决" if a.solved_on_spot else "待交办")
            rows.append([i, a.number, a.title, lead, co, str(a.reply_due or ""), a.status_label])
    return (COLUMNS_PROBLEMS if kind == "problems" else COLUMNS_DUTIES), rows


def title_for(meeting, kind: str) -> str:
    return f"{meeting.title}{'问题清单' if kind == 'problems' else '责任清单'}"


def to_xlsx(meeting, kind: str) -> bytes:
    import xlsxwriter

    head, rows = _rows(meeting, kind)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("清单")
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
    doc.add_paragraph(f"会议日期：{meeting.date}　主持：{meeting.host_leader}　地点：{meeting.location}")
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
