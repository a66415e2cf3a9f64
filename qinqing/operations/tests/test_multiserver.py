"""Two application servers over one PostgreSQL (and Redis when it answers) behind nginx share everything a user
notices: sign in landing on one and act landing on the other, upload on one and download from the other, be locked
out on one and locked on the other, create a policy on one and find it on the other.

Two real gunicorn instances on two loopback ports behind Debian's nginx (a generated configuration: an upstream
of both ports, run unprivileged with its own prefix, pid and temp paths in a temporary directory; every answer
names the server that gave it). What they share: the database, Redis, and an S3-compatible object store (moto's
server mode, a test dependency in the lock) holding the uploads through django-storages. Each has its own empty
media directory, which must still be empty at the end, and policy search uses the database's own index
(QINQING_POLICY_SEARCH_ENGINE=database): nothing a user relies on lives on one application server.
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
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.db import connection

from .processes import free_port, gunicorn, need, pg_admin, stop, wait

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


BUCKET = "qinqing-media"


def _redis_url() -> str:
    try:
        import redis

        redis.Redis.from_url("redis://127.0.0.1:6379/15", socket_connect_timeout=1).ping()
    except Exception:
        return ""
    return "redis://127.0.0.1:6379/15"


NGINX_CONF = """
worker_processes 1;
daemon off;
pid {run}/nginx.pid;
error_log {run}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log {run}/access.log;
    client_body_temp_path {run}/body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;
    client_max_body_size 60m;
    upstream qinqing_app {{
        server 127.0.0.1:{a};
        server 127.0.0.1:{b};
        keepalive 8;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://qinqing_app;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Request-ID $request_id;
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""


def _start_nginx(tool: str, ports: list[int], processes: list) -> tuple[str, Path]:
    """nginx as an unprivileged process (nobody when the tests run as root) in a directory of its own."""
    run = Path(tempfile.mkdtemp(prefix="qinqing-nginx-"))
    port = free_port()
    (run / "nginx.conf").write_text(NGINX_CONF.format(run=run, a=ports[0], b=ports[1], port=port))
    user = None
    if os.geteuid() == 0:
        user = "nobody"
        os.chmod(run, 0o755)
        os.chown(run, pwd.getpwnam(user).pw_uid, -1)
    processes.append(
        subprocess.Popen(
            [tool, "-p", str(run), "-c", str(run / "nginx.conf"), "-e", str(run / "error.log")],
            user=user,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    )
    return f"http://127.0.0.1:{port}", run


def _start_object_store(processes: list) -> str:
    """moto's S3-compatible server (from the lock) on a free port, with the media bucket."""
    port = free_port()
    processes.append(
        subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    )
    endpoint = f"http://127.0.0.1:{port}"
    wait(f"{endpoint}/", "the S3 server", time.monotonic() + 60)
    _s3(endpoint).create_bucket(Bucket=BUCKET)
    return endpoint


def _s3(endpoint: str):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="qinqing",
        aws_secret_access_key="qinqing-secret",
        region_name="us-east-1",
    )


@dataclass
class Cluster:
    proxy: str  # nginx
    ports: list[int]  # the two gunicorn servers
    media: list[Path]  # each server's own (unused) media directory
    s3: str  # the object store's endpoint


@pytest.fixture
def servers(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("多机测试只在 PostgreSQL 一轮运行（postgres_only）")
    nginx = need("nginx", "多机测试")
    conf = connection.settings_dict
    name = f"qq_multi_{uuid.uuid4().hex[:8]}"
    with pg_admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    auth = conf.get("USER") or ""
    url = f"postgres://{auth}@{conf.get('HOST') or '127.0.0.1'}:{conf.get('PORT') or 5432}/{name}"
    env = {k: v for k, v in os.environ.items() if k not in ("QINQING_SQLITE_PATH",)}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=url,
        QINQING_AUDIT_CHECKPOINT_DIR=str(tmp_path / "checkpoints"),
        QINQING_AUDIT_KEY="multi-server-audit-key",
        DJANGO_SECRET_KEY="multi-server-secret-key-not-for-production",
        QINQING_REDIS_URL=_redis_url(),
        QINQING_CACHE_PREFIX=f"qq-multiserver-{name}",  # this run's keys only, beside anyone else's in the Redis
        QINQING_TRUST_X_FORWARDED_FOR="1",  # behind one proxy: nginx
        QINQING_POLICY_SEARCH_ENGINE="database",
        QINQING_S3_BUCKET=BUCKET,
        QINQING_S3_ACCESS_KEY="qinqing",
        QINQING_S3_SECRET_KEY="qinqing-secret",
        QINQING_S3_REGION="us-east-1",
    )
    processes: list[subprocess.Popen] = []
    run_dir = None
    try:
        env["QINQING_S3_ENDPOINT_URL"] = s3 = _start_object_store(processes)
        media = [tmp_path / "media-a", tmp_path / "media-b"]
        setup_env = {**env, "QINQING_MEDIA_ROOT": str(tmp_path / "media-setup")}
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=setup_env, check=True, timeout=600
        )
        subprocess.run([sys.executable, "-c", SETUP], cwd=ROOT, env=setup_env, check=True, timeout=120)
        ports = [free_port(), free_port()]
        for port, own_media in zip(ports, media, strict=True):
            processes.append(gunicorn(port, {**env, "QINQING_MEDIA_ROOT": str(own_media)}))
        deadline = time.monotonic() + 120
        for port in ports:
            wait(f"http://127.0.0.1:{port}/healthz", "gunicorn", deadline)
        proxy, run_dir = _start_nginx(nginx, ports, processes)
        wait(f"{proxy}/healthz", "nginx", deadline)
        yield Cluster(proxy, ports, media, s3)
    finally:
        stop(processes)
        with pg_admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if run_dir is not None:
            shutil.rmtree(run_dir, ignore_errors=True)


class Via:
    """Requests through nginx, each one checked to land on the server asked for (nginx's X-Upstream header).

    One nginx worker with a round-robin upstream alternates between the two servers, so a cheap /healthz call
    is made whenever the next request would otherwise land on the wrong one."""

    def __init__(self, cluster: Cluster):
        self.proxy = cluster.proxy
        self.last: int | None = None

    @staticmethod
    def served_by(response: requests.Response) -> int:
        return int(response.headers["X-Upstream"].rsplit(":", 1)[1])

    def land(self, port: int, method: str, path: str, session=None, **kwargs) -> requests.Response:
        for _ in range(4):
            if self.last is not None and self.last != port:
                break
            self.last = self.served_by(requests.get(f"{self.proxy}/healthz", timeout=10))
        kwargs.setdefault("timeout", 20)
        response = (session or requests).request(method, f"{self.proxy}{path}", **kwargs)
        self.last = self.served_by(response)
        assert self.last == port, f"{method} {path} landed on {self.last}, not {port}"
        return response


def _stored_keys(cluster: Cluster) -> list[str]:
    listed = _s3(cluster.s3).list_objects_v2(Bucket=BUCKET)
    return [item["Key"] for item in listed.get("Contents", [])]


@pytest.mark.postgres_only
def test_given_two_app_servers_behind_nginx_when_a_user_moves_between_them_then_nothing_is_lost(servers):
    a, b = servers.ports
    via = Via(servers)

    # Signed in landing on A, the next page lands on B and knows the user.
    browser = requests.Session()
    page = via.land(a, "GET", "/accounts/login/", session=browser)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    signed_in = via.land(
        a,
        "POST",
        "/accounts/login/",
        session=browser,
        data={"username": "staff_a", "password": PASSWORD, "csrfmiddlewaretoken": csrf},
        headers={"Referer": f"{servers.proxy}/accounts/login/"},
        allow_redirects=False,
    )
    assert signed_in.status_code == 302, signed_in.text[:500]
    home = via.land(b, "GET", "/", session=browser, allow_redirects=False)
    assert home.status_code == 200 and "工作人员" in home.text

    # A token issued by A is honoured by B (a new one would revoke it).
    issued = via.land(a, "POST", "/api/v1/auth/token/", json={"username": "staff_a", "password": PASSWORD})
    assert issued.status_code == 200, issued.text
    headers = {"Authorization": f"Token {issued.json()['token']}"}

    # A policy created on A is found on B within a second.
    word = f"多机测试{uuid.uuid4().hex[:6]}"
    created = via.land(
        a,
        "POST",
        "/api/v1/policies/",
        json={
            "title": f"{word}稳岗补贴",
            "level": "city",
            "benefit_type": "subsidy",
            "application_method": "apply",
            "effective_on": "2024-01-01",
            "body": f"{word}：对吸纳就业的中小企业给予稳岗补贴。",
            "rule": {"op": "all", "items": [{"attr": "employees", "op": "ge", "value": 10}]},
        },
        headers=headers,
    )
    assert created.status_code == 201, created.text
    policy = created.json()["id"]
    deadline = time.monotonic() + 1.0
    while True:
        found = via.land(b, "GET", "/api/v1/policies/", params={"q": word}, headers=headers).json()
        if any(row["id"] == policy for row in found["results"]) or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert any(row["id"] == policy for row in found["results"]), found

    # A file uploaded on A downloads from B; it lives in the object store, on neither server.
    content = "附件内容：多机测试\n".encode()
    uploaded = via.land(
        a,
        "POST",
        f"/api/v1/policies/{policy}/attachments/",
        files={"file": ("说明.txt", content, "text/plain")},
        data={"name": "说明"},
        headers=headers,
    )
    assert uploaded.status_code == 201, uploaded.text
    attachment = uploaded.json()["id"]
    downloaded = via.land(b, "GET", f"/api/v1/policies/{policy}/attachments/{attachment}/", headers=headers)
    assert downloaded.status_code == 200 and downloaded.content == content
    assert any(key.startswith("policies/") for key in _stored_keys(servers))
    left_on_servers = [p for media in servers.media if media.exists() for p in media.rglob("*") if p.is_file()]
    assert left_on_servers == []

    # Locked out by wrong passwords landing on A, locked on B even with the right password.
    for _ in range(settings.AXES_FAILURE_LIMIT):
        via.land(a, "POST", "/api/v1/auth/token/", json={"username": "staff_b", "password": "wrong"})
    refused = via.land(b, "POST", "/api/v1/auth/token/", json={"username": "staff_b", "password": PASSWORD})
    assert refused.status_code == 403, refused.text
