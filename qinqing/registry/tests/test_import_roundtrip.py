"""Export → re-import is a round trip: every row unchanged, the database identical."""

import datetime
from decimal import Decimal

import pytest

from qinqing.registry import actions
from qinqing.registry.exporting import EXPORTS, write_csv, write_xlsx
from qinqing.registry.importing.runner import run_import
from qinqing.registry.models import Enterprise, EnterpriseYearFigures, Member

from .conftest import make_code


def _export(kind, queryset, user, target):
    columns, rows = EXPORTS[kind]
    if target.suffix == ".csv":
        with target.open("w", encoding="utf-8", newline="") as out:
            write_csv(columns, rows(queryset, user), out)
    else:
        write_xlsx(columns, rows(queryset, user), str(target))
    return target


def _database():
    return (
        list(Enterprise.objects.order_by("id").values()),
        list(EnterpriseYearFigures.objects.order_by("id").values()),
        list(Member.objects.order_by("id").values()),
    )


@pytest.fixture
def diverging(tree, users):
    """Enterprises entered through the actions whose current figures differ from their latest year."""
    staff = users.county_staff
    last = datetime.date.today().year - 1
    a = actions.create_enterprise(
        actor=staff, fic=tree.county_a, credit_code=make_code(501), name="甲科技有限公司", industry_code="3911"
    )
    actions.record_year_figures(a, last - 1, actor=staff, revenue_wan=Decimal("480"), employees=40, tax_wan=Decimal(9))
    actions.record_year_figures(
        a,
        last,
        actor=staff,
        revenue_wan=Decimal("546"),
        employees=44,
        total_assets_wan=Decimal(900),
        tax_wan=Decimal(11),
    )
    # the current revenue is corrected on its own afterwards: it now differs from the latest year's
    actions.update_enterprise(a, actor=staff, revenue_wan=Decimal("572.75"), employees=47)
    b = actions.create_enterprise(
        actor=staff, fic=tree.county_a, credit_code=make_code(502), name="乙食品有限公司", revenue_wan=Decimal(1200)
    )
    # the latest year has tax and R&D only: its revenue is blank while the current revenue is filled
    actions.record_year_figures(b, last, actor=staff, tax_wan=Decimal("30.5"), rd_spend_wan=Decimal(12))
    actions.create_enterprise(  # no yearly figures at all
        actor=staff, fic=tree.county_a, credit_code=make_code(503), name="丙商贸有限公司", employees=8
    )
    return last


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_given_current_figures_differing_from_latest_year_when_export_reimported_then_all_unchanged(
    tree, users, diverging, tmp_path, suffix
):
    # given enterprises whose current figures were edited apart from their yearly rows, one flagged 严重失信
    Enterprise.objects.filter(credit_code=make_code(502)).update(serious_dishonesty=True)
    before = _database()
    queryset = Enterprise.objects.filter(org_path__startswith=tree.county_a.path)  # a filtered list
    for user in (users.county_staff, users.leader):  # masked and unmasked numbers
        target = _export("enterprises", queryset, user, tmp_path / f"{user.username}{suffix}")
        # when the export is re-imported and committed
        report = run_import("enterprises", target, org=tree.county_a, dry_run=False)
        # then every row is reported unchanged and the database is identical, figures included
        assert report.errors == []
        assert (report.new, report.updated, report.unchanged) == (0, 0, queryset.count())
        assert _database() == before
    a = Enterprise.objects.get(credit_code=make_code(501))
    assert a.revenue_wan == Decimal("572.75")
    assert a.year_figures.get(year=diverging).revenue_wan == Decimal("546")


@pytest.mark.django_db
def test_given_export_then_row_is_the_named_years_figures(tree, users, diverging, tmp_path):
    # given an enterprise whose latest year says 546 while its current revenue says 572.75
    target = _export(
        "enterprises", Enterprise.objects.filter(credit_code=make_code(501)), users.leader, tmp_path / "a.csv"
    )
    # when exported
    header, row = [line.split(",") for line in target.read_text(encoding="utf-8-sig").splitlines()]
    values = dict(zip(header, row, strict=True))
    # then the row carries one year's figures, all from that year's row
    assert values["年度"] == str(diverging)
    assert (values["营业收入（万元）"], values["从业人员"], values["资产总额（万元）"]) == ("546", "44", "900")
    assert values["纳税额（万元）"] == "11"


@pytest.mark.django_db
def test_given_blank_yearly_cell_when_imported_then_stored_yearly_value_kept(tree, users, diverging, csv_file):
    # given a stored latest year with revenue 546 and assets 900
    headers = ["统一社会信用代码", "企业名称", "营业收入（万元）", "资产总额（万元）", "年度", "纳税额（万元）"]
    rows = [[make_code(501), "甲科技有限公司", "", "", str(diverging), "13"]]
    # when a file with that year's revenue and assets left blank but a new tax figure is committed
    report = run_import("enterprises", csv_file(rows, headers=headers), org=tree.county_a, dry_run=False)
    # then the blank cells changed nothing, the tax figure was written
    assert report.updated == 1
    fig = EnterpriseYearFigures.objects.get(enterprise__credit_code=make_code(501), year=diverging)
    assert (fig.revenue_wan, fig.total_assets_wan, fig.tax_wan) == (Decimal("546"), Decimal("900"), Decimal("13"))
    assert Enterprise.objects.get(credit_code=make_code(501)).revenue_wan == Decimal("572.75")


@pytest.mark.django_db
def test_given_changed_latest_year_revenue_when_imported_then_current_revenue_follows(tree, users, diverging, csv_file):
    # given a stored latest year with revenue 546 (current 572.75)
    headers = ["统一社会信用代码", "企业名称", "营业收入（万元）", "年度"]
    rows = [[make_code(501), "甲科技有限公司", "600", str(diverging)]]
    # when the file corrects that year's revenue
    run_import("enterprises", csv_file(rows, headers=headers), org=tree.county_a, dry_run=False)
    # then the year and the current revenue both say 600 (as record_year_figures does)
    a = Enterprise.objects.get(credit_code=make_code(501))
    assert a.revenue_wan == Decimal("600") and a.year_figures.get(year=diverging).revenue_wan == Decimal("600")
    # and an earlier year's correction leaves the current figure alone
    rows = [[make_code(501), "甲科技有限公司", "490", str(diverging - 1)]]
    run_import("enterprises", csv_file(rows, headers=headers), org=tree.county_a, dry_run=False)
    a.refresh_from_db()
    assert a.revenue_wan == Decimal("600") and a.year_figures.get(year=diverging - 1).revenue_wan == Decimal("490")


@pytest.mark.django_db
def test_given_file_without_year_and_blank_figures_when_imported_then_current_figures_kept(
    tree, users, diverging, csv_file
):
    # given an enterprise with current revenue 572.75 and 47 staff
    headers = ["统一社会信用代码", "企业名称", "从业人员", "营业收入（万元）", "资产总额（万元）"]
    # when a file without 年度 leaves revenue and staff blank but gives assets
    rows = [[make_code(501), "甲科技有限公司", "", "", "950"]]
    report = run_import("enterprises", csv_file(rows, headers=headers), org=tree.county_a, dry_run=False)
    # then only the assets changed; the blank cells kept what was stored
    assert report.updated == 1
    a = Enterprise.objects.get(credit_code=make_code(501))
    assert (a.revenue_wan, a.employees, a.total_assets_wan) == (Decimal("572.75"), 47, Decimal("950"))


@pytest.mark.django_db
def test_given_ranking_flag_cells_then_yes_no_set_blank_keeps_bad_refused_and_audited(tree, users, diverging, csv_file):
    from qinqing.core.models import AuditEntry

    headers = ["统一社会信用代码", "企业名称", "严重失信", "非民营控股"]
    # when a file flags 甲 非民营控股 (是) and leaves 严重失信 blank, and says 否 for 乙
    rows = [[make_code(501), "甲科技有限公司", "", "是"], [make_code(502), "乙食品有限公司", "否", "否"]]
    report = run_import("enterprises", csv_file(rows, headers=headers), org=tree.county_a, dry_run=False)
    # then only 甲 changed, and the import's audit row names the changed column
    assert (report.updated, report.unchanged, report.errors) == (1, 1, [])
    a = Enterprise.objects.get(credit_code=make_code(501))
    assert (a.serious_dishonesty, a.non_private_controlled) == (False, True)
    entry = AuditEntry.objects.filter(action="registry.import_enterprises").latest("id")
    assert set(entry.after["changed_fields"]) == {"non_private_controlled"}
    # and a later file with a blank cell keeps the flag, 否 clears it
    rows = [[make_code(501), "甲科技有限公司", "是", ""]]
    run_import("enterprises", csv_file(rows, headers=headers), org=tree.county_a, dry_run=False)
    a.refresh_from_db()
    assert (a.serious_dishonesty, a.non_private_controlled) == (True, True)
    # a cell that is neither 是 nor 否 is refused with its row and column, and nothing changes
    rows = [[make_code(501), "甲科技有限公司", "不是", "否"]]
    report = run_import("enterprises", csv_file(rows, headers=headers), org=tree.county_a, dry_run=False)
    [error] = report.errors
    assert (error.row, error.column, error.value) == (2, "严重失信", "不是") and "是" in error.reason
    a.refresh_from_db()
    assert (a.serious_dishonesty, a.non_private_controlled) == (True, True)
    # a new enterprise without the columns is not flagged
    rows = [[make_code(504), "丁有限公司"]]
    run_import("enterprises", csv_file(rows, headers=headers[:2]), org=tree.county_a, dry_run=False)
    d = Enterprise.objects.get(credit_code=make_code(504))
    assert (d.serious_dishonesty, d.non_private_controlled) == (False, False)
