"""Two application servers over one PostgreSQL (and Redis when the client is installed) share everything a user
notices: sign in on one and act on the other, upload on one and download from the other, be locked out on one and
locked on the other, create a policy on one and find it on the other.

Two real gunicorn instances on two loopback ports, with the same database, cache, media directory and search-index
directory (the search index: var/search/<database>/, shared storage in a deployment), and nothing else in common.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)
PASSWORD = "Qinqing@2026!"

SETUP = r"""
import django
django.setup()
from qinqing.accounts.actions import create_user
from qinqing.orgs.actions import create_organization
province = create_organization(kind="fic", name="湖南省工商联", region_code="430000", parent=None)
city = create_organization(kind="fic", name="岳阳市工商联", region_code="430600", parent=province)
for username in ("staff_a", "staff_b"):
    create_user(username=username, name="工作人员", role="fic_staff", org=city, password=PASSWORD,
                must_change_password=False)
print("ready")
""".replace("PASSWORD", repr(PASSWORD))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pg_admin():
    import psycopg

    conf = connection.settings_dict
    return psycopg.connect(
        dbname="postgres",
        host=conf.get("HOST") or None,
        port=conf.get("PORT") or None,
        user=conf.get("USER") or None,
        password=conf.get("PASSWORD") or None,
        autocommit=True,
    )


def _redis_url() -> str:
    try:
        import redis

        redis.Redis.from_url("redis://127.0.0.1:6379/15", socket_connect_timeout=1).ping()
    except Exception:
        return ""
    return "redis://127.0.0.1:6379/15"


@pytest.fixture
def servers(tmp_path):
    conf = connection.settings_dict
    name = f"qq_multi_{uuid.uuid4().hex[:8]}"
    with _pg_admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    auth = conf.get("USER") or ""
    url = f"postgres://{auth}@{conf.get('HOST') or '127.0.0.1'}:{conf.get('PORT') or 5432}/{name}"
    env = {k: v for k, v in os.environ.items() if k not in ("QINQING_SQLITE_PATH",)}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=url,
        QINQING_MEDIA_ROOT=str(tmp_path / "shared-media"),
        QINQING_AUDIT_CHECKPOINT_DIR=str(tmp_path / "checkpoints"),
        QINQING_AUDIT_KEY="multi-server-audit-key",
        DJANGO_SECRET_KEY="multi-server-secret-key-not-for-production",
        QINQING_REDIS_URL=_redis_url(),
    )
    processes = []
    try:
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=600)
        subprocess.run([sys.executable, "-c", SETUP], cwd=ROOT, env=env, check=True, timeout=120)
        ports = [_free_port(), _free_port()]
        for port in ports:
            processes.append(
                subprocess.Popen(
                    [
                        str(ROOT / ".venv/bin/gunicorn"),
                        "config.wsgi:application",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--workers",
                        "1",
                        "--no-control-socket",
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        deadline = time.monotonic() + 120
        for base in bases:
            while True:
                try:
                    if requests.get(f"{base}/healthz", timeout=2).status_code == 200:
                        break
                except requests.RequestException:
                    pass
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.3)
        yield bases
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        with _pg_admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        import shutil

        shutil.rmtree(ROOT / "var" / "search" / f"postgresql-{name}", ignore_errors=True)


def _web_login(session: requests.Session, base: str, username: str, password: str) -> requests.Response:
    page = session.get(f"{base}/accounts/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return session.post(
        f"{base}/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/accounts/login/"},
        timeout=10,
        allow_redirects=False,
    )


def _token(base: str, username: str) -> str:
    response = requests.post(
        f"{base}/api/v1/auth/token/", json={"username": username, "password": PASSWORD}, timeout=10
    )
    assert response.status_code == 200, response.text
    return response.json()["token"]


@pytest.mark.postgres_only
def test_given_two_app_servers_when_a_user_moves_between_them_then_nothing_is_lost(servers):
    a, b = servers

    # Signed in on A, the same session works on B.
    browser = requests.Session()
    assert _web_login(browser, a, "staff_a", PASSWORD).status_code == 302
    home_b = browser.get(f"{b}/", timeout=10, allow_redirects=False)
    assert (home_b.status_code == 200 and "staff_a" in home_b.text) or "工作人员" in home_b.text

    # A policy created on A is found on B; a file uploaded on A downloads from B.
    word = f"多机测试{uuid.uuid4().hex[:6]}"
    # One token (a new one revokes the previous), issued by A and honoured by B.
    headers_a = headers_b = {"Authorization": f"Token {_token(a, 'staff_a')}"}
    created = requests.post(
        f"{a}/api/v1/policies/",
        json={
            "title": f"{word}稳岗补贴",
            "level": "city",
            "benefit_type": "subsidy",
            "application_method": "apply",
            "effective_on": "2024-01-01",
            "body": f"{word}：对吸纳就业的中小企业给予稳岗补贴。",
            "rule": {"op": "all", "items": [{"attr": "employees", "op": "ge", "value": 10}]},
        },
        headers=headers_a,
        timeout=20,
    )
    assert created.status_code == 201, created.text
    policy = created.json()["id"]
    deadline = time.monotonic() + 1.0  # within a second
    while True:
        found = requests.get(f"{b}/api/v1/policies/", params={"q": word}, headers=headers_b, timeout=10).json()
        if any(row["id"] == policy for row in found["results"]) or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert any(row["id"] == policy for row in found["results"]), found

    content = "附件内容：多机测试\n".encode()
    uploaded = requests.post(
        f"{a}/api/v1/policies/{policy}/attachments/",
        files={"file": ("说明.txt", content, "text/plain")},
        data={"name": "说明"},
        headers=headers_a,
        timeout=20,
    )
    assert uploaded.status_code == 201, uploaded.text
    attachment = uploaded.json()["id"]
    downloaded = requests.get(f"{b}/api/v1/policies/{policy}/attachments/{attachment}/", headers=headers_b, timeout=10)
    assert downloaded.status_code == 200 and downloaded.content == content

    # Locked out on A (wrong passwords), locked on B even with the right password.
    for _ in range(settings.AXES_FAILURE_LIMIT):
        requests.post(f"{a}/api/v1/auth/token/", json={"username": "staff_b", "password": "wrong"}, timeout=10)
    refused = requests.post(f"{b}/api/v1/auth/token/", json={"username": "staff_b", "password": PASSWORD}, timeout=10)
    assert refused.status_code == 403, refused.text
