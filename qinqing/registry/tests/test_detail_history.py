"""The enterprise detail page's history: its own audit rows merged by time with the imports that created or
changed it (``importing.history.import_history_for``), each import naming its job, kind and columns."""

from qinqing.core.jobs import JobRunner
from qinqing.core.models import Job
from qinqing.registry import actions
from qinqing.registry.importing.runner import run_import
from qinqing.registry.models import Enterprise

from .conftest import enterprise_row, make_code


def _job(user):
    job = Job.objects.create(kind="registry.import_commit", title="导入", created_by=user)
    run = JobRunner(job.pk)
    run.start()
    return run


def test_given_enterprise_imported_edited_and_reimported_then_detail_history_shows_all_newest_first(
    tree, users, csv_file, login
):
    staff = users.county_staff
    first = _job(staff)
    run_import("enterprises", csv_file([enterprise_row(1)]), org=tree.county_a, actor=staff, dry_run=False, run=first)
    ent = Enterprise.objects.get(credit_code=make_code(1))
    actions.update_enterprise(ent, actor=staff, address="岳阳县荣家湾镇1号")
    second = _job(staff)
    changed = [enterprise_row(1, **{"企业名称": "更名后的企业"})]
    run_import(
        "enterprises", csv_file(changed, name="b.csv"), org=tree.county_a, actor=staff, dry_run=False, run=second
    )

    body = login(staff).get(f"/registry/enterprises/{ent.pk}/").content.decode()

    history = body[body.index("变更记录") :]
    created = history.index(f"导入任务 #{first.job.pk}")
    edited = history.index("registry.update_enterprise")
    updated = history.index(f"企业名称（导入任务 #{second.job.pk}）")
    assert updated < edited < created  # newest first, imports and edits interleaved by time
    assert "导入（新增）" in history and "导入（更新）" in history


def test_given_enterprise_never_imported_then_history_has_its_edits_only(tree, users, login):
    actions.update_enterprise(tree.ent_a, actor=users.county_staff, address="新地址")
    body = login(users.county_staff).get(f"/registry/enterprises/{tree.ent_a.pk}/").content.decode()
    assert "registry.update_enterprise" in body and "导入（" not in body
