"""Industry codes are stored as the canonical GB/T 4754-2017 code, however they were typed."""

import pytest

from qinqing.registry.importing.runner import run_import
from qinqing.registry.models import Enterprise

from .conftest import enterprise_row, make_code


@pytest.mark.django_db
def test_given_industry_codes_typed_variously_then_one_canonical_value_and_notes_in_preview(tree, csv_file):
    # given the same 小类 typed four ways, plus a letter of the wrong 门类
    typed = ["c3311", "C3311", "3311", "Ｃ３３１１", "A3311"]
    rows = [enterprise_row(i + 1, **{"行业代码": code}) for i, code in enumerate(typed)]
    path = csv_file(rows)
    # when previewed
    preview = run_import("enterprises", path, org=tree.county_a, dry_run=True)
    # then each normalisation is a note naming row and column, the wrong letter is an error
    notes = {n.row: n for n in preview.notes}
    assert set(notes) == {2, 3, 5}
    assert all(n.column == "行业代码" and n.reason.endswith("3311") for n in notes.values())
    assert "门类字母" in notes[2].reason and "全角" in notes[5].reason
    assert [(e.row, e.column, e.value) for e in preview.errors] == [(6, "行业代码", "A3311")]
    # when committed
    run_import("enterprises", path, org=tree.county_a, dry_run=False)
    # then the four rows store one value: a filter on 3311 finds them all
    stored = Enterprise.objects.filter(credit_code__in=[make_code(i) for i in range(1, 5)])
    assert set(stored.values_list("industry_code", flat=True)) == {"3311"}
