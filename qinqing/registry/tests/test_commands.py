"""Management commands and the member import."""

import csv
import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from qinqing.registry import actions, statistics
from qinqing.registry.importing.runner import run_import
from qinqing.registry.models import Enterprise, Member

from .conftest import enterprise_row, make_code


@pytest.mark.django_db
def test_given_file_when_import_command_dry_run_then_summary_and_errors_file(tree, csv_file, tmp_path):
    path = csv_file([enterprise_row(1), enterprise_row(2, **{"从业人员": "x"})])
    out = StringIO()
    errors = tmp_path / "errors.csv"
    call_command(
        "import_enterprises", str(path), "--dry-run", "--errors-out", str(errors), "--org", "430621", stdout=out
    )
    assert "预检：共2行，新增1" in out.getvalue()
    rows = list(csv.reader(errors.open(encoding="utf-8-sig")))
    assert rows[0] == ["行号", "列", "值", "原因"] and rows[1][:3] == ["3", "从业人员", "x"]
    assert not Enterprise.objects.filter(credit_code=make_code(1)).exists()


@pytest.mark.django_db
def test_given_import_then_export_command_writes_size_column_and_reimports_unchanged(tree, csv_file, tmp_path):
    call_command(
        "import_enterprises",
        str(csv_file([enterprise_row(i) for i in range(1, 4)])),
        "--org",
        "430621",
        stdout=StringIO(),
    )
    target = tmp_path / "out.xlsx"
    call_command("export_enterprises", str(target), "--org", "430621", stdout=StringIO())
    report = run_import("enterprises", target, org=tree.county_a, dry_run=True)
    # the three imported rows and the root conftest's 岳阳县洞庭食品 come back unchanged
    assert report.unchanged == 4 and report.new == 0 and report.updated == 0
    assert report.errors == []
    csv_target = tmp_path / "out.csv"
    call_command("export_enterprises", str(csv_target), stdout=StringIO())
    header = csv_target.read_text(encoding="utf-8-sig").splitlines()[0]
    # Computed columns follow the importable ones: the size class, then the industry and region names.
    assert header.endswith("企业规模,行业名称,行政区划名称")


@pytest.mark.django_db
def test_given_member_file_then_members_upserted_by_credit_code(tree, users, tmp_path):
    run_import(
        "enterprises",
        _write(tmp_path / "e.csv", [["统一社会信用代码", "企业名称"], [make_code(1), "甲公司"]]),
        org=tree.county_a,
        dry_run=False,
    )
    rows = [
        ["统一社会信用代码", "职务", "入会日期", "会员类别"],
        [make_code(1), "常委", "2021-03-01", "企业会员"],
        [make_code(2), "会员", "2021-03-01", ""],  # enterprise not registered
        ["", "会员", "", "个人会员"],
    ]
    path = _write(tmp_path / "m.csv", rows)
    report = run_import("members", path, org=tree.county_a, dry_run=False)
    assert report.new == 1 and {e.row for e in report.errors} == {3, 4}
    member = Member.objects.get(enterprise__credit_code=make_code(1))
    assert member.role == "standing" and member.organization == tree.county_a and member.status == "active"
    again = run_import("members", path, org=tree.county_a, dry_run=False)
    assert again.unchanged == 1 and Member.objects.count() == 1


@pytest.mark.django_db
def test_given_members_joining_and_leaving_then_year_end_counts_and_change(tree, users):
    staff = users.county_staff
    ent = actions.create_enterprise(actor=staff, fic=tree.county_a, credit_code=make_code(5), name="乙公司")
    actions.add_member(
        actor=staff, organization=tree.county_a, kind="enterprise", enterprise=ent, joined_on=datetime.date(2023, 5, 1)
    )
    actions.add_member(
        actor=staff,
        organization=tree.county_a,
        kind="individual",
        person_name="张三",
        joined_on=datetime.date(2024, 5, 1),
    )
    actions.add_member(
        actor=staff,
        organization=tree.county_a,
        kind="individual",
        person_name="李四",
        joined_on=datetime.date(2020, 1, 1),
        left_on=datetime.date(2024, 6, 30),
    )
    rows = {r["kind"]: r for r in statistics.members_by_kind(Member.objects.all(), 2024)}
    assert (rows["enterprise"]["count"], rows["enterprise"]["change"]) == (1, 0)
    assert (rows["individual"]["count"], rows["individual"]["last_year"], rows["individual"]["change"]) == (1, 1, 0)
    assert rows["total"]["count"] == 2


def _write(path, rows):
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)
    return path
