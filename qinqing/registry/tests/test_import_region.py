"""Goal: the import checks region codes against the GB/T 2260 table, as the form and the API do."""

import pytest

from qinqing.registry.importing.runner import run_import

from .conftest import enterprise_row

pytestmark = pytest.mark.django_db


def test_given_a_region_code_not_in_the_table_when_previewed_then_that_row_is_refused_naming_the_column(tree, csv_file):
    rows = [enterprise_row(1), enterprise_row(2, **{"行政区划代码": "999999"})]
    report = run_import("enterprises", csv_file(rows), org=tree.county_a, dry_run=True)
    (error,) = report.errors
    assert (error.row, error.column, error.value) == (3, "行政区划代码", "999999")
    assert "不是有效的行政区划代码" in error.reason
    assert report.new == 1
