"""Making and restoring one consistent archive of the platform while it serves traffic.

SQLite is copied with its online backup API (``sqlite3.Connection.backup``), which reads through the WAL, so
rows committed after the last checkpoint are kept (a plain ``cp`` of the database file loses them). The row
counts of the manifest are read from that copy, so they describe exactly what the archive holds.

PostgreSQL is dumped with ``pg_dump --format=custom`` inside an exported snapshot: the row counts are taken in
the transaction that exported the snapshot and ``pg_dump --snapshot`` dumps the same state, so counts and dump
agree even while other sessions write.

Uploaded files are read and written through Django's default storage (media.py): a media directory, or the
S3-compatible object storage several application servers share (``QINQING_S3_BUCKET``).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

from . import archive, media


@dataclass
class BackupResult:
    path: Path
    size: int
    sha256: str
    manifest: dict


@dataclass
class RestoreResult:
    manifest: dict
    counts: dict[str, int] = field(default_factory=dict)
    mismatched: dict[str, tuple[int, int]] = field(default_factory=dict)
    files: int = 0
    audit_ok: bool = True
    audit_message: str = ""


def backup_key() -> bytes | None:
    text = getattr(settings, "QINQING_BACKUP_KEY", "")
    return archive.parse_key(text) if text else None


def checkpoint_dir() -> Path | None:
    value = getattr(settings, "QINQING_AUDIT_CHECKPOINT_DIR", None)
    return Path(value) if value else None


def _engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def _app_tables() -> list[str]:
    """The tables Django manages (migrations included), in a stable order."""
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor)
    return sorted(n for n in names if not n.startswith("sqlite_"))


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sqlite_snapshot(target: Path) -> dict[str, int]:
    if connection.in_atomic_block:
        # Inside a transaction the online backup would wait for our own write lock forever.
        raise RuntimeError("a SQLite backup must not run inside a transaction")
    connection.ensure_connection()
    source = connection.connection  # Django's sqlite3 connection (file or, in tests, memory)
    dest = sqlite3.connect(target)
    try:
        source.backup(dest)
        counts = {}
        tables = [
            r[0] for r in dest.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")
        ]
        for table in sorted(tables):
            counts[table] = dest.execute(f"SELECT COUNT(*) FROM {_quote(table)}").fetchone()[0]  # noqa: S608
    finally:
        dest.close()
    return counts


def pg_conninfo(alias: str = "default") -> list[str]:
    """pg_dump/pg_restore arguments for a database alias (password through the environment, not argv)."""
    conf = connections[alias].settings_dict
    args = ["--dbname", conf["NAME"]]
    if conf.get("HOST"):
        args += ["--host", str(conf["HOST"])]
    if conf.get("PORT"):
        args += ["--port", str(conf["PORT"])]
    if conf.get("USER"):
        args += ["--username", str(conf["USER"])]
    return args


def pg_env(alias: str = "default") -> dict[str, str]:
    env = dict(os.environ)
    password = connections[alias].settings_dict.get("PASSWORD")
    if password:
        env["PGPASSWORD"] = str(password)
    return env


def _pg_snapshot(target: Path) -> dict[str, int]:
    import psycopg

    conf = connection.settings_dict
    # A connection of its own: the snapshot's transaction must stay open while pg_dump runs.
    with psycopg.connect(
        dbname=conf["NAME"],
        host=conf.get("HOST") or None,
        port=conf.get("PORT") or None,
        user=conf.get("USER") or None,
        password=conf.get("PASSWORD") or None,
        autocommit=True,
    ) as pg:
        pg.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = pg.execute("SELECT pg_export_snapshot()").fetchone()[0]
        tables = [
            r[0]
            for r in pg.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
            ).fetchall()
        ]
        counts = {t: pg.execute(f"SELECT COUNT(*) FROM {_quote(t)}").fetchone()[0] for t in tables}  # noqa: S608
        subprocess.run(  # noqa: S603
            [
                shutil.which("pg_dump") or "pg_dump",
                "--format=custom",
                "--no-owner",
                "--snapshot",
                snapshot,
                "--file",
                str(target),
                *pg_conninfo(),
            ],
            check=True,
            env=pg_env(),
            capture_output=True,
        )
        pg.execute("COMMIT")
    return counts


def _audit_head() -> dict:
    from qinqing.core.audit import chain_head

    head = chain_head()
    return {"last_id": head.last_id, "last_hash": head.last_hash} if head else {"last_id": 0, "last_hash": ""}


def make_backup(dest: Path, *, include_media: bool = True) -> BackupResult:
    """Write one archive at ``dest`` (a file path, or a directory to name it in)."""
    dest = Path(dest)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    key = backup_key()
    if dest.is_dir() or str(dest).endswith(os.sep):
        dest.mkdir(parents=True, exist_ok=True)
        dest = dest / f"qinqing-{stamp}.tar.gz{'.enc' if key else ''}"
    dest.parent.mkdir(parents=True, exist_ok=True)
    engine = _engine()
    with tempfile.TemporaryDirectory(prefix="qinqing-backup-", dir=dest.parent) as scratch_name:
        scratch = Path(scratch_name)
        db_name = "qinqing.sqlite3" if engine == "sqlite" else "qinqing.pgdump"
        db_file = scratch / db_name
        head_before = _audit_head()
        counts = _sqlite_snapshot(db_file) if engine == "sqlite" else _pg_snapshot(db_file)
        members: list[tuple[Path, str]] = [(db_file, f"database/{db_name}")]
        checkpoints = checkpoint_dir()
        if checkpoints:
            members += [
                (p, "audit-checkpoints/" + p.relative_to(checkpoints).as_posix())
                for p in archive.iter_files(checkpoints)
            ]
        manifest = {
            "format": archive.FORMAT,
            "created_at": timezone.now().isoformat(),
            "engine": engine,
            "database": f"database/{db_name}",
            "row_counts": counts,
            "audit_head_before": head_before,
            "files": {},
        }
        plain = scratch / "archive.tar.gz"
        with tarfile.open(plain, "w:gz", compresslevel=6) as tar:
            for path, name in members:
                # Files may change while we read them (uploads): hash what is actually written.
                manifest["files"][name] = {"sha256": archive.sha256_file(path), "size": path.stat().st_size}
                tar.add(path, arcname=name, recursive=False)
            if include_media:  # through the default storage: a directory or S3-compatible object storage
                media.add_to_tar(tar, manifest["files"])
            data = archive.manifest_bytes(manifest)
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            info.mtime = int(dt.datetime.now().timestamp())
            tar.addfile(info, io.BytesIO(data))
        partial = dest.with_name(dest.name + ".partial")
        if key:
            with open(plain, "rb") as src, open(partial, "wb") as out:
                archive.encrypt_stream(src, out, key)
        else:
            shutil.move(plain, partial)
        os.chmod(partial, 0o600)
        os.replace(partial, dest)  # never a half-written archive under the final name
    return BackupResult(dest, dest.stat().st_size, archive.sha256_file(dest), manifest)


def open_archive(path: Path, scratch: Path) -> tuple[Path, dict]:
    """Decrypt when needed, unpack into scratch, check every file against the manifest."""
    path = Path(path)
    tar_path = path
    if archive.is_encrypted(path):
        key = backup_key()
        if key is None:
            raise archive.ArchiveError("the archive is encrypted and no backup key is configured")
        tar_path = scratch / "archive.tar.gz"
        with open(path, "rb") as src, open(tar_path, "wb") as out:
            archive.decrypt_stream(src, out, key)
    unpacked = scratch / "unpacked"
    try:
        with tarfile.open(tar_path, "r:gz") as tar:
            tar.extractall(unpacked, filter="data")  # no absolute paths, no '..', no links out of the tree
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise archive.ArchiveError(f"archive cannot be unpacked: {exc}") from None
    manifest_path = unpacked / "manifest.json"
    if not manifest_path.exists():
        raise archive.ArchiveError("archive has no manifest.json")
    manifest = archive.load_manifest(manifest_path.read_bytes())
    for name, meta in manifest["files"].items():
        member = unpacked / name
        if not member.is_file():
            raise archive.ArchiveError(f"file listed in the manifest is missing: {name}")
        if archive.sha256_file(member) != meta["sha256"]:
            raise archive.ArchiveError(f"checksum mismatch: {name}")
    return unpacked, manifest


def database_is_empty() -> bool:
    """True when no application table holds a row (migrated but unused, or not migrated at all)."""
    tables = _app_tables()
    with connection.cursor() as cursor:
        for table in tables:
            if table in ("django_migrations", "django_content_type", "auth_permission"):
                continue
            cursor.execute(f"SELECT 1 FROM {_quote(table)} LIMIT 1")  # noqa: S608
            if cursor.fetchone():
                return False
    return True


def media_is_empty() -> bool:
    return media.is_empty()


def restore_database(unpacked: Path, manifest: dict) -> None:
    engine = _engine()
    if manifest["engine"] != engine:
        raise archive.ArchiveError(f"archive holds a {manifest['engine']} database; this platform uses {engine}")
    db_file = unpacked / manifest["database"]
    if engine == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(db_file)
        try:
            source.backup(connection.connection)  # page-by-page into the live connection's database
        finally:
            source.close()
        return
    connection.close()
    subprocess.run(  # noqa: S603
        [
            shutil.which("pg_restore") or "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            *pg_conninfo(),
            str(db_file),
        ],
        check=True,
        env=pg_env(),
        capture_output=True,
    )


def restore_files(unpacked: Path, prefix: str, target: Path) -> int:
    source = unpacked / prefix
    count = 0
    for path in archive.iter_files(source):
        out = target / path.relative_to(source)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, out)
        count += 1
    return count


def current_counts(tables) -> dict[str, int]:
    out = {}
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        for table in tables:
            if table not in existing:
                out[table] = -1
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608
            out[table] = cursor.fetchone()[0]
    return out


def restore(path: Path, *, force: bool = False) -> RestoreResult:
    """Restore an archive into this platform's database and media directory (empty unless ``force``)."""
    from qinqing.core.audit import verify_chain

    with tempfile.TemporaryDirectory(prefix="qinqing-restore-") as scratch_name:
        unpacked, manifest = open_archive(Path(path), Path(scratch_name))
        if not force and not database_is_empty():
            raise archive.ArchiveError("target database is not empty")
        if not force and not media_is_empty():
            raise archive.ArchiveError("target media directory is not empty")
        restore_database(unpacked, manifest)
        result = RestoreResult(manifest)
        result.files = media.restore(unpacked)
        checkpoints = checkpoint_dir()
        if checkpoints:
            result.files += restore_files(unpacked, "audit-checkpoints", checkpoints)
    expected = manifest["row_counts"]
    result.counts = current_counts(expected)
    result.mismatched = {t: (n, result.counts[t]) for t, n in expected.items() if result.counts[t] != n}
    report = verify_chain()
    result.audit_ok = report.ok
    result.audit_message = "" if report.ok else f"#{report.broken_id} {report.reason}"
    return result
