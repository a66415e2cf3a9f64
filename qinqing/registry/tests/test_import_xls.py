"""Excel 97-2003 workbooks (.xls) import like .xlsx.

The fixture ``data/enterprises_excel97.xls`` was generated once with xlwt 1.3.0, installed ad hoc into a
scratch directory (``pip install --target /tmp/xlwtlib xlwt``; it is not a dependency of the project):
one sheet, a header row and four rows — numbers written as Excel numbers (120, 5800.5), 成立日期 as
Excel dates with a YYYY-MM-DD format except row 4, whose 成立日期 is the text "2020-13-45", and row 3's
行业代码 typed "C3311". Codes are ``91430621`` + the row's number (901-904, nine digits) + GB 32100 check
character.
"""

from decimal import Decimal
from pathlib import Path

import pytest

from qinqing.registry.importing.runner import run_import
from qinqing.registry.models import Enterprise

FIXTURE = Path(__file__).with_name("data") / "enterprises_excel97.xls"


@pytest.mark.django_db
def test_given_xls_workbook_when_previewed_then_counts_and_the_bad_row_named_by_row_and_column(tree):
    # given an .xls workbook of four enterprises, one with an impossible founding date
    # when previewed
    report = run_import("enterprises", FIXTURE, org=tree.county_a, dry_run=True)
    # then three rows are new and the bad one is reported with its row number and column
    assert report.fatal == ""
    assert (report.total_rows, report.new, report.updated, report.bad_rows) == (4, 3, 0, 1)
    [issue] = report.errors
    assert (issue.row, issue.column, issue.value) == (4, "成立日期", "2020-13-45")
    assert "日期" in issue.reason
    assert not Enterprise.objects.filter(name__startswith="岳阳县旧表").exists()


@pytest.mark.django_db
def test_given_xls_workbook_when_committed_then_excel_numbers_and_dates_read_as_typed(tree):
    # when the workbook is committed
    run_import("enterprises", FIXTURE, org=tree.county_a, dry_run=False)
    # then Excel numbers and dates arrive as the clerk typed them
    first = Enterprise.objects.get(name="岳阳县旧表一号有限公司")
    assert (first.employees, first.revenue_wan, first.founded_on.isoformat()) == (120, Decimal("5800.50"), "2015-06-18")
    assert first.year_figures.get(year=2025).revenue_wan == Decimal("5800.50")
    assert Enterprise.objects.get(name="岳阳县旧表二号有限公司").industry_code == "3311"
    assert not Enterprise.objects.filter(name="岳阳县旧表三号有限公司").exists()
