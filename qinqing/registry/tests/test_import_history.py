"""import_history_for(enterprise): which imports created or changed an enterprise, from per-batch audit rows."""

import pytest

from qinqing.core.jobs import JobRunner
from qinqing.core.models import AuditEntry, Job
from qinqing.registry.importing.history import import_history_for
from qinqing.registry.importing.runner import run_import
from qinqing.registry.models import Enterprise

from .conftest import enterprise_row, make_code


def _job(user):
    job = Job.objects.create(kind="registry.import_commit", title="导入", created_by=user)
    run = JobRunner(job.pk)
    run.start()
    return run


@pytest.mark.django_db
def test_given_enterprise_created_then_changed_by_imports_then_history_names_jobs_kinds_and_columns(
    tree, users, csv_file
):
    # given 12 enterprises imported in batches of 5 by a clerk's job
    staff = users.county_staff
    first = _job(staff)
    rows = [enterprise_row(i) for i in range(1, 13)]
    run_import("enterprises", csv_file(rows), org=tree.county_a, actor=staff, dry_run=False, run=first, batch_size=5)
    # and a second job that renames enterprise 7 and corrects its 2025 revenue (the others unchanged)
    second = _job(staff)
    rows[6] = enterprise_row(7, **{"企业名称": "更名后的企业", "营业收入（万元）": "8888"})
    run_import("enterprises", csv_file(rows, name="b.csv"), org=tree.county_a, actor=staff, dry_run=False, run=second)
    # when its history is asked for
    seventh = Enterprise.objects.get(credit_code=make_code(7))
    history = import_history_for(seventh)
    # then it shows the creating job and the updating job, with the changed columns
    assert [(h.job_id, h.kind, h.actor) for h in history] == [
        (first.job.pk, "新增", "county_staff"),
        (second.job.pk, "更新", "county_staff"),
    ]
    assert {"企业名称", "营业收入（万元）", "2025年度数据"} <= set(history[1].columns)
    assert "联系人手机" not in history[1].columns
    # and an enterprise the second job left unchanged shows only its creation
    assert [h.kind for h in import_history_for(Enterprise.objects.get(credit_code=make_code(2)))] == ["新增"]
    # and one never imported has no import history
    assert import_history_for(tree.ent_a) == []
    # and the record is per batch, not per enterprise
    assert AuditEntry.objects.filter(action="registry.import_enterprises").count() == 3 + 1
