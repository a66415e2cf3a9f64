"""A real crash: a worker process importing 12,000 rows is killed with SIGKILL after its first
batch committed, then ``manage.py run_worker`` (resume_jobs, then the queue) finishes the job.

Runs outside the test database: the child processes need a database of their own that they can all
open (on SQLite a file, QINQING_SQLITE_PATH; on PostgreSQL, when DATABASE_URL is set, a database named
after it with ``_kill`` appended, dropped and recreated), so the test migrates it in a child first.
The parent freezes the worker (SIGSTOP) the moment it sees the first checkpoint, then kills it: the kill
lands mid-import, 59 batches before the end, wherever the worker stood (mid-batch or between batches).
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[3]
ROWS = 12000  # 60 batches: the worker is far from done when the first checkpoint is seen and it is frozen
BATCH = 200

SETUP = r"""
import csv, os
from django.db import transaction
from qinqing.accounts.actions import create_user
from qinqing.core.models import Job
from qinqing.orgs.actions import create_organization
from qinqing.registry import actions
from qinqing.registry.standards import uscc
from qinqing.registry.tasks import import_dir

rows, batch = int(os.environ["KILL_ROWS"]), int(os.environ["KILL_BATCH"])
province = create_organization(kind="fic", name="湖南省工商联", region_code="430000", parent=None)
city = create_organization(kind="fic", name="岳阳市工商联", region_code="430600", parent=province)
county = create_organization(kind="fic", name="岳阳县工商联", region_code="430621", parent=city)
user = create_user(username="importer", name="importer", role="fic_staff", org=county,
                   password="Qinqing@2026!k", must_change_password=False)
with (import_dir() / "kill.csv").open("w", encoding="utf-8", newline="") as out:
    writer = csv.writer(out)
    writer.writerow(["统一社会信用代码", "企业名称", "行政区划代码", "行业代码", "从业人员", "营业收入（万元）",
                     "年度", "纳税额（万元）"])
    for n in range(1, rows + 1):
        body = f"91430621{n:09d}"
        writer.writerow([body + uscc.check_char(body), f"岳阳县测试{n}号有限公司", "430621", "1391",
                         str(50 + n % 100), str(1000 + n), "2025", "12.5"])
with transaction.atomic():
    job = actions.start_import(actor=user, kind="enterprises", stored_name="kill.csv", filename="kill.csv",
                               dry_run=False)
    Job.objects.filter(pk=job.pk).update(params={**job.params, "batch_size": batch})
print("JOB", job.pk)
"""


class Database:
    """The children's database, seen from the parent through a plain DB-API connection."""

    def __init__(self, tmp_path: Path):
        parent_url = os.environ.get("DATABASE_URL", "")
        self.pg = parent_url.startswith("postgres")
        self.scratch = tmp_path / "tmp"  # the workers' temporary directory (SQLite stages batches there)
        self.scratch.mkdir()
        self.env = {
            **os.environ,
            "QINQING_MEDIA_ROOT": str(tmp_path / "media"),
            "PYTHONUNBUFFERED": "1",
            "TMPDIR": str(self.scratch),
        }
        if self.pg:
            import psycopg
            from psycopg import sql

            url = urlparse(parent_url)
            self.name = url.path.lstrip("/") + "_kill"
            server = urlunparse(url._replace(path="/postgres"))
            with psycopg.connect(server, autocommit=True) as admin:
                admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.name)))
                admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.name)))
            self.url = urlunparse(url._replace(path="/" + self.name))
            self.server = server
            self.env["DATABASE_URL"] = self.url
        else:
            self.path = tmp_path / "kill.sqlite3"
            self.env.pop("DATABASE_URL", None)
            self.env["QINQING_SQLITE_PATH"] = str(self.path)
        self.conn = None

    def connect(self):
        if self.pg:
            import psycopg

            self.conn = psycopg.connect(self.url, autocommit=True)
        else:
            self.conn = sqlite3.connect(self.path, timeout=20, isolation_level=None)
        return self

    def one(self, query: str, *params):
        query = query if self.pg else query.replace("%s", "?")
        return self.conn.execute(query, params).fetchone()

    def job(self, job_id: int) -> tuple[str, dict]:
        status, checkpoint = self.one("SELECT status, checkpoint FROM core_job WHERE id = %s", job_id)
        return status, (checkpoint if isinstance(checkpoint, dict) else json.loads(checkpoint or "{}"))

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
        if self.pg:
            import psycopg
            from psycopg import sql

            with psycopg.connect(self.server, autocommit=True) as admin:
                admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.name)))


def manage(db: Database, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**db.env, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


WORKER = ["manage.py", "run_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0.1"]


def test_given_worker_killed_after_first_batch_when_run_worker_resumes_then_no_duplicates_or_losses(tmp_path):
    # given a migrated database of its own and a committed import job of ROWS rows in batches of BATCH
    db = Database(tmp_path)
    try:
        manage(db, "migrate", "-v0")
        setup = manage(db, "shell", "-c", SETUP, env={"KILL_ROWS": str(ROWS), "KILL_BATCH": str(BATCH)})
        job_id = int(setup.stdout.split("JOB")[-1].split()[0])
        db.connect()

        # when a real worker process runs it and is killed -9 once its first batch has committed
        worker = subprocess.Popen(
            [sys.executable, *WORKER], cwd=ROOT, env=db.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            status, checkpoint = db.job(job_id)
            if checkpoint.get("next", 0) >= BATCH or worker.poll() is not None:
                break
            time.sleep(0.005)
        # Freeze it at once (a lock taken now could wait behind its next batches and lose the race on
        # SQLite), then kill it: wherever it stopped, mid-batch or between batches, is a real crash.
        os.kill(worker.pid, signal.SIGSTOP)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
        status, checkpoint = db.job(job_id)
        committed = checkpoint.get("next", 0)
        # then the kill landed mid-import: the job is left running, exactly its checkpointed rows are stored
        assert status == "running", (status, worker.stdout.read().decode()[-2000:])
        assert BATCH <= committed < ROWS and committed % BATCH == 0
        assert db.one("SELECT COUNT(*) FROM registry_enterprise")[0] == committed

        # when the worker is started again (run_worker runs resume_jobs first)
        resumed = subprocess.run(
            [sys.executable, *WORKER], cwd=ROOT, env=db.env, capture_output=True, text=True, timeout=120
        )
        assert resumed.returncode == 0, resumed.stdout + resumed.stderr
        assert f"已重新排队：#{job_id}" in resumed.stdout

        # then the job is done, and the database holds every row of the file exactly once
        status, checkpoint = db.job(job_id)
        assert status == "succeeded" and checkpoint["next"] == ROWS
        result = db.one("SELECT result FROM core_job WHERE id = %s", job_id)[0]
        result = result if isinstance(result, dict) else json.loads(result)
        assert (result["new"], result["updated"], result["error_count"]) == (ROWS, 0, 0)
        assert db.one("SELECT COUNT(*), COUNT(DISTINCT credit_code) FROM registry_enterprise") == (ROWS, ROWS)
        assert db.one("SELECT COUNT(*) FROM registry_enterpriseyearfigures") == (ROWS,)
        # each yearly row belongs to its own enterprise (the file's 营业收入 is 1000 + n, n in the code)
        joined = db.one(
            "SELECT COUNT(*) FROM registry_enterpriseyearfigures f JOIN registry_enterprise e ON e.id = f.enterprise_id"
            " WHERE f.year = 2025 AND f.revenue_wan = e.revenue_wan"
            " AND CAST(e.revenue_wan AS INTEGER) = 1000 + CAST(SUBSTR(e.credit_code, 9, 9) AS INTEGER)"
        )
        assert joined == (ROWS,)
        # SQLite staged the batches in scratch files: the resumed worker removed its own, and only the
        # killed one's directory is left. PostgreSQL staged them in scratch tables: the resumed worker
        # dropped its own, and any left belong to the killed worker's backend, gone now, so the next
        # import drops them
        assert len(list(db.scratch.glob("qinqing-import-*"))) == (0 if db.pg else 1)
        if db.pg:
            left = db.conn.execute("SELECT relname FROM pg_class WHERE relname LIKE 'qq\\_import\\_stage\\_%'")
            alive = {row[0] for row in db.conn.execute("SELECT pid FROM pg_stat_activity").fetchall()}
            assert all(int(name.split("_")[3]) not in alive for (name,) in left.fetchall())
        audited = db.one("SELECT COUNT(*) FROM core_auditentry WHERE action = 'registry.import_enterprises'")[0]
        assert audited == ROWS // BATCH  # one audit row per committed batch, none written twice
    finally:
        db.close()
