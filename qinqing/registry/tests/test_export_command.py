"""manage.py export_enterprises masks personal numbers unless --unmasked, and every export is audited."""

import csv
from io import StringIO

import pytest
from django.core.management import call_command

from qinqing.core.models import AuditEntry
from qinqing.registry import actions

from .conftest import make_code

ID_NUMBER = "430621199001011234"
MOBILE = "13800138000"


@pytest.fixture
def enterprise(tree, users):
    return actions.create_enterprise(
        actor=users.county_staff,
        fic=tree.county_a,
        credit_code=make_code(1),
        name="甲科技有限公司",
        legal_representative="张三",
        legal_rep_id_number=ID_NUMBER,
        contact_mobile=MOBILE,
    )


def _row(path, code):
    with path.open(encoding="utf-8-sig") as fh:
        return next(r for r in csv.DictReader(fh) if r["统一社会信用代码"] == code)


@pytest.mark.django_db
def test_given_cli_export_without_flag_then_numbers_masked_and_export_audited(enterprise, tmp_path):
    # given an enterprise with a legal representative's ID number and a contact mobile
    target = tmp_path / "out.csv"
    # when an operator exports from the command line without --unmasked
    out = StringIO()
    call_command("export_enterprises", str(target), "--org", "430621", stdout=out)
    # then the file holds masked numbers only
    row = _row(target, enterprise.credit_code)
    assert ID_NUMBER not in target.read_text(encoding="utf-8-sig")
    assert MOBILE not in target.read_text(encoding="utf-8-sig")
    assert "*" in row["法定代表人身份证号"] and "*" in row["联系人手机"]
    assert "脱敏" in out.getvalue()
    # and one export audit row says so
    entry = AuditEntry.objects.get(action="registry.export")
    assert entry.after["unmasked"] is False and entry.after["rows"] == 2 and entry.after["format"] == "csv"
    assert "channel=cli" in entry.after["filters"] and entry.actor_name.startswith("cli:")


@pytest.mark.django_db
def test_given_cli_export_with_unmasked_flag_then_full_numbers_and_audit_says_unmasked(enterprise, tmp_path):
    # given the same enterprise
    target = tmp_path / "out.xlsx"
    # when exported with the explicit --unmasked flag
    call_command("export_enterprises", str(target), "--unmasked", stdout=StringIO())
    # then the workbook holds the full numbers and the audit row records an unmasked export
    from qinqing.registry.importing.reader import read_table

    table = read_table(target)
    assert [ID_NUMBER, MOBILE] in [
        [row[table.headers.index("法定代表人身份证号")], row[table.headers.index("联系人手机")]] for row in table.rows
    ]
    entry = AuditEntry.objects.get(action="registry.export")
    assert entry.after["unmasked"] is True and entry.after["format"] == "xlsx"


@pytest.mark.django_db
def test_given_cli_chamber_export_then_audited_too(tree, tmp_path):
    # when the chamber list is exported from the command line
    call_command("export_chambers", str(tmp_path / "c.csv"), stdout=StringIO())
    # then that export is audited as well
    entry = AuditEntry.objects.get(action="registry.export")
    assert entry.after["kind"] == "chambers" and entry.after["unmasked"] is False
