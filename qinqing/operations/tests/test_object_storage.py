"""Uploads on S3-compatible object storage (django-storages, QINQING_S3_BUCKET), against moto's in-process S3:
every file the platform keeps goes through Django's storage API, so nothing is written under MEDIA_ROOT.

Covered end to end: a registry import (upload, background job reading a local copy, errors.csv download,
refusal deleting the upload, retention purge), a policy attachment (upload and download through the API), and
the backup archiving the stored files and restoring them into an emptied bucket. Every model FileField uses the
default storage, and no code outside the storage layer builds a path under MEDIA_ROOT.
"""

from __future__ import annotations

import io
import re
import tarfile
import tempfile
import time
from pathlib import Path

import boto3
import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core.files.storage import default_storage, storages
from django.db import models
from moto import mock_aws

from qinqing.core.models import Job

BUCKET = "qinqing-test-media"
ROOT = Path(django_settings.BASE_DIR)


@pytest.fixture
def s3(settings, tmp_path):
    """The default storage on an S3 bucket (moto); MEDIA_ROOT points at a directory that must stay empty."""
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": BUCKET,
                    "region_name": "us-east-1",
                    "access_key": "testing",
                    "secret_key": "testing",
                    "file_overwrite": False,
                    "default_acl": "private",
                },
            },
        }
        settings.MEDIA_ROOT = tmp_path / "local-media"
        assert type(storages["default"]).__name__ == "S3Storage"
        yield client
        local = [p for p in (tmp_path / "local-media").rglob("*") if p.is_file()]
        assert local == [], f"written under MEDIA_ROOT instead of the storage: {local}"


def _keys(client) -> list[str]:
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def _csv_upload():
    from qinqing.registry.tests.conftest import HEADERS, enterprise_row

    text = "\n".join(
        [",".join(HEADERS), ",".join(enterprise_row(40)), ",".join(enterprise_row(41, **{"从业人员": "abc"}))]
    )
    buf = io.BytesIO(text.encode("utf-8"))
    buf.name = "企业.csv"
    return buf


def test_given_object_storage_when_a_registry_file_is_imported_then_upload_and_errors_live_in_the_bucket(
    s3, users, login, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    client = login(users.county_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/registry/import/", {"kind": "enterprises", "file": _csv_upload()})
    assert response.status_code == 302
    job = Job.objects.get(kind="registry.import_preview")
    assert job.status == "succeeded", job.message
    assert job.result["new"] == 1 and job.result["bad_rows"] == 1
    stored = job.params["stored_name"]
    assert _keys(s3) == sorted([f"registry_imports/{stored}", f"registry_imports/job-{job.pk}-errors.csv"])

    errors = client.get(f"/registry/import/{job.pk}/errors.csv")
    text = b"".join(errors.streaming_content).decode("utf-8-sig")
    assert text.startswith("行号,列,值,原因") and "从业人员" in text

    client.post(f"/registry/import/{job.pk}/", {"decision": "refuse"})
    assert f"registry_imports/{stored}" not in _keys(s3)  # the refused upload is deleted from the bucket

    from qinqing.registry.retention import purge_import_files

    settings.QINQING_IMPORT_RETENTION_DAYS = 7
    assert purge_import_files() == 0  # errors.csv is fresh
    assert purge_import_files(now=time.time() + 8 * 86400) == 1
    assert _keys(s3) == []


def test_given_object_storage_when_a_policy_attachment_is_uploaded_then_it_downloads_from_the_bucket(s3, users):
    from rest_framework.test import APIClient

    from qinqing.policies.actions import create_policy

    data = {
        "title": "对象存储测试政策",
        "level": "city",
        "benefit_type": "subsidy",
        "application_method": "apply",
        "effective_on": "2024-01-01",
        "body": "对象存储测试。",
        "rule": {"op": "all", "items": [{"attr": "employees", "op": "ge", "value": 10}]},
    }
    policy = create_policy(actor=users.city_staff, data=data)
    api = APIClient()
    api.force_authenticate(users.city_staff)
    content = "附件内容：对象存储\n".encode()
    uploaded = api.post(
        f"/api/v1/policies/{policy.pk}/attachments/",
        {"file": _named(content, "说明.txt"), "name": "说明"},
        format="multipart",
    )
    assert uploaded.status_code == 201, uploaded.content
    keys = _keys(s3)
    assert len(keys) == 1 and keys[0].startswith("policies/")
    downloaded = api.get(f"/api/v1/policies/{policy.pk}/attachments/{uploaded.json()['id']}/")
    assert downloaded.status_code == 200 and b"".join(downloaded.streaming_content) == content


def _named(content: bytes, name: str):
    buf = io.BytesIO(content)
    buf.name = name
    return buf


@pytest.mark.django_db(transaction=True)
def test_given_object_storage_when_backed_up_then_the_files_are_archived_and_restore_into_an_empty_bucket(
    s3, tmp_path, settings
):
    from qinqing.operations import backup, media

    default_storage.save("programs/receipts/2026/票据.pdf", _named(b"%PDF-1.4 receipt", "票据.pdf"))
    default_storage.save("policies/2026/说明.txt", _named("说明".encode(), "说明.txt"))
    result = backup.make_backup(tmp_path / "backups" / "one.tar.gz")
    files = result.manifest["files"]
    assert files["media/policies/2026/说明.txt"]["size"] == len("说明".encode())
    assert "media/programs/receipts/2026/票据.pdf" in files
    with tarfile.open(result.path) as tar:
        assert tar.extractfile("media/programs/receipts/2026/票据.pdf").read() == b"%PDF-1.4 receipt"

    for key in _keys(s3):
        s3.delete_object(Bucket=BUCKET, Key=key)
    assert media.is_empty()
    with tempfile.TemporaryDirectory() as scratch:
        unpacked, _manifest = backup.open_archive(result.path, Path(scratch))
        assert media.restore(unpacked) == 2
    assert _keys(s3) == ["policies/2026/说明.txt", "programs/receipts/2026/票据.pdf"]
    assert default_storage.open("policies/2026/说明.txt").read() == "说明".encode()


def test_every_file_field_uses_the_default_storage():
    fields = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField) and field.storage is not default_storage
    ]
    assert fields == []


# The only places that may name MEDIA_ROOT: settings, and the registry's helper for tests on a file system.
MEDIA_ROOT_ALLOWED = {"qinqing/registry/tasks.py"}


def test_no_code_builds_paths_under_media_root_itself():
    offenders = []
    for path in sorted((ROOT / "qinqing").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if "/tests/" in relative or "/migrations/" in relative or relative in MEDIA_ROOT_ALLOWED:
            continue
        if re.search(r"\bMEDIA_ROOT\b", path.read_text(encoding="utf-8")):
            offenders.append(relative)
    assert offenders == []
