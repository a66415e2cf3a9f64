"""Import limits: upload size, expanded size (a zip bomb disguised as .xlsx) and row count, each refused
with a Chinese message before the file is parsed, on the page, the API and the command path alike."""

import io
import zipfile

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile

from qinqing.core.models import Job
from qinqing.registry.importing import limits, reader
from qinqing.registry.importing.runner import run_import

from .conftest import HEADERS, enterprise_row

pytestmark = pytest.mark.django_db


def _bomb(expanded: int = 8 * 1024 * 1024) -> bytes:
    """A small .xlsx-shaped zip whose sheet XML expands to ``expanded`` bytes (the 924 KB → 211 MB case,
    scaled down)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("xl/workbook.xml", "<workbook/>")
        package.writestr("xl/worksheets/sheet1.xml", b"<sheetData>" + b"<c>0</c>" * (expanded // 8) + b"</sheetData>")
    return buffer.getvalue()


def _xlsx(rows: int) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, HEADERS)
    for i in range(rows):
        sheet.write_row(i + 1, 0, enterprise_row(i + 1))
    book.close()
    return buffer.getvalue()


def _csv(rows: int) -> bytes:
    lines = [",".join(HEADERS), *(",".join(enterprise_row(i + 1)) for i in range(rows))]
    return "\n".join(lines).encode()


@pytest.fixture
def no_parsing(monkeypatch):
    """Fail the test if the reader is ever reached."""

    def refuse(*args, **kwargs):
        raise AssertionError("the file was parsed")

    monkeypatch.setattr(reader.fastexcel, "read_excel", refuse)
    monkeypatch.setattr(reader, "decode_csv", refuse)


def test_given_a_zip_bomb_xlsx_when_checked_then_refused_from_the_declared_sizes(no_parsing):
    data = _bomb()
    assert len(data) < 100_000  # a few KB that claim megabytes

    with pytest.raises(limits.FileRefused, match="压缩比异常"):
        limits.check_upload(SimpleUploadedFile("企业.xlsx", data))


def test_given_a_large_expanded_size_when_checked_then_refused_naming_the_limit(settings, no_parsing):
    settings.QINQING_IMPORT_MAX_EXPANDED_BYTES = 1024 * 1024

    honest = SimpleUploadedFile("企业.xlsx", _xlsx(3000))  # above 1 MB expanded, an ordinary ratio

    with pytest.raises(limits.FileRefused, match="解压后过大"):
        limits.check_upload(honest)


def test_given_too_many_rows_stated_by_the_sheet_when_checked_then_refused_before_parsing(settings, no_parsing):
    settings.QINQING_IMPORT_MAX_ROWS = 5

    with pytest.raises(limits.FileRefused, match="行数过多：10 行，一次最多导入 5 行"):
        limits.check_upload(SimpleUploadedFile("企业.xlsx", _xlsx(10)))
    with pytest.raises(limits.FileRefused, match="行数过多"):
        limits.check_upload(SimpleUploadedFile("企业.csv", _csv(10)))


def test_given_a_renamed_file_as_xls_when_checked_then_refused(no_parsing):
    with pytest.raises(limits.FileRefused, match="不符"):
        limits.check_upload(SimpleUploadedFile("企业.xls", b"<html>not a workbook</html>"))


def test_given_files_within_the_limits_when_checked_then_accepted():
    limits.check_upload(SimpleUploadedFile("企业.xlsx", _xlsx(10)))
    limits.check_upload(SimpleUploadedFile("企业.csv", _csv(10)))


def test_given_an_oversize_upload_on_the_page_then_the_form_says_why_and_no_job_starts(settings, users, login):
    settings.QINQING_IMPORT_MAX_BYTES = 1000
    upload = SimpleUploadedFile("企业.csv", _csv(30))

    response = login(users.county_staff).post("/registry/import/", {"kind": "enterprises", "file": upload})

    assert response.status_code == 200
    assert "文件过大" in response.content.decode() and "不能超过" in response.content.decode()
    assert not Job.objects.exists()


def test_given_a_zip_bomb_on_the_api_then_400_with_the_reason_and_no_job(users, login):
    upload = SimpleUploadedFile("企业.xlsx", _bomb())

    response = login(users.county_staff).post(
        "/api/v1/registry/imports/", {"kind": "enterprises", "file": upload}, format="multipart"
    )

    assert response.status_code == 400
    assert "压缩比异常" in str(response.json()["file"])
    assert not Job.objects.exists()


def test_given_too_many_rows_after_parsing_when_importing_a_path_then_fatal_and_nothing_written(
    settings, tmp_path, tree
):
    settings.QINQING_IMPORT_MAX_ROWS = 5
    path = tmp_path / "企业.xlsx"
    # A sheet that does not state its size (no <dimension>): the count after reading still applies.
    buffer = io.BytesIO(_xlsx(10))
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = limits.DIMENSION.sub(b"<dimension_removed", data)
            target.writestr(item, data)

    report = run_import("enterprises", path, org=tree.county_a, dry_run=False)

    assert "行数过多" in report.fatal and report.new == 0


def test_given_a_zip_bomb_as_a_financing_import_then_refused_before_parsing(users, no_parsing):
    from qinqing.financing import importing

    for run in (importing.import_needs, importing.import_feedback):
        with pytest.raises(importing.UnreadableFile, match="压缩比异常"):
            run(SimpleUploadedFile("需求.xlsx", _bomb()), actor=users.county_staff)
