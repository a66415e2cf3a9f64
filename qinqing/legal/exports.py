"""The 法律风险评估报告 of a check-up as .docx (python-docx) and .pdf (WeasyPrint with Debian's Noto CJK fonts):
the enterprise's and the law firm's names, the overall assessment, the risk table by level and the
recommendations with the enterprise's 整改 feedback."""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .choices import Level

FONT = "Noto Serif CJK SC"
LEVEL_ORDER = {Level.RED: 0, Level.ORANGE: 1, Level.YELLOW: 2}


def report_context(checkup) -> dict:
    risks = sorted(checkup.risks.select_related("area"), key=lambda r: (LEVEL_ORDER.get(r.level, 9), r.pk))
    counts = {level: sum(1 for r in risks if r.level == level) for level in Level.values}
    return {
        "title": _("法律风险评估报告"),
        "checkup": checkup,
        "enterprise": checkup.enterprise.name,
        "credit_code": checkup.enterprise.credit_code,
        "law_firm": checkup.law_firm.name if checkup.law_firm_id else "—",
        "lawyer": checkup.lawyer.name if checkup.lawyer_id else "—",
        "chamber": checkup.chamber.name if checkup.chamber_id else "",
        "risks": risks,
        "counts": [(Level(level).label, counts[level], level) for level in Level.values],
        "font": FONT,
    }


def filename(checkup, ext: str) -> str:
    return f"{checkup.number}-{_('法律风险评估报告')}.{ext}"


def docx_bytes(checkup) -> bytes:
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    ctx = report_context(checkup)
    d = Document()
    style = d.styles["Normal"]
    style.font.name = FONT
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    style.font.size = Pt(11)
    d.add_heading(ctx["title"], level=0)
    facts = [
        (_("受检企业"), f"{ctx['enterprise']}（{ctx['credit_code']}）"),
        (_("律师事务所"), ctx["law_firm"]),
        (_("体检律师"), ctx["lawyer"]),
        (_("体检编号"), checkup.number),
        (_("走访日期"), str(checkup.visited_on or "—")),
        (_("报告日期"), str(checkup.report_on or "—")),
    ]
    if ctx["chamber"]:
        facts.insert(1, (_("所属商会"), ctx["chamber"]))
    for label, value in facts:
        d.add_paragraph(f"{label}：{value}")
    d.add_heading(_("一、总体评价"), level=1)
    d.add_paragraph(checkup.report_summary or "—")
    d.add_paragraph("；".join(_("%(level)s %(n)s 个") % {"level": label, "n": n} for label, n, _code in ctx["counts"]))
    d.add_heading(_("二、风险清单"), level=1)
    table = d.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, [_("序号"), _("领域"), _("等级"), _("风险事实"), _("整改建议")],
                            strict=True):  # fmt: skip
        cell.text = header
    for i, risk in enumerate(ctx["risks"], start=1):
        cells = table.add_row().cells
        for cell, value in zip(cells, [str(i), risk.area.name, risk.get_level_display(), risk.facts,
                                       risk.recommendation], strict=True):  # fmt: skip
            cell.text = value
    if not ctx["risks"]:
        d.add_paragraph(_("本次体检未发现需要提示的法律风险。"))
    d.add_heading(_("三、整改建议及落实情况"), level=1)
    for i, risk in enumerate(ctx["risks"], start=1):
        follow = risk.get_follow_status_display()
        if risk.follow_reason:
            follow = f"{follow}（{risk.follow_reason}）"
        d.add_paragraph(f"{i}. 【{risk.area.name}】{risk.recommendation}　{_('整改情况')}：{follow}")
    d.add_paragraph(_("本报告依据企业自查及律师走访核查情况作出，仅供企业防范法律风险参考。"))
    buffer = io.BytesIO()
    d.save(buffer)
    return buffer.getvalue()


def pdf_bytes(checkup) -> bytes:
    from weasyprint import HTML

    html = render_to_string("legal/report_print.html", report_context(checkup))
    return HTML(string=html).write_pdf()


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"


def download(checkup, ext: str, *, actor):
    """The report as an attachment (pages and API alike); each download is audited."""
    from urllib.parse import quote

    from django.http import HttpResponse

    from qinqing.core import audit

    body = pdf_bytes(checkup) if ext == "pdf" else docx_bytes(checkup)
    audit.record("legal.download_report", obj=checkup, actor=actor, after={"format": ext})
    response = HttpResponse(body, content_type=PDF if ext == "pdf" else DOCX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename(checkup, ext))}"
    return response
