"""The backup drill: back up a live database under write load, restore it into a fresh one, and check it.

Each half of the suite drills its own engine in separate processes, as an operator would: ``migrate`` a new
database, keep a writer appending audit rows and uploading files, run ``manage.py backup`` in the middle of it,
then ``manage.py restore`` into an empty database and media directory and ``manage.py verify_audit`` there.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from .processes import pg_admin

ROOT = Path(settings.BASE_DIR)

WRITER = r"""
import os, sys, time, django
django.setup()
from django.db import transaction
from pathlib import Path
from django.conf import settings
from qinqing.core import audit
stop = Path(sys.argv[1])
media = Path(settings.MEDIA_ROOT) / "drill"
media.mkdir(parents=True, exist_ok=True)
i = 0
deadline = time.monotonic() + 60
while not stop.exists() and time.monotonic() < deadline:
    with transaction.atomic():
        audit.record("drill.write", object_type="drill", object_id=i, after={"i": i})
    if i % 10 == 0:
        (media / f"file-{i}.txt").write_text("附件 %d" % i, encoding="utf-8")
    i += 1
    if i == 20:
        Path(sys.argv[1] + ".ready").write_text("ok")
print(i)
"""


def _env(tmp: Path, name: str, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "QINQING_SQLITE_PATH")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        QINQING_MEDIA_ROOT=str(tmp / f"media-{name}"),
        QINQING_AUDIT_CHECKPOINT_DIR=str(tmp / f"checkpoints-{name}"),
        QINQING_AUDIT_KEY="drill-audit-key-not-for-production",
        DJANGO_SECRET_KEY="drill-secret-key-not-for-production",
        QINQING_BACKUP_KEY="00112233445566778899aabbccddeeff",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env["QINQING_SQLITE_PATH"] = str(tmp / f"{name}.sqlite3")
    return env


def _manage(env, *args, check=True):
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    if check and result.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def _pg_url(name: str) -> str:
    conf = connection.settings_dict
    auth = conf.get("USER") or ""
    if conf.get("PASSWORD"):
        auth += f":{conf['PASSWORD']}"
    return f"postgres://{auth}@{conf.get('HOST') or '127.0.0.1'}:{conf.get('PORT') or 5432}/{name}"


@pytest.fixture
def databases_for_drill(tmp_path):
    """(live_env, fresh_env) on the engine of this half of the suite; PostgreSQL databases dropped afterwards."""
    if connection.vendor != "postgresql":
        yield _env(tmp_path, "live", None), _env(tmp_path, "fresh", None)
        return
    suffix = uuid.uuid4().hex[:8]
    names = [f"qq_drill_live_{suffix}", f"qq_drill_fresh_{suffix}"]
    with pg_admin() as admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _env(tmp_path, "live", _pg_url(names[0])), _env(tmp_path, "fresh", _pg_url(names[1]))
    finally:
        with pg_admin() as admin:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_given_a_database_under_write_load_when_backed_up_and_restored_then_counts_files_and_audit_agree(
    tmp_path, databases_for_drill
):
    live, fresh = databases_for_drill
    _manage(live, "migrate", "-v0")
    stop = tmp_path / "stop"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(stop)], cwd=ROOT, env=live, stdout=subprocess.PIPE, text=True
    )
    try:
        for _ in range(600):  # the writer is under way before the backup starts
            if (tmp_path / "stop.ready").exists():
                break
            time.sleep(0.1)
        archive_path = tmp_path / "backups" / "drill.tar.gz.enc"
        backed = _manage(live, "backup", str(archive_path))
    finally:
        stop.write_text("stop")
        written = int(writer.communicate(timeout=120)[0].strip() or 0)
    assert writer.returncode == 0
    assert "备份完成" in backed.stdout
    assert archive_path.read_bytes()[:4] == b"QQBK"  # encrypted: a backup key is configured

    restored = _manage(fresh, "restore", str(archive_path), check=False)
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "记录数与清单一致" in restored.stdout
    assert "审计日志哈希链校验通过" in restored.stdout
    assert "审计日志完好" in _manage(fresh, "verify_audit").stdout

    # What the archive says it holds is what the fresh database now holds: rows written during the backup
    # are either wholly in it or wholly absent, and the writer kept writing after it.
    count = _manage(
        fresh,
        "shell",
        "-c",
        "from qinqing.core.models import AuditEntry; print(AuditEntry.objects.filter(action='drill.write').count())",
    )
    in_backup = int(count.stdout.strip().splitlines()[-1])
    assert 20 <= in_backup <= written
    media = Path(fresh["QINQING_MEDIA_ROOT"]) / "drill"
    assert media.is_dir() and any(media.iterdir())

    # A second restore into the now non-empty target is refused without --force, and changes nothing.
    again = _manage(fresh, "restore", str(archive_path), check=False)
    assert again.returncode == 1
    assert "目标数据库不是空的" in again.stderr


def test_given_a_damaged_archive_when_restored_then_refused_and_nothing_written(tmp_path):
    env = _env(tmp_path, "damaged", None)
    env.pop("QINQING_BACKUP_KEY")
    source = tmp_path / "src"
    source.mkdir()
    manifest = {"format": 1, "engine": "sqlite", "database": "database/qinqing.sqlite3", "row_counts": {}}
    manifest["files"] = {"database/qinqing.sqlite3": {"sha256": "0" * 64, "size": 3}}
    (source / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (source / "db").write_bytes(b"abc")
    bad = tmp_path / "bad.tar.gz"
    with tarfile.open(bad, "w:gz") as tar:
        tar.add(source / "manifest.json", arcname="manifest.json")
        tar.add(source / "db", arcname="database/qinqing.sqlite3")
    result = _manage(env, "restore", str(bad), check=False)
    assert result.returncode == 1
    assert "checksum mismatch" in result.stderr
    assert not Path(env["QINQING_SQLITE_PATH"]).exists() or Path(env["QINQING_SQLITE_PATH"]).stat().st_size == 0
