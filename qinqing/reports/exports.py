"""The annual summary as .docx (python-docx) and .pdf (WeasyPrint, Debian's Noto CJK fonts).

Each cited figure carries a note number; the notes at the end give its label, value and the address of
its drill-down list (absolute when a base URL is known), where the records behind it are listed.
"""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .summary import fmt

FONT = "Noto Serif CJK SC"


def _absolute(url: str, base: str) -> str:
    return f"{base.rstrip('/')}{url}" if base else url


def docx_bytes(doc: dict, base_url: str = "") -> bytes:
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    d = Document()
    style = d.styles["Normal"]
    style.font.name = FONT
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    style.font.size = Pt(12)
    d.add_heading(doc["title"], level=0)
    for i, section in enumerate(doc["sections"], start=1):
        d.add_heading(f"{_chinese_number(i)}、{section['title']}", level=1)
        p = d.add_paragraph()
        for part in section["parts"]:
            run = p.add_run(part["text"])
            if part["note"]:
                run.bold = True
                sup = p.add_run(f"[{part['note']}]")
                sup.font.superscript = True
    if doc["cited"]:
        d.add_heading(_("数据来源"), level=1)
        for c in doc["cited"]:
            d.add_paragraph(
                f"[{c['n']}] {c['label']}：{fmt(c['value'])}{c['unit']}（{_('明细')}：{_absolute(c['url'], base_url)}）"
            )
    buffer = io.BytesIO()
    d.save(buffer)
    return buffer.getvalue()


def pdf_bytes(doc: dict, base_url: str = "") -> bytes:
    from weasyprint import HTML

    html = render_to_string("reports/summary_print.html", {"doc": doc, "base": base_url.rstrip("/"), "font": FONT})
    return HTML(string=html, base_url=base_url or None).write_pdf()


def _chinese_number(n: int) -> str:
    digits = _("一二三四五六七八九十")  # section numbers as Chinese documents write them (一、二、…)
    return digits[n - 1] if 1 <= n <= len(digits) else str(n)
