"""The platform behind pgbouncer in transaction mode (issue 16 §3): Debian's pgbouncer on a free port in a
temporary directory, pointing at the test's PostgreSQL; migrations, a gunicorn server's pages, a sign-in, an
action (a policy created through the API: audit rows and their triggers) and an export (a query Django would
read through a server-side cursor) all go through it, with the settings docs/deployment.md names
(QINQING_DB_POOLER=transaction). pgbouncer's own statistics show the traffic went through the pool.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.db import connection

from .processes import free_port, gunicorn, need, pg_admin, stop, wait
from .test_multiserver import PASSWORD, SETUP

ROOT = Path(settings.BASE_DIR)

CONFIG = """
[databases]
* = host={host} port={port}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {listen}
unix_socket_dir =
auth_type = trust
auth_file = {run}/userlist.txt
admin_users = {user}
pool_mode = transaction
default_pool_size = 4
max_client_conn = 200
pidfile = {run}/pgbouncer.pid
logfile = {run}/pgbouncer.log
ignore_startup_parameters = extra_float_digits
"""


def _start_pgbouncer(tool: str, run: Path, user: str, processes: list) -> int:
    """pgbouncer refuses to run as root: as the postgres (or nobody) user when the tests run as root."""
    conf = connection.settings_dict
    listen = free_port()
    (run / "userlist.txt").write_text(f'"{user}" ""\n')
    (run / "pgbouncer.ini").write_text(
        CONFIG.format(
            host=conf.get("HOST") or "127.0.0.1", port=conf.get("PORT") or 5432, listen=listen, run=run, user=user
        )
    )
    owner = None
    if os.geteuid() == 0:
        owner = "postgres" if _has_user("postgres") else "nobody"
        os.chmod(run, 0o755)
        os.chown(run, pwd.getpwnam(owner).pw_uid, -1)
    processes.append(
        subprocess.Popen(
            [tool, str(run / "pgbouncer.ini")], user=owner, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
    )
    return listen


def _has_user(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def _pool_stats(listen: int, user: str, database: str) -> dict[str, int]:
    """pgbouncer's SHOW STATS row for the database (its admin console speaks the simple protocol: psql)."""
    out = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", str(listen), "-U", user, "-A", "-F", "\t", "-c", "SHOW STATS", "pgbouncer"],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    ).stdout.splitlines()
    header = out[0].split("\t")
    for line in out[1:]:
        row = dict(zip(header, line.split("\t"), strict=False))
        if row.get("database") == database:
            return {k: int(v) for k, v in row.items() if v.isdigit()}
    return {}


@pytest.mark.postgres_only
def test_given_pgbouncer_in_transaction_mode_when_the_platform_runs_through_it_then_pages_and_actions_work():
    if connection.vendor != "postgresql":
        pytest.skip("连接池测试只在 PostgreSQL 一轮运行（postgres_only）")
    tool = need("pgbouncer", "连接池测试")
    if shutil.which("psql") is None:
        pytest.skip("需要 psql（postgresql-client）读取 pgbouncer 统计")
    conf = connection.settings_dict
    user = conf.get("USER") or "postgres"
    name = f"qq_pgb_{uuid.uuid4().hex[:8]}"
    run = Path(tempfile.mkdtemp(prefix="qinqing-pgbouncer-"))
    processes: list[subprocess.Popen] = []
    with pg_admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        listen = _start_pgbouncer(tool, run, user, processes)
        env = {k: v for k, v in os.environ.items() if k not in ("QINQING_SQLITE_PATH", "QINQING_REDIS_URL")}
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings",
            DATABASE_URL=f"postgres://{user}@127.0.0.1:{listen}/{name}",
            QINQING_DB_POOLER="transaction",
            QINQING_MEDIA_ROOT=str(run / "media"),
            QINQING_AUDIT_CHECKPOINT_DIR=str(run / "checkpoints"),
            QINQING_AUDIT_KEY="pgbouncer-audit-key",
            DJANGO_SECRET_KEY="pgbouncer-secret-key-not-for-production",
            QINQING_POLICY_SEARCH_ENGINE="database",
        )
        deadline = time.monotonic() + 60
        while subprocess.run(
            ["psql", "-h", "127.0.0.1", "-p", str(listen), "-U", user, "-c", "SELECT 1", name], capture_output=True
        ).returncode:
            assert time.monotonic() < deadline, (run / "pgbouncer.log").read_text(errors="replace")[-2000:]
            time.sleep(0.3)
        # Migrations and the first users, through the pool.
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=600)
        subprocess.run([sys.executable, "-c", SETUP], cwd=ROOT, env=env, check=True, timeout=120)
        port = free_port()
        processes.append(gunicorn(port, env, workers=2))
        base = f"http://127.0.0.1:{port}"
        wait(f"{base}/healthz", "gunicorn", time.monotonic() + 120)
        before = _pool_stats(listen, user, name).get("total_xact_count", 0)

        browser = requests.Session()
        page = browser.get(f"{base}/accounts/login/", timeout=20)
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        signed_in = browser.post(
            f"{base}/accounts/login/",
            data={"username": "staff_a", "password": PASSWORD, "csrfmiddlewaretoken": csrf},
            timeout=20,
            allow_redirects=False,
        )
        assert signed_in.status_code == 302, signed_in.text[:500]
        for path in ("/", "/policies/", "/registry/chambers/", "/appeals/"):
            answer = browser.get(f"{base}{path}", timeout=30)
            assert answer.status_code == 200, (path, answer.status_code)

        token = requests.post(
            f"{base}/api/v1/auth/token/", json={"username": "staff_a", "password": PASSWORD}, timeout=20
        ).json()["token"]
        headers = {"Authorization": f"Token {token}"}
        created = requests.post(
            f"{base}/api/v1/policies/",
            json={
                "title": "连接池测试稳岗补贴",
                "level": "city",
                "benefit_type": "subsidy",
                "application_method": "apply",
                "effective_on": "2024-01-01",
                "body": "连接池测试：对吸纳就业的中小企业给予稳岗补贴。",
                "rule": {"op": "all", "items": [{"attr": "employees", "op": "ge", "value": 10}]},
            },
            headers=headers,
            timeout=30,
        )
        assert created.status_code == 201, created.text
        found = requests.get(f"{base}/api/v1/policies/", params={"q": "连接池测试"}, headers=headers, timeout=20)
        assert [row["id"] for row in found.json()["results"]] == [created.json()["id"]]
        export = browser.get(f"{base}/registry/chambers/", params={"export": "csv"}, timeout=30)
        assert export.status_code == 200 and "csv" in export.headers["Content-Type"], export.status_code

        # Every request above ran its transactions on pooled server connections.
        after = _pool_stats(listen, user, name).get("total_xact_count", 0)
        assert after - before >= 10, (before, after)
        audit = subprocess.run(
            [sys.executable, "manage.py", "verify_audit"], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert audit.returncode == 0, audit.stdout + audit.stderr
    finally:
        stop(processes)
        with pg_admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(run, ignore_errors=True)
