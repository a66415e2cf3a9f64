"""The 万企兴万村 ledger (台账) of one county as .xlsx: one row per pairing, project and year, and a totals row.
Every text cell goes through qinqing.core.cellsafety (formula injection); the view serving it audits it."""

from __future__ import annotations

import io
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from qinqing.core.cellsafety import workbook

from .choices import PartyKind, ProjectKind
from .models import Project, ProjectYear


def ledger_head() -> list[str]:
    return [_("序号"), _("结对主体类型"), _("结对主体"), _("统一社会信用代码"), _("村所在县（市、区）"), _("行政村"),
            _("结对日期"), _("项目名称"), _("项目类型"), _("启动日期"), _("年度"), _("承诺投入资金（万元）"),
            _("实际到位资金（万元）"), _("带动就业（人）")]  # fmt: skip


def ledger_rows(pairings, year: int | None = None) -> list[list]:
    """Rows of the ledger for the given (already scoped) pairings; a pairing without projects is one row."""
    years = ProjectYear.objects.order_by("year")
    if year is not None:
        years = years.filter(year=year)
    projects = Project.objects.order_by("started_on", "pk").prefetch_related(Prefetch("years", queryset=years))
    pairings = pairings.select_related("enterprise", "chamber").prefetch_related(Prefetch("projects", projects))
    rows, n = [], 0
    for p in pairings.order_by("village", "pk"):
        is_enterprise = p.party_kind == PartyKind.ENTERPRISE
        party = [PartyKind(p.party_kind).label, p.party_name, p.enterprise.credit_code if is_enterprise else "",
                 p.county_name, p.village, p.started_on]  # fmt: skip
        lines = []
        for project in p.projects.all():
            head = [project.name, ProjectKind(project.kind).label, project.started_on]
            entries = list(project.years.all())
            if not entries and year is None:
                lines.append([*head, "", None, None, None])
            lines.extend([*head, y.year, y.committed, y.spent, y.employed] for y in entries)
        if not lines and year is None:
            lines.append(["", "", "", "", None, None, None])
        for line in lines:
            n += 1
            rows.append([n, *party, *line])
    return rows


def totals(rows: list[list]) -> list:
    def total(i):
        return sum((r[i] for r in rows if r[i] is not None), Decimal(0))

    return [_("合计"), "", "", "", "", "", "", "", "", "", "", total(11), total(12), int(total(13))]


def ledger_xlsx(title: str, rows: list[list]) -> bytes:
    buffer = io.BytesIO()
    book = workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet(_("结对帮扶台账"))
    bold = book.add_format({"bold": True})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    money = book.add_format({"num_format": "0.00"})
    sheet.write(0, 0, title, bold)
    head = ledger_head()
    sheet.write_row(1, 0, head, bold)
    for i, row in enumerate([*rows, totals(rows)], start=2):
        for j, value in enumerate(row):
            if value is None or value == "":
                sheet.write_blank(i, j, None)
            elif hasattr(value, "isoformat"):
                sheet.write_datetime(i, j, _as_datetime(value), day)
            elif isinstance(value, Decimal):
                sheet.write_number(i, j, float(value), money)
            elif isinstance(value, int):
                sheet.write_number(i, j, value)
            else:
                sheet.write_string(i, j, str(value))
    sheet.set_column(0, 0, 6)
    sheet.set_column(1, len(head) - 1, 16)
    sheet.freeze_panes(2, 0)
    book.close()
    return buffer.getvalue()


def _as_datetime(value):
    import datetime as dt

    return dt.datetime.combine(value, dt.time.min)
