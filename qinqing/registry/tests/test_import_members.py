"""Member import: individuals keyed by ID number, else name + mobile; duplicates and name-only rows refused."""

import csv
import datetime

import pytest

from qinqing.registry import actions
from qinqing.registry.exporting import EXPORTS, write_csv, write_xlsx
from qinqing.registry.importing.runner import run_import
from qinqing.registry.models import Member

HEADERS = ["会员类别", "姓名", "身份证号", "手机号码", "职务", "入会日期"]
ID_1 = "430621199001011234"


def _file(path, rows, headers=HEADERS):
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


@pytest.mark.django_db
def test_given_two_people_of_the_same_name_without_id_then_both_imported_and_reimport_unchanged(tree, tmp_path):
    # given two rows for 王芳 without ID numbers but with different mobiles
    rows = [
        ["个人会员", "王芳", "", "13800138001", "会员", "2021-03-01"],
        ["个人会员", "王芳", "", "13900139002", "理事", "2022-05-01"],
    ]
    path = _file(tmp_path / "m.csv", rows)
    # when imported
    report = run_import("members", path, org=tree.county_a, dry_run=False)
    # then both people are members, nobody was lost
    assert (report.new, report.updated, report.errors) == (2, 0, [])
    assert sorted(Member.objects.filter(person_name="王芳").values_list("mobile", flat=True)) == [
        "13800138001",
        "13900139002",
    ]
    # and the same file again changes nothing
    again = run_import("members", path, org=tree.county_a, dry_run=False)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 2)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "second",
    [
        ["个人会员", "王芳", ID_1, "13900139002", "理事", "2022-05-01"],  # same ID number
        ["个人会员", "王芳", "", "13800138001", "理事", "2022-05-01"],  # same name and mobile, no ID
        ["个人会员", "王芳", "", "13800138001", "理事", "2022-05-01"],  # the same, and the first has an ID
    ],
    ids=["same-id", "same-name-mobile", "id-and-no-id"],
)
def test_given_same_person_twice_in_a_file_then_both_rows_named_as_duplicates_and_nothing_written(
    tree, tmp_path, second, request
):
    # given a file in which one person appears twice
    first_id = "" if request.node.callspec.id == "same-name-mobile" else ID_1
    first = ["个人会员", "王芳", first_id, "13800138001", "会员", "2021-03-01"]
    path = _file(tmp_path / "m.csv", [first, second])
    # when imported
    report = run_import("members", path, org=tree.county_a, dry_run=False)
    # then each of the two rows is an error naming both row numbers, and neither was written
    assert [e.row for e in report.errors] == [2, 3]
    assert all("第2行与第3行重复" in e.reason for e in report.errors)
    assert report.new == 0 and not Member.objects.filter(person_name="王芳").exists()


@pytest.mark.django_db
def test_given_individual_with_name_only_then_error_row_with_reason(tree, tmp_path):
    # given an individual with neither ID number nor mobile
    path = _file(tmp_path / "m.csv", [["个人会员", "李明", "", "", "会员", "2021-03-01"]])
    # when previewed
    report = run_import("members", path, org=tree.county_a, dry_run=True)
    # then the row is refused with a reason naming what is missing
    assert len(report.errors) == 1
    issue = report.errors[0]
    assert issue.row == 2 and issue.column == "身份证号" and "身份证号或手机号码" in issue.reason
    assert report.new == 0


@pytest.mark.django_db
def test_given_member_known_by_name_and_mobile_when_file_adds_id_then_updated_not_duplicated(tree, users, tmp_path):
    # given 王芳 entered on the page with a mobile only
    actions.add_member(
        actor=users.county_staff,
        organization=tree.county_a,
        kind="individual",
        person_name="王芳",
        mobile="13800138001",
        joined_on=datetime.date(2021, 3, 1),
    )
    # when a file gives her ID number too
    path = _file(tmp_path / "m.csv", [["个人会员", "王芳", ID_1, "13800138001", "会员", "2021-03-01"]])
    report = run_import("members", path, org=tree.county_a, dry_run=False)
    # then the same membership is completed
    assert (report.new, report.updated) == (0, 1)
    assert list(Member.objects.filter(person_name="王芳").values_list("id_number", flat=True)) == [ID_1]


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_given_members_when_exported_masked_or_not_and_reimported_then_all_unchanged(tree, users, tmp_path, suffix):
    # given individuals of the same name (one with an ID number) and an enterprise member
    staff = users.county_staff
    for mobile_no, id_number in (("13800138001", ""), ("13900139002", ID_1)):
        actions.add_member(
            actor=staff,
            organization=tree.county_a,
            kind="individual",
            person_name="王芳",
            mobile=mobile_no,
            id_number=id_number,
            joined_on=datetime.date(2021, 3, 1),
        )
    actions.add_member(
        actor=staff,
        organization=tree.county_a,
        kind="enterprise",
        enterprise=tree.ent_a,
        joined_on=datetime.date(2020, 1, 1),
    )
    # with seats as 人大代表 / 政协委员 on two of them
    Member.objects.filter(enterprise=tree.ent_a).update(npc_level="city", cppcc_level="county")
    Member.objects.filter(mobile_bidx__isnull=False, id_number="").update(cppcc_level="national")
    before = list(Member.objects.order_by("id").values())
    columns, rows = EXPORTS["members"]
    for user in (users.county_staff, users.leader):  # masked and full numbers
        target = tmp_path / f"{user.username}{suffix}"
        if suffix == ".csv":
            with target.open("w", encoding="utf-8", newline="") as out:
                write_csv(columns, rows(Member.objects.all(), user), out)
        else:
            write_xlsx(columns, rows(Member.objects.all(), user), str(target))
        # when re-imported
        report = run_import("members", target, org=tree.county_a, dry_run=False)
        # then nothing is new or changed and the stored numbers are intact
        assert report.errors == []
        assert (report.new, report.updated, report.unchanged) == (0, 0, 3)
        assert list(Member.objects.order_by("id").values()) == before


@pytest.mark.django_db
def test_given_deputy_levels_when_imported_then_labels_stored_blank_keeps_and_none_clears(tree, tmp_path):
    # given a member imported as a county 人大代表 and a city 政协委员
    headers = [*HEADERS, "人大代表层级", "政协委员层级"]
    row = ["个人会员", "王芳", ID_1, "13800138001", "常委", "2021-03-01"]
    report = run_import(
        "members", _file(tmp_path / "a.csv", [[*row, "县级", "市级"]], headers), org=tree.county_a, dry_run=False
    )
    assert (report.new, report.errors) == (1, [])
    member = Member.objects.get(person_name="王芳")
    assert (member.role, member.npc_level, member.cppcc_level) == ("standing", "county", "city")
    # when a file leaves 人大代表层级 blank and clears 政协委员层级 with 无
    report = run_import(
        "members", _file(tmp_path / "b.csv", [[*row, "", "无"]], headers), org=tree.county_a, dry_run=False
    )
    # then the blank cell kept the stored level and 无 removed the other
    member.refresh_from_db()
    assert report.updated == 1
    assert (member.npc_level, member.cppcc_level) == ("county", "")


@pytest.mark.django_db
def test_given_unknown_deputy_level_then_row_and_column_named_and_nothing_written(tree, tmp_path):
    # given a row whose 政协委员层级 is not a level
    headers = [*HEADERS, "政协委员层级"]
    path = _file(tmp_path / "m.csv", [["个人会员", "王芳", ID_1, "13800138001", "会员", "2021-03-01", "区级"]], headers)
    # when imported
    report = run_import("members", path, org=tree.county_a, dry_run=False)
    # then the error names row 2 and the column, lists the choices, and nothing is written
    assert report.new == 0 and not Member.objects.filter(person_name="王芳").exists()
    [error] = report.errors
    assert (error.row, error.column, error.value) == (2, "政协委员层级", "区级")
    assert "县级" in error.reason
