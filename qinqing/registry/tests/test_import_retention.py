"""Import files and errors.csv: personal numbers masked, files deleted after the retention period."""

import csv
import os
import time

import pytest

from qinqing.core.models import AuditEntry
from qinqing.registry.importing.runner import run_import
from qinqing.registry.retention import purge_import_files
from qinqing.registry.tasks import PERIODIC, import_dir, write_errors_csv

from .conftest import enterprise_row


@pytest.mark.django_db
def test_given_bad_personal_numbers_then_errors_csv_and_job_result_mask_them(tree, csv_file, tmp_path):
    rows = [
        enterprise_row(1, **{"联系人手机": "1391234567"}),  # 10 digits
        enterprise_row(2, **{"联系人手机": "13912345678", "资产总额（万元）": "很多"}),
    ]
    report = run_import("enterprises", csv_file(rows), org=tree.county_a, dry_run=True)
    out = tmp_path / "errors.csv"
    write_errors_csv(report, out)
    text = out.read_text(encoding="utf-8-sig")
    assert "1391234567" not in text
    assert "联系人手机" in text  # the row and column are still named
    listed = report.as_dict()["errors"]
    assert all("1391234567" not in str(item) for item in listed)
    with out.open(encoding="utf-8-sig") as handle:
        values = [r[2] for r in csv.reader(handle)][1:]
    assert any("*" in v for v in values)


@pytest.mark.django_db
def test_given_files_older_than_retention_then_purged_and_audited(settings):
    settings.QINQING_IMPORT_RETENTION_DAYS = 7
    old = import_dir() / "old.xlsx"
    old_errors = import_dir() / "job-1-errors.csv"
    fresh = import_dir() / "fresh.xlsx"
    for path in (old, old_errors, fresh):
        path.write_bytes(b"x")
    eight_days = time.time() - 8 * 86400
    os.utime(old, (eight_days, eight_days))
    os.utime(old_errors, (eight_days, eight_days))
    assert purge_import_files() == 2
    assert not old.exists() and not old_errors.exists() and fresh.exists()
    assert AuditEntry.objects.get(action="registry.purge_import_files").after["files"] == 2
    # the scheduler runs it
    assert any(task.name == "purge_import_files" for _seconds, task in PERIODIC)
