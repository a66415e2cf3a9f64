"""Chamber import through the same engine: header synonyms, bad rows, upsert by credit code or by name
within the FIC, the command, and an export that re-imports unchanged."""

import csv
from io import StringIO
from urllib.parse import quote

import pytest
from django.core.management import call_command

from qinqing.orgs.models import Organization
from qinqing.registry.importing.runner import run_import
from qinqing.registry.models import Chamber
from qinqing.registry.standards import uscc

HEADERS = [
    "商会名称",
    "所属工商联编码",
    "统一社会信用代码",
    "商会类型",
    "登记日期",
    "已建立党组织",
    "党员人数",
    "联系电话",
]


def chamber_code(n: int) -> str:
    body = f"51430621MJ{n:07d}"
    return body + uscc.check_char(body)


def chamber_row(n: int, **over) -> list[str]:
    row = {
        "商会名称": f"岳阳县第{n}行业商会",
        "所属工商联编码": "430621",
        "统一社会信用代码": chamber_code(n),
        "商会类型": "行业商会",
        "登记日期": "2019-04-01",
        "已建立党组织": "是" if n % 2 else "否",
        "党员人数": str(n),
        "联系电话": "0730-7600000",
    }
    row.update(over)
    return [row[h] for h in HEADERS]


def write(path, rows, headers=HEADERS, encoding="utf-8"):
    with path.open("w", encoding=encoding, newline="") as out:
        writer = csv.writer(out)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


@pytest.mark.django_db
def test_given_new_chambers_when_committed_then_org_nodes_and_records_created(tree, tmp_path):
    path = write(tmp_path / "c.csv", [chamber_row(1), chamber_row(2, **{"商会类型": "异地商会"})])
    preview = run_import("chambers", path, org=tree.city, dry_run=True)
    assert (preview.new, preview.updated, preview.bad_rows) == (2, 0, 0)
    assert not Chamber.objects.filter(credit_code=chamber_code(1)).exists()

    report = run_import("chambers", path, org=tree.city, dry_run=False)
    assert (report.new, report.committed) == (2, True)
    first = Chamber.objects.select_related("organization").get(credit_code=chamber_code(1))
    assert first.organization.kind == "chamber" and first.organization.parent == tree.county_a
    assert first.organization.name == "岳阳县第1行业商会" and first.org_path.startswith(tree.county_a.path)
    assert (first.party_org_established, first.party_members, first.chamber_type) == (True, 1, "industry")
    assert Chamber.objects.get(credit_code=chamber_code(2)).chamber_type == "nonlocal"

    again = run_import("chambers", path, org=tree.city, dry_run=False)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 2)
    assert Chamber.objects.filter(org_path__startswith=tree.county_a.path).count() == 2


@pytest.mark.django_db
def test_given_synonym_headers_and_no_code_then_matched_by_name_within_fic(tree, tmp_path):
    headers = ["名称", "所属工商联", "类型", "党员数"]
    run_import(
        "chambers",
        write(tmp_path / "a.csv", [["洞庭商会", "430621", "市场商会", "3"]], headers),
        org=tree.city,
        dry_run=False,
    )
    report = run_import(
        "chambers", write(tmp_path / "b.csv", [["洞庭商会", "430621", "", "9"]], headers), org=tree.city, dry_run=False
    )
    assert (report.new, report.updated) == (0, 1)
    chamber = Chamber.objects.get(organization__name="洞庭商会")
    assert (chamber.party_members, chamber.chamber_type) == (9, "market")  # empty type keeps the stored one
    # the same name under another county's FIC is another chamber
    other = run_import(
        "chambers",
        write(tmp_path / "c.csv", [["洞庭商会", "430623", "市场商会", "1"]], headers),
        org=tree.city,
        dry_run=False,
    )
    assert other.new == 1 and Chamber.objects.filter(organization__name="洞庭商会").count() == 2


@pytest.mark.django_db
def test_given_renamed_chamber_with_same_credit_code_then_updated_not_duplicated(tree, tmp_path):
    run_import("chambers", write(tmp_path / "a.csv", [chamber_row(5)]), org=tree.county_a, dry_run=False)
    report = run_import(
        "chambers",
        write(tmp_path / "b.csv", [chamber_row(5, **{"商会名称": "岳阳县新名商会"})]),
        org=tree.county_a,
        dry_run=False,
    )
    assert (report.new, report.updated) == (0, 1)
    assert Chamber.objects.get(credit_code=chamber_code(5)).organization.name == "岳阳县新名商会"


@pytest.mark.django_db
def test_given_bad_rows_then_chinese_reasons_name_row_and_column_and_nothing_half_written(tree, tmp_path):
    bad_code = chamber_code(3)[:-1] + ("0" if chamber_code(3)[-1] != "0" else "1")
    rows = [
        chamber_row(1),
        chamber_row(2, **{"商会类型": "同乡会"}),
        chamber_row(3, **{"统一社会信用代码": bad_code}),
        chamber_row(4, **{"党员人数": "很多"}),
        chamber_row(6, **{"已建立党组织": "也许"}),
        chamber_row(7, **{"所属工商联编码": "999999"}),
        chamber_row(8, **{"商会名称": ""}),
        chamber_row(9, **{"商会类型": ""}),
        chamber_row(1, **{"商会名称": "另一个名字"}),
    ]
    report = run_import("chambers", write(tmp_path / "bad.csv", rows), org=tree.county_a, dry_run=False)
    by_row = {e.row: e for e in report.errors}
    assert set(by_row) == {3, 4, 5, 6, 7, 8, 9, 10}
    assert by_row[3].column == "商会类型" and "不是有效的商会类型" in by_row[3].reason and by_row[3].value == "同乡会"
    assert by_row[4].column == "统一社会信用代码" and "校验码" in by_row[4].reason
    assert by_row[5].column == "党员人数" and by_row[5].reason == "应为非负整数"
    assert by_row[6].column == "已建立党组织" and "是" in by_row[6].reason
    assert by_row[7].column == "所属工商联编码" and "未找到该工商联" in by_row[7].reason
    assert by_row[8].column == "商会名称" and by_row[8].reason == "必填"
    assert by_row[9].column == "商会类型" and "新商会必须填写" in by_row[9].reason
    assert by_row[10].column == "统一社会信用代码" and "与第2行重复" in by_row[10].reason
    assert report.new == 1
    assert Chamber.objects.filter(credit_code__in=[chamber_code(n) for n in (2, 3, 4, 6, 7, 8, 9)]).count() == 0
    assert not Organization.objects.filter(name__in=[f"岳阳县第{n}行业商会" for n in (2, 3, 4, 6, 7, 9)]).exists()


@pytest.mark.django_db
def test_given_bad_rows_when_strict_then_whole_file_refused(tree, tmp_path):
    rows = [chamber_row(1), chamber_row(2, **{"党员人数": "-1"})]
    report = run_import("chambers", write(tmp_path / "s.csv", rows), org=tree.county_a, dry_run=False, strict=True)
    assert report.refused and not report.committed
    assert not Chamber.objects.filter(credit_code=chamber_code(1)).exists()


@pytest.mark.django_db
def test_given_chamber_of_other_fic_then_row_rejected_and_never_moved(tree, tmp_path):
    elsewhere = chamber_row(1, **{"所属工商联编码": "430623"})
    run_import("chambers", write(tmp_path / "a.csv", [elsewhere]), org=tree.city, dry_run=False)

    report = run_import("chambers", write(tmp_path / "b.csv", [chamber_row(1)]), org=tree.county_a, dry_run=False)
    assert [(e.row, e.column) for e in report.errors] == [(2, "统一社会信用代码")]
    assert "其他工商联" in report.errors[0].reason and report.new == 0

    moved = run_import("chambers", write(tmp_path / "c.csv", [chamber_row(1)]), org=tree.city, dry_run=False)
    assert [(e.row, e.column) for e in moved.errors] == [(2, "所属工商联编码")]
    assert "不能移动" in moved.errors[0].reason
    chamber = Chamber.objects.get(credit_code=chamber_code(1))
    assert (
        chamber.organization.parent == tree.county_b
        and Chamber.objects.filter(credit_code=chamber_code(1)).count() == 1
    )


@pytest.mark.django_db
def test_given_export_in_both_formats_when_reimported_then_everything_unchanged(tree, tmp_path):
    rows = [chamber_row(n) for n in range(1, 5)]
    rows.append(["无代码商会", "430621", "", "乡镇街道商会", "", "否", "0", ""])
    run_import("chambers", write(tmp_path / "c.csv", rows), org=tree.city, dry_run=False)
    for name in ("out.csv", "out.xlsx"):
        target = tmp_path / name
        call_command("export_chambers", str(target), "--org", "430621", stdout=StringIO())
        report = run_import("chambers", target, org=tree.city, dry_run=False)
        assert report.ignored_columns == ["商会编码"]
        assert (report.new, report.updated, report.bad_rows) == (0, 0, 0), report.errors[:3]
        assert report.unchanged == 5
    assert Chamber.objects.filter(org_path__startswith=tree.county_a.path).count() == 5


@pytest.mark.django_db
def test_given_gbk_file_when_import_chambers_command_then_summary_and_errors_file(tree, tmp_path):
    path = write(tmp_path / "gbk.csv", [chamber_row(1), chamber_row(2, **{"登记日期": "2019-02-30"})], encoding="gbk")
    out = StringIO()
    errors = tmp_path / "errors.csv"
    call_command("import_chambers", str(path), "--dry-run", "--errors-out", str(errors), "--org", "430621", stdout=out)
    assert "预检：共2行，新增1" in out.getvalue()
    lines = list(csv.reader(errors.open(encoding="utf-8-sig")))
    assert lines[0] == ["行号", "列", "值", "原因"] and lines[1] == ["3", "登记日期", "2019-02-30", "不是有效日期"]
    assert not Chamber.objects.filter(credit_code=chamber_code(1)).exists()


@pytest.mark.django_db
def test_given_staff_on_pages_then_chamber_template_preview_and_export_work(
    tree, users, client, tmp_path, settings, django_capture_on_commit_callbacks
):
    from qinqing.core.models import Job

    settings.MEDIA_ROOT = str(tmp_path)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    client.force_login(users.county_staff)
    template = client.get("/registry/import/template/chambers/")
    assert template.status_code == 200 and quote("商会名录导入模板") in template["Content-Disposition"]
    path = write(tmp_path / "up.csv", [chamber_row(1), chamber_row(2, **{"党员人数": "x"})])
    with path.open("rb") as upload, django_capture_on_commit_callbacks(execute=True):
        client.post("/registry/import/", {"kind": "chambers", "file": upload})
    job = Job.objects.filter(kind="registry.import_preview").latest("id")
    assert job.status == "succeeded", (job.status, job.message, job.result)
    assert job.title.startswith("预检商会名录") and (job.result["new"], job.result["bad_rows"]) == (1, 1)
    page = client.get(f"/registry/import/{job.pk}/").content.decode()
    assert "党员人数" in page and "应为非负整数" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/registry/import/{job.pk}/", {"decision": "commit"})
    assert Chamber.objects.filter(credit_code=chamber_code(1)).exists()
    export = client.get("/registry/chambers/?export=csv")
    assert export.status_code == 200 and chamber_code(1) in export.content.decode()


@pytest.mark.django_db
def test_given_api_upload_of_chambers_then_preview_job_counts(
    tree, users, login, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    client = login(users.county_staff)
    path = write(tmp_path / "api.csv", [chamber_row(1), chamber_row(2)])
    with path.open("rb") as upload, django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/registry/imports/", {"kind": "chambers", "file": upload})
    assert response.status_code in (201, 202), response.content
    job = client.get(f"/api/v1/registry/imports/{response.json()['id']}/").json()
    assert job["result"]["kind"] == "chambers" and job["result"]["new"] == 2
    assert not Chamber.objects.filter(credit_code=chamber_code(1)).exists()
