"""The import engine: preview, commit, bad rows, resume after a kill, encodings, round trip."""

import pytest

from qinqing.core.models import AuditEntry
from qinqing.registry.importing.runner import run_import
from qinqing.registry.models import Enterprise, EnterpriseYearFigures

from .conftest import HEADERS, enterprise_row, make_code


@pytest.mark.django_db
def test_given_clean_file_when_dry_run_then_counts_and_nothing_written(tree, csv_file):
    path = csv_file([enterprise_row(i) for i in range(1, 6)])
    report = run_import("enterprises", path, org=tree.county_a, dry_run=True)
    assert (report.new, report.updated, report.unchanged, report.bad_rows) == (5, 0, 0, 0)
    assert not Enterprise.objects.filter(name__startswith="测试企业").exists()


@pytest.mark.django_db
def test_given_clean_file_when_committed_then_enterprises_figures_and_size_written(tree, csv_file):
    path = csv_file([enterprise_row(i) for i in range(1, 6)])
    report = run_import("enterprises", path, org=tree.county_a, dry_run=False)
    assert report.committed and report.new == 5
    ent = Enterprise.objects.get(credit_code=make_code(1))
    assert ent.fic == tree.county_a and ent.org_path == tree.county_a.path
    assert ent.qualifications == "high_tech"
    assert ent.size_class == "小型"  # 1391 manufacturing: 51 staff, 1001 万元 revenue
    fig = EnterpriseYearFigures.objects.get(enterprise=ent, year=2025)
    assert str(fig.tax_wan) == "12.50"
    assert AuditEntry.objects.filter(action="registry.import_enterprises").exists()


@pytest.mark.django_db
def test_given_same_file_twice_then_second_run_is_all_unchanged(tree, csv_file):
    path = csv_file([enterprise_row(i) for i in range(1, 6)])
    run_import("enterprises", path, org=tree.county_a, dry_run=False)
    report = run_import("enterprises", path, org=tree.county_a, dry_run=False)
    assert (report.new, report.updated, report.unchanged) == (0, 0, 5)


@pytest.mark.django_db
def test_given_bad_rows_then_each_reported_in_chinese_and_never_half_written(tree, csv_file):
    bad_code = make_code(2)[:-1] + ("0" if make_code(2)[-1] != "0" else "1")
    rows = [
        enterprise_row(1),
        enterprise_row(2, **{"统一社会信用代码": bad_code}),
        enterprise_row(3, **{"从业人员": "很多"}),
        enterprise_row(4, **{"成立日期": "2020-13-45"}),
        enterprise_row(1, **{"企业名称": "重复"}),
    ]
    report = run_import("enterprises", csv_file(rows), org=tree.county_a, dry_run=False)
    by_row = {e.row: e for e in report.errors}
    assert set(by_row) == {3, 4, 5, 6}
    assert by_row[3].column == "统一社会信用代码" and "校验码" in by_row[3].reason
    assert by_row[4].column == "从业人员" and by_row[4].value == "很多"
    assert "日期" in by_row[5].reason
    assert "第2行重复" in by_row[6].reason
    assert report.new == 1
    # the rows with a bad cell left nothing behind, not even their good cells
    assert not Enterprise.objects.filter(credit_code__in=[make_code(3), make_code(4)]).exists()


@pytest.mark.django_db
def test_given_bad_rows_when_strict_then_whole_file_refused(tree, csv_file):
    rows = [enterprise_row(1), enterprise_row(2, **{"从业人员": "x"})]
    report = run_import("enterprises", csv_file(rows), org=tree.county_a, dry_run=False, strict=True)
    assert report.refused and not report.committed
    assert not Enterprise.objects.filter(credit_code=make_code(1)).exists()


@pytest.mark.django_db
def test_given_unknown_columns_and_lowercase_code_then_reported_and_normalised(tree, csv_file):
    headers = [*HEADERS, "备注栏"]
    code = make_code(7)
    rows = [[*enterprise_row(7, **{"统一社会信用代码": code.lower()}), "随便"]]
    report = run_import("enterprises", csv_file(rows, headers=headers), org=tree.county_a, dry_run=False)
    assert report.unknown_columns == ["备注栏"]
    assert report.notes and report.notes[0].row == 2
    assert Enterprise.objects.filter(credit_code=code).exists()


@pytest.mark.django_db
def test_given_gbk_csv_then_chinese_read_correctly(tree, csv_file):
    path = csv_file([enterprise_row(8, **{"企业名称": "岳阳县湘北纺织有限公司"})], encoding="gbk")
    report = run_import("enterprises", path, org=tree.county_a, dry_run=False)
    assert report.encoding == "GBK" and report.new == 1
    assert Enterprise.objects.get(credit_code=make_code(8)).name == "岳阳县湘北纺织有限公司"


@pytest.mark.django_db
def test_given_missing_required_column_then_fatal_message(tree, csv_file):
    path = csv_file([["x"]], headers=["企业名称"])
    report = run_import("enterprises", path, org=tree.county_a, dry_run=False)
    assert "统一社会信用代码" in report.fatal


@pytest.mark.django_db
def test_given_enterprise_of_other_county_then_row_rejected(tree, csv_file):
    other = Enterprise.objects.create(
        credit_code=make_code(99, "430623"), name="华容企业", fic=tree.county_b, org_path=tree.county_b.path
    )
    rows = [enterprise_row(1, **{"统一社会信用代码": other.credit_code})]
    report = run_import("enterprises", csv_file(rows), org=tree.county_a, dry_run=False)
    assert report.errors and "其他工商联" in report.errors[0].reason
    other.refresh_from_db()
    assert other.name == "华容企业"


@pytest.mark.django_db
def test_given_city_import_then_rows_placed_by_region_code(tree, csv_file):
    rows = [enterprise_row(1, "430621"), enterprise_row(2, "430623")]
    run_import("enterprises", csv_file(rows), org=tree.city, dry_run=False)
    assert Enterprise.objects.get(credit_code=make_code(2, "430623")).fic == tree.county_b


class Killed(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_given_import_killed_mid_way_when_job_resumed_then_no_duplicates_or_losses(tree, users, csv_file, settings):
    from qinqing.core.jobs import JobRunner
    from qinqing.core.models import Job

    path = csv_file([enterprise_row(i) for i in range(1, 26)])
    job = Job.objects.create(kind="registry.import_commit", title="导入", created_by=users.county_staff)
    run = JobRunner(job.pk)
    run.start()

    def kill_after_two_batches(done):
        if done >= 10:
            raise Killed

    with pytest.raises(Killed):
        run_import(
            "enterprises",
            path,
            org=tree.county_a,
            dry_run=False,
            run=run,
            batch_size=5,
            on_batch=kill_after_two_batches,
        )
    job.refresh_from_db()
    assert job.checkpoint["next"] == 10
    assert Enterprise.objects.filter(name__startswith="测试企业").count() == 10

    resumed = JobRunner(job.pk)
    report = run_import("enterprises", path, org=tree.county_a, dry_run=False, run=resumed, batch_size=5)
    assert report.new == 25 and report.updated == 0
    assert Enterprise.objects.filter(name__startswith="测试企业").count() == 25
    assert EnterpriseYearFigures.objects.filter(enterprise__name__startswith="测试企业").count() == 25


@pytest.mark.django_db
def test_given_export_when_reimported_then_everything_unchanged(tree, users, csv_file, tmp_path):
    from qinqing.registry.exporting import EXPORTS, write_csv, write_xlsx

    rows = [enterprise_row(i) for i in range(1, 8)]
    rows.append(enterprise_row(20, **{"行业代码": "", "从业人员": "", "资质": "专精特新、高新技术企业"}))
    run_import("enterprises", csv_file(rows), org=tree.county_a, dry_run=False)
    columns, export_rows = EXPORTS["enterprises"]
    qs = Enterprise.objects.filter(name__startswith="测试企业")
    for name in ("again.csv", "again.xlsx"):
        target = tmp_path / name
        # a staff user: numbers are masked in the export and must survive the round trip
        if name.endswith(".csv"):
            with target.open("w", encoding="utf-8", newline="") as out:
                write_csv(columns, export_rows(qs, users.county_staff), out)
        else:
            write_xlsx(columns, export_rows(qs, users.county_staff), str(target))
        report = run_import("enterprises", target, org=tree.county_a, dry_run=False)
        assert report.ignored_columns == ["企业规模", "行业名称", "行政区划名称"]
        assert (report.new, report.updated, report.bad_rows) == (0, 0, 0), report.errors[:3]
        assert report.unchanged == 8
    assert Enterprise.objects.get(credit_code=make_code(1)).contact_mobile == "13800138000"


def test_given_random_figures_then_fast_size_class_agrees_with_standard():
    import random
    from decimal import Decimal

    from qinqing.registry.importing.fastcheck import size_class
    from qinqing.registry.standards import sizeclass

    rng = random.Random(1)
    for _ in range(3000):
        code = rng.choice(
            ["1391", "3911", "5121", "5211", "4710", "6511", "6210", "5432", "7010", "0111", "7291", "9999", ""]
        )
        emp = rng.choice([None, rng.randint(0, 3000)])
        rev = rng.choice([None, Decimal(rng.randint(0, 500000))])
        ass = rng.choice([None, Decimal(rng.randint(0, 500000))])
        assert size_class(code, emp, rev, ass) == (sizeclass.classify(code, emp, rev, ass).size or ""), (
            code,
            emp,
            rev,
            ass,
        )


def test_given_clean_values_then_fast_checks_agree_with_standards():
    import datetime

    from qinqing.registry.importing.fastcheck import id_ok, uscc_ok
    from qinqing.registry.standards import idcard, uscc

    for n in range(200):
        code = make_code(n)
        bad = code[:-1] + ("0" if code[-1] != "0" else "1")
        assert uscc_ok(code) and uscc.is_valid(code)
        assert not uscc_ok(bad) and not uscc.is_valid(bad)
    for number in ["430621199001011234", "430621199001011232", "110101199003074477", "999999199001011234"]:
        assert id_ok(number, datetime.date.today()) == idcard.is_valid(number), number
