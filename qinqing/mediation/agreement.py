"""The 调解协议书 of a successful mediation as a .docx (python-docx), with the parties in full: the document
is for the parties and the court (司法确认), so it is served only to those who handle the case or are a party,
and every download is audited by the view that serves it."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from .choices import PartyKind, PartyRole
from .models import Case

FONT = "Noto Serif CJK SC"


def _font(run, size=None, bold=False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = FONT
    run._element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    if size:
        run.font.size = Pt(size)
    run.bold = bold


def _para(doc, text: str, *, size=12, bold=False, center=False):
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paragraph = doc.add_paragraph()
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run(text), size, bold)
    return paragraph


def _party_line(party) -> str:
    label = PartyRole(party.role).label
    parts = [f"{label}：{party.name}"]
    if party.id_number:
        key = _("统一社会信用代码") if party.kind == PartyKind.ORGANISATION else _("身份证号")
        parts.append(f"{key}：{party.id_number}")
    if party.address:
        parts.append(_("住所：%(a)s") % {"a": party.address})
    if party.phone:
        parts.append(_("联系电话：%(p)s") % {"p": party.phone})
    return "，".join(parts)


def agreement_docx(case: Case) -> bytes:
    from docx import Document

    doc = Document()
    _para(doc, case.body.name, size=14, bold=True, center=True)
    _para(doc, _("调解协议书"), size=18, bold=True, center=True)
    _para(doc, _("编号：%(n)s") % {"n": case.number}, size=10, center=True)
    for party in case.parties.all():
        _para(doc, _party_line(party))
    if case.court_case_number:
        _para(doc, _("本案由%(court)s委派/委托调解，法院案号：%(no)s。")
              % {"court": case.court_name, "no": case.court_case_number})  # fmt: skip
    _para(doc, _("纠纷类型：%(t)s；争议金额：%(a)s 万元。") % {"t": case.get_case_type_display(), "a": case.amount})
    if case.summary:
        _para(doc, _("纠纷概要："), bold=True)
        _para(doc, case.summary)
    _para(doc, _("经本调解组织主持调解，当事人自愿达成如下协议："), bold=True)
    for line in case.agreement_text.splitlines():
        if line.strip():
            _para(doc, line.strip())
    if case.settled_amount is not None:
        _para(doc, _("协议金额：%(a)s 万元。") % {"a": case.settled_amount})
    _para(doc, _("本协议经各方当事人签字或盖章、调解员签字并加盖调解组织印章后生效。当事人可以自本协议生效之日起"
                 "三十日内共同向有管辖权的人民法院申请司法确认。"))  # fmt: skip
    _para(doc, "")
    for party in case.parties.all():
        _para(doc, _("%(role)s（签字或盖章）：") % {"role": PartyRole(party.role).label})
    mediator = case.mediator.name if case.mediator_id and case.mediator.name else ""
    _para(doc, _("调解员（签字）：%(m)s") % {"m": mediator})
    _para(doc, _("%(body)s（盖章）") % {"body": case.body.name})
    if case.closed_on:
        day = case.closed_on
        _para(doc, _("%(y)s年%(m)s月%(d)s日") % {"y": day.year, "m": day.month, "d": day.day})
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
