"""Key rotation (issue 11 §3): a resumable job re-seals personal data under the new data key and
recomputes blind indexes; a worker killed midway resumes after the last committed batch."""

import pytest
from django.core.management import call_command
from django.db import connection

from qinqing.core import crypto
from qinqing.core.crypto import columns, rotation
from qinqing.core.models import AuditEntry, Job
from qinqing.registry.models import EnterpriseContact

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
OLD_DATA, NEW_DATA = "t1:" + "11" * 16, "t2:" + "55" * 16
OLD_INDEX, NEW_INDEX = "ti1:" + "22" * 32, "ti2:" + "66" * 32


def _raw_mobiles() -> dict[int, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, mobile FROM registry_enterprisecontact ORDER BY id")
        return dict(cursor.fetchall())


@pytest.fixture
def contacts(tree):
    rows = [EnterpriseContact(enterprise=tree.ent_a, name=f"联系人{i}", mobile=f"1391234{i:04d}") for i in range(7)]
    EnterpriseContact.objects.bulk_create(rows)
    assert {crypto.key_id_of(v) for v in _raw_mobiles().values()} == {"t1"}
    return rows


def test_given_new_keys_when_rotation_killed_midway_and_resumed_then_all_under_new_keys_once(
    settings, contacts, monkeypatch, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    settings.QINQING_DATA_KEYS = f"{OLD_DATA},{NEW_DATA}"
    settings.QINQING_INDEX_KEYS = f"{OLD_INDEX},{NEW_INDEX}"
    # during the rotation both index keys are configured: lookups still find the old indexes
    assert EnterpriseContact.objects.filter(mobile="13912340003").count() == 1

    batches = {"n": 0}
    real = columns.rotate_batches

    def dying(*args, **kwargs):
        for step in real(*args, **kwargs):
            batches["n"] += 1
            if batches["n"] == 3:  # the worker is killed while writing the third batch
                raise SystemExit("worker killed")
            yield step

    monkeypatch.setattr(columns, "rotate_batches", dying)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("rotate_keys", "--batch", "2")
    job = Job.objects.get(kind=rotation.KIND)
    assert job.status == Job.Status.RUNNING  # left for resume_jobs
    after_kill = _raw_mobiles()
    done_ids = sorted(after_kill)[:4]  # two batches of two committed; the third rolled back
    assert [crypto.key_id_of(after_kill[pk]) for pk in sorted(after_kill)] == ["t2"] * 4 + ["t1"] * 3

    monkeypatch.setattr(columns, "rotate_batches", real)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("resume_jobs")
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    final = _raw_mobiles()
    assert {crypto.key_id_of(v) for v in final.values()} == {"t2"}
    assert all(final[pk] == after_kill[pk] for pk in done_ids)  # committed work was not redone
    assert job.result["columns"]["registry_enterprisecontact.mobile"] == {"t2": 7}
    assert AuditEntry.objects.filter(action="core.rotate_keys").count() == 1

    # the old keys can go: everything opens and is found with the new keys alone
    settings.QINQING_DATA_KEYS = NEW_DATA
    settings.QINQING_INDEX_KEYS = NEW_INDEX
    assert EnterpriseContact.objects.get(mobile="13912340005").name == "联系人5"
    assert sorted(EnterpriseContact.objects.values_list("mobile", flat=True)) == [f"1391234{i:04d}" for i in range(7)]


def test_given_rotation_now_then_status_lists_key_ids(settings, contacts, capsys):
    settings.QINQING_DATA_KEYS = f"{OLD_DATA},{NEW_DATA}"
    call_command("rotate_keys", "--now")
    call_command("rotate_keys", "--status")
    out = capsys.readouterr().out
    assert "registry_enterprisecontact.mobile: t2: 7" in out
    assert "密钥轮换完成" in out
