"""The columnar import path: vectorised checks agree with the standards modules, the .xlsx reader's
text forms, and the set-based diff/write (new and changed yearly figures, masked numbers, updates)."""

import datetime
import random
from decimal import Decimal

import polars as pl
import pytest
import xlsxwriter

from qinqing.registry.importing import columnar
from qinqing.registry.importing.reader import read_table
from qinqing.registry.importing.runner import run_import
from qinqing.registry.models import Enterprise, EnterpriseYearFigures
from qinqing.registry.standards import idcard, sizeclass, uscc

from .conftest import HEADERS, enterprise_row, make_code


def test_given_mixed_codes_then_vectorised_uscc_check_agrees_with_standard():
    rng = random.Random(7)
    values = []
    for n in range(400):
        code = make_code(n)
        values += [code, code[:-1] + rng.choice(uscc.ALPHABET), code.lower(), code[:17], "N" + code[1:], ""]
    clean = columnar.uscc_clean(pl.Series(values)).to_list()
    for value, ok in zip(values, clean, strict=True):
        # clean means: already normalised and valid; anything else goes to the standards module
        assert ok == (bool(value) and uscc.is_valid(value) and uscc.normalize(value)[0] == value), value


def test_given_mixed_numbers_then_vectorised_id_check_agrees_with_standard():
    today = datetime.date.today()
    rng = random.Random(3)
    values = ["430621199001011234", "430621199002301234", "999999199001011234", "43062119900101123x", ""]
    for _ in range(500):
        body = f"{rng.choice(['430621', '110101', '440300', '990000'])}{rng.randint(1890, 2030)}"
        body += f"{rng.randint(1, 13):02d}{rng.randint(1, 31):02d}{rng.randint(0, 999):03d}"
        values.append(body + rng.choice([idcard.check_char(body), "0", "X"]))
    clean = columnar.id_clean(pl.Series(values), today).to_list()
    for value, ok in zip(values, clean, strict=True):
        if ok:
            assert idcard.is_valid(value), value
        elif value and value == value.upper():
            assert not idcard.is_valid(value), value


def test_given_random_figures_then_vectorised_size_class_agrees_with_classify():
    rng = random.Random(11)
    codes = ["1391", "3911", "5121", "5211", "4710", "6511", "6210", "5432", "7010", "0111", "7291", "4910", ""]
    rows = []
    for _ in range(3000):
        rows.append(
            {
                "industry_code": rng.choice(codes),
                "employees": rng.choice([None, str(rng.randint(0, 3000))]),
                "revenue_wan": rng.choice([None, f"{rng.randint(0, 300000)}.{rng.randint(0, 99):02d}"]),
                "total_assets_wan": rng.choice([None, f"{rng.randint(0, 300000)}.00", "300.00", "2000.00"]),
            }
        )
    frame = pl.DataFrame(rows, schema=dict.fromkeys(rows[0], pl.String))
    sizes = columnar.size_class(frame).to_list()
    for row, size in zip(rows, sizes, strict=True):
        employees = int(row["employees"]) if row["employees"] else None
        revenue = Decimal(row["revenue_wan"]) if row["revenue_wan"] else None
        assets = Decimal(row["total_assets_wan"]) if row["total_assets_wan"] else None
        expected = sizeclass.classify(row["industry_code"], employees, revenue, assets).size or ""
        assert size == expected, row


def test_given_messy_amounts_dates_and_integers_then_canonical_text_or_chinese_reason():
    from qinqing.registry.importing import parse

    amounts, bad = columnar.decimal(pl.Series(["12", "12.5", "1,234.567", "-3", "abc", ""]), parse.decimal)
    assert amounts.to_list() == ["12.00", "12.50", "1234.57", None, None, None]
    assert [i for i, _r in bad] == [3, 4] and "非负" in bad[0][1]
    dates, bad = columnar.date(
        pl.Series(["2020-01-31", "2020/2/3", "2020年3月4日", "20200505", "2020-02-30", ""]), parse.date
    )
    assert dates.to_list() == ["2020-01-31", "2020-02-03", "2020-03-04", "2020-05-05", None, None]
    assert bad == [(4, "不是有效日期")]
    counts, bad = columnar.integer(pl.Series(["007", "1,200", "99999999999", "x", ""]), parse.integer)
    assert counts.to_list() == ["7", "1200", None, None, None]
    assert bad == [(3, "应为非负整数"), (2, "数值过大")]


def test_given_xlsx_with_numbers_dates_and_trailing_blank_rows_then_text_as_a_clerk_typed_it(tmp_path):
    path = tmp_path / "t.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, [" 统一社会信用代码 ", "从业人员", "成立日期", "营业收入（万元）"])
    sheet.write_string(1, 0, make_code(1))
    sheet.write_number(1, 1, 120.0)
    sheet.write_datetime(1, 2, datetime.datetime(2015, 6, 18), book.add_format({"num_format": "yyyy-mm-dd"}))
    sheet.write_number(1, 3, 0.1 + 0.2)
    sheet.write_string(3, 0, "  ")
    book.close()
    table = read_table(path)
    assert table.headers[0] == "统一社会信用代码" and len(table) == 1
    assert table.rows == [[make_code(1), "120", "2015-06-18", "0.3"]]


@pytest.mark.django_db
def test_given_existing_enterprises_then_new_and_changed_years_and_fields_written_set_wise(tree, csv_file):
    run_import("enterprises", csv_file([enterprise_row(i) for i in range(1, 4)]), org=tree.county_a, dry_run=False)
    rows = [
        enterprise_row(1),  # unchanged
        enterprise_row(2, **{"年度": "2024", "纳税额（万元）": "8"}),  # new year for an existing enterprise
        enterprise_row(3, **{"企业名称": "改名企业有限公司", "纳税额（万元）": "99.9"}),  # field and figure changed
        enterprise_row(4),  # new
    ]
    report = run_import("enterprises", csv_file(rows, name="again.csv"), org=tree.county_a, dry_run=False)
    assert (report.new, report.updated, report.unchanged, report.bad_rows) == (1, 2, 1, 0)
    two = Enterprise.objects.get(credit_code=make_code(2))
    assert sorted(two.year_figures.values_list("year", "tax_wan")) == [
        (2024, Decimal("8.00")),
        (2025, Decimal("12.50")),
    ]
    three = Enterprise.objects.get(credit_code=make_code(3))
    assert three.name == "改名企业有限公司" and three.year_figures.get(year=2025).tax_wan == Decimal("99.90")
    assert EnterpriseYearFigures.objects.filter(enterprise__credit_code=make_code(4), year=2025).count() == 1
    assert Enterprise.objects.filter(credit_code__in=[make_code(i) for i in range(1, 5)]).count() == 4


@pytest.mark.django_db
def test_given_masked_numbers_then_kept_for_existing_and_refused_for_new(tree, csv_file):
    headers = [*HEADERS, "法定代表人身份证号"]
    first = [[*enterprise_row(1), "430621199001011234"]]
    run_import("enterprises", csv_file(first, headers=headers), org=tree.county_a, dry_run=False)
    masked = [
        [*enterprise_row(1, **{"联系人手机": "138****8000"}), "430621********1234"],
        [*enterprise_row(2), "430621********1234"],
    ]
    report = run_import(
        "enterprises", csv_file(masked, name="m.csv", headers=headers), org=tree.county_a, dry_run=False
    )
    assert [(e.row, e.column) for e in report.errors] == [(3, "法定代表人身份证号")]
    assert "脱敏" in report.errors[0].reason and report.unchanged == 1
    one = Enterprise.objects.get(credit_code=make_code(1))
    assert (one.legal_rep_id_number, one.contact_mobile) == ("430621199001011234", "13800138000")
    assert not Enterprise.objects.filter(credit_code=make_code(2)).exists()


@pytest.mark.django_db(transaction=True)
def test_given_no_outer_transaction_then_writer_thread_used_where_a_second_connection_sees_the_data(tree):
    """The killed-import test (transaction=True) therefore runs the threaded writer on PostgreSQL and the
    inline one on SQLite's in-memory test database; inside a caller's transaction it is always inline."""
    from django.db import connection, transaction

    from qinqing.registry.importing.runner import _Writer

    with _Writer(enabled=True) as writer:
        assert writer.threaded == (connection.vendor == "postgresql")
    with transaction.atomic(), _Writer(enabled=True) as writer:
        assert not writer.threaded


@pytest.mark.django_db
def test_given_corrupt_or_empty_workbook_then_fatal_chinese_message_and_nothing_written(tree, tmp_path):
    corrupt = tmp_path / "bad.xlsx"
    corrupt.write_bytes(b"not a zip")
    empty = tmp_path / "empty.xlsx"
    book = xlsxwriter.Workbook(str(empty))
    book.add_worksheet()
    book.close()
    for path, message in ((corrupt, "无法读取 Excel 文件"), (empty, "文件为空")):
        report = run_import("enterprises", path, org=tree.county_a, dry_run=False)
        assert report.fatal.startswith(message) and not report.committed and report.new == 0
