"""Chamber import carries the current term (届次, 任期开始, 本届任期届满) and ratings (评定年度)."""

import datetime

import pytest

from qinqing.registry import statistics
from qinqing.registry.exporting import EXPORTS, write_csv
from qinqing.registry.importing.runner import run_import
from qinqing.registry.models import Chamber, ChamberRating, ChamberTerm

from .test_import_chambers import write

HEADERS = ["商会名称", "所属工商联编码", "商会类型", "届次", "任期开始", "任期结束", "市级“四好”商会", "五好商会年度"]
TODAY = datetime.date.today()
SOON = (TODAY + datetime.timedelta(days=40)).isoformat()
LATER = (TODAY + datetime.timedelta(days=400)).isoformat()


@pytest.mark.django_db
def test_given_new_chambers_with_terms_when_imported_then_due_list_and_ratings_follow(tree, tmp_path):
    # given two new chambers with their current term, one due for 换届 within 40 days, and ratings
    rows = [
        ["岳阳县甲行业商会", "430621", "行业商会", "3", "2021-06-01", SOON, "2021、2023", ""],
        ["岳阳县乙行业商会", "430621", "行业商会", "", "2023-01-01", LATER, "", "2024"],
    ]
    path = write(tmp_path / "c.csv", rows, headers=HEADERS)
    # when imported
    report = run_import("chambers", path, org=tree.county_a, dry_run=False)
    # then the terms are stored and the chamber due soon is on the 换届 due list
    assert (report.new, report.errors) == (2, [])
    first = Chamber.objects.get(organization__name="岳阳县甲行业商会")
    term = ChamberTerm.objects.get(chamber=first)
    assert (term.number, term.starts_on.isoformat(), term.ends_on.isoformat()) == (3, "2021-06-01", SOON)
    due = statistics.term_due(Chamber.objects.filter(org_path__startswith=tree.county_a.path), TODAY)
    assert [c.organization.name for c in due] == ["岳阳县甲行业商会"]
    second = Chamber.objects.get(organization__name="岳阳县乙行业商会")
    assert second.terms.get().number == 1  # no 届次 given: the first term
    # and the ratings are recorded
    assert sorted(ChamberRating.objects.filter(chamber=first).values_list("scheme", "year")) == [
        ("four_good_city", 2021),
        ("four_good_city", 2023),
    ]
    assert list(ChamberRating.objects.filter(chamber=second).values_list("scheme", "year")) == [("five_good", 2024)]
    # and the same file again changes nothing
    again = run_import("chambers", path, org=tree.county_a, dry_run=False)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 2)


@pytest.mark.django_db
def test_given_chamber_with_a_term_when_next_term_imported_then_due_date_moves_and_export_round_trips(
    tree, users, chamber, tmp_path
):
    # given the fixture chamber in its first term, due within 30 days
    name = chamber.organization.name
    rows = [[name, "430621", "", "2", TODAY.isoformat(), LATER, "", ""]]
    # when its second term is imported
    report = run_import("chambers", write(tmp_path / "c.csv", rows, headers=HEADERS), org=tree.county_a, dry_run=False)
    # then a second term starts and the chamber leaves the due list
    assert (report.updated, report.errors) == (1, [])
    chamber.refresh_from_db()
    assert sorted(chamber.terms.values_list("number", flat=True)) == [1, 2]
    assert chamber.term_ends_on.isoformat() == LATER
    assert not statistics.term_due(Chamber.objects.filter(pk=chamber.pk), TODAY).exists()
    # and exporting the chamber list and re-importing it changes nothing
    columns, export_rows = EXPORTS["chambers"]
    target = tmp_path / "export.csv"
    with target.open("w", encoding="utf-8", newline="") as out:
        write_csv(columns, export_rows(Chamber.objects.all(), users.county_staff), out)
    again = run_import("chambers", target, org=tree.county_a, dry_run=False)
    assert (again.new, again.updated, again.errors) == (0, 0, [])


@pytest.mark.django_db
def test_given_bad_terms_then_rows_refused_naming_row_and_column_and_nothing_written(tree, chamber, tmp_path):
    # given a skipped 届次, a term ending before it starts, a 届次 without dates and a bad rating year
    name = chamber.organization.name
    rows = [
        [name, "430621", "", "5", "2026-01-01", LATER, "", ""],
        ["岳阳县丙商会", "430621", "行业商会", "1", "2024-01-01", "2023-01-01", "", ""],
        ["岳阳县丁商会", "430621", "行业商会", "1", "", "", "", ""],
        ["岳阳县戊商会", "430621", "行业商会", "", "", "", "1889", ""],
    ]
    # when imported
    report = run_import("chambers", write(tmp_path / "c.csv", rows, headers=HEADERS), org=tree.county_a, dry_run=False)
    # then each row is an error with its row number, column and a Chinese reason
    found = {(e.row, e.column) for e in report.errors}
    assert found == {(2, "届次"), (3, "本届任期届满"), (4, "任期开始"), (5, "市级四好商会年度")}
    assert "第1届" in next(e.reason for e in report.errors if e.row == 2)
    # and nothing was written
    assert report.new == 0 and chamber.terms.count() == 1
    assert not Chamber.objects.filter(organization__name__in=["岳阳县丙商会", "岳阳县丁商会", "岳阳县戊商会"]).exists()


LEADER_HEADERS = ["商会名称", "所属工商联编码", "商会类型", "届次", "任期开始", "本届任期届满", "会长", "秘书长"]


@pytest.mark.django_db
def test_given_leaders_in_file_then_term_holds_them_and_export_round_trips(tree, users, chamber, tmp_path):
    # given a new chamber with its term and leaders, and the fixture chamber's current leaders corrected
    # without its term (会长 only; the blank 秘书长 keeps the stored one)
    chamber.terms.update(secretary_general="赵秘书长")
    name = chamber.organization.name
    rows = [
        ["岳阳县己行业商会", "430621", "行业商会", "2", "2024-03-01", LATER, "周会长", "吴秘书长"],
        [name, "430621", "", "", "", "", "钱会长", ""],
    ]
    path = write(tmp_path / "c.csv", rows, headers=LEADER_HEADERS)
    # when imported
    report = run_import("chambers", path, org=tree.county_a, dry_run=False)
    # then the new chamber's term names its leaders, and the existing chamber's current term is corrected
    assert (report.new, report.updated, report.errors) == (1, 1, [])
    new = ChamberTerm.objects.get(chamber__organization__name="岳阳县己行业商会")
    assert (new.number, new.president, new.secretary_general) == (2, "周会长", "吴秘书长")
    current = chamber.terms.get()
    assert (current.president, current.secretary_general) == ("钱会长", "赵秘书长")
    # and the same file again changes nothing
    again = run_import("chambers", path, org=tree.county_a, dry_run=False)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 2)
    # and the export carries 会长 and 秘书长 and re-imports unchanged
    columns, export_rows = EXPORTS["chambers"]
    target = tmp_path / "export.csv"
    with target.open("w", encoding="utf-8", newline="") as out:
        write_csv(columns, export_rows(Chamber.objects.all(), users.county_staff), out)
    text = target.read_text(encoding="utf-8")
    assert "会长" in text.splitlines()[0] and "周会长" in text and "吴秘书长" in text and "钱会长" in text
    back = run_import("chambers", target, org=tree.county_a, dry_run=False)
    assert (back.new, back.updated, back.errors) == (0, 0, [])


@pytest.mark.django_db
def test_given_leaders_without_any_term_then_row_refused_naming_the_column(tree, tmp_path):
    # given a new chamber whose row names a 秘书长 but no term, and a 会长 of over 50 characters
    rows = [
        ["岳阳县庚行业商会", "430621", "行业商会", "", "", "", "", "孙秘书长"],
        ["岳阳县辛行业商会", "430621", "行业商会", "1", "2024-01-01", LATER, "长" * 51, ""],
    ]
    # when imported
    path = write(tmp_path / "c.csv", rows, headers=LEADER_HEADERS)
    report = run_import("chambers", path, org=tree.county_a, dry_run=False)
    # then each row is an error naming its row and column, in Chinese, and nothing is written
    assert {(e.row, e.column) for e in report.errors} == {(2, "秘书长"), (3, "会长")}
    assert "届次" in next(e.reason for e in report.errors if e.row == 2)
    assert report.new == 0
    assert not Chamber.objects.filter(organization__name__in=["岳阳县庚行业商会", "岳阳县辛行业商会"]).exists()
