"""Reads that tolerate lag go to a streaming replica; writes and pinned users stay on the primary; a stopped replica
is not an outage.

The router and middleware are tested directly; the end-to-end test starts its own PostgreSQL primary and streaming
replica on this machine (Debian's pg_createcluster, pg_basebackup) and runs the platform against them in a
separate process.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings

from qinqing.core import replica

ROOT = Path(settings.BASE_DIR)


# --- router and middleware -------------------------------------------------------------------------


@pytest.fixture
def fake_replica(monkeypatch):
    monkeypatch.setattr(replica, "configured", lambda: True)
    monkeypatch.setattr(replica, "healthy", lambda: True)


def test_given_no_replica_block_when_reading_then_the_primary_serves(fake_replica):
    assert replica.ReplicaRouter().db_for_read(None) == "default"
    with replica.replica_reads():
        assert replica.ReplicaRouter().db_for_read(None) == replica.REPLICA
    assert replica.ReplicaRouter().db_for_write(None) == "default"


@pytest.mark.django_db
def test_given_a_transaction_when_reading_in_a_replica_block_then_the_primary_serves(fake_replica):
    from django.db import transaction

    with transaction.atomic(), replica.replica_reads():
        assert replica.ReplicaRouter().db_for_read(None) == "default"


def test_given_an_unhealthy_replica_when_reading_then_the_primary_serves(monkeypatch):
    monkeypatch.setattr(replica, "configured", lambda: True)
    monkeypatch.setattr(replica, "healthy", lambda: False)
    with replica.replica_reads():
        assert replica.ReplicaRouter().db_for_read(None) == "default"


def test_given_the_router_when_migrating_then_only_the_primary_is_migrated():
    router = replica.ReplicaRouter()
    assert router.allow_migrate("default", "core") and not router.allow_migrate(replica.REPLICA, "core")


def _request(method="GET", view_name="appeals:figures", session=None, user=True):
    return SimpleNamespace(
        method=method,
        resolver_match=SimpleNamespace(view_name=view_name),
        session=session if session is not None else {},
        user=SimpleNamespace(is_authenticated=user),
    )


def test_given_listed_and_unlisted_views_when_matched_then_only_listed_gets_read_from_the_replica(settings):
    settings.QINQING_REPLICA_VIEWS = ["*:figures*", "reports:*"]
    assert replica._view_allowed(_request(view_name="appeals:figures"))
    assert replica._view_allowed(_request(view_name="reports:dashboard"))
    assert not replica._view_allowed(_request(view_name="appeals:detail"))
    assert not replica._view_allowed(_request(method="POST", view_name="reports:dashboard"))


def test_given_a_user_who_just_wrote_when_reading_then_the_view_runs_on_the_primary(fake_replica, settings):
    settings.QINQING_REPLICA_VIEWS = ["*:figures*"]
    settings.QINQING_REPLICA_STICKY_SECONDS = 10
    seen = []

    def view(request):
        seen.append(replica.ReplicaRouter().db_for_read(None))
        return SimpleNamespace(status_code=200)

    middleware = replica.ReplicaMiddleware(lambda request: SimpleNamespace(status_code=302))
    session: dict = {}
    post = _request(method="POST", view_name="appeals:detail", session=session)
    middleware(post)  # a successful write pins the user's session to the primary
    assert replica.STICKY_SESSION_KEY in session

    get = _request(view_name="appeals:figures", session=session)
    assert middleware.process_view(get, view, (), {}) is None  # pinned: Django runs the view as usual
    session[replica.STICKY_SESSION_KEY] = time.time() - 60
    middleware.process_view(get, view, (), {})
    assert seen == [replica.REPLICA]


# --- a real primary and streaming replica -----------------------------------------------------------

CHECK = r"""
import sys, time, django
django.setup()
from django.db import connections
from qinqing.core import replica
from qinqing.orgs.models import Organization
from qinqing.orgs.actions import create_organization

phase = sys.argv[1]
if phase == "running":
    assert connections["replica"].cursor().execute("SELECT pg_is_in_recovery()").fetchone()[0] is True
    org = create_organization(kind="fic", name="复制测试工商联", region_code="430000", parent=None)
    assert Organization.objects.count() == 1          # outside a replica block: the primary
    for _ in range(100):                              # streaming replication catches up within moments
        with replica.replica_reads():
            assert Organization.objects.all().db == "replica"
            if Organization.objects.filter(pk=org.pk).exists():
                break
        time.sleep(0.1)
    else:
        raise SystemExit("replica never showed the new row")
    with replica.replica_reads():
        got = list(Organization.objects.values_list("name", flat=True))
    assert got == ["复制测试工商联"], got
    print("routed")
elif phase == "stopped":
    with replica.replica_reads():
        assert Organization.objects.all().db == "default"
        assert Organization.objects.count() == 1      # served by the primary, no error
    print("fallback")
"""


def _run(args, **kwargs):
    result = subprocess.run(args, capture_output=True, text=True, timeout=300, **kwargs)
    if result.returncode != 0:
        raise AssertionError(f"{args[:3]} failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
    return result


@pytest.fixture
def clusters():
    """A primary and a streaming replica of the machine's PostgreSQL version, dropped afterwards."""
    if os.geteuid() != 0 or not shutil.which("pg_createcluster") or not shutil.which("pg_basebackup"):
        if os.environ.get("CI") == "true":
            pytest.fail("CI must run the replica test: needs root and Debian's postgresql-common")
        pytest.skip("需要 root 和 Debian 的 pg_createcluster / pg_basebackup")
    version = sorted(p.name for p in Path("/usr/lib/postgresql").iterdir())[-1]
    suffix = uuid.uuid4().hex[:6]
    primary, standby = f"qqprimary{suffix}", f"qqreplica{suffix}"
    ports = (55432 + os.getpid() % 500, 56432 + os.getpid() % 500)
    try:
        _run(["pg_createcluster", version, primary, "-p", str(ports[0]), "--", "--auth=trust"])
        conf = Path(f"/etc/postgresql/{version}/{primary}")
        (conf / "pg_hba.conf").write_text(
            "local all all trust\nhost all all 127.0.0.1/32 trust\nhost replication all 127.0.0.1/32 trust\n"
        )
        _run(["pg_ctlcluster", version, primary, "start"])
        _run(["psql", "-h", "127.0.0.1", "-p", str(ports[0]), "-U", "postgres", "-c", "CREATE DATABASE qinqing"])
        _run(["pg_createcluster", version, standby, "-p", str(ports[1])])
        (Path(f"/etc/postgresql/{version}/{standby}") / "pg_hba.conf").write_text(
            "local all all trust\nhost all all 127.0.0.1/32 trust\n"
        )
        data = Path(f"/var/lib/postgresql/{version}/{standby}")
        shutil.rmtree(data)
        _run(
            [
                "pg_basebackup",
                "-h",
                "127.0.0.1",
                "-p",
                str(ports[0]),
                "-U",
                "postgres",
                "-D",
                str(data),
                "-R",
                "--checkpoint=fast",
            ]
        )
        _run(["chown", "-R", "postgres:postgres", str(data)])
        _run(["pg_ctlcluster", version, standby, "start"])
        yield SimpleNamespace(version=version, primary=primary, standby=standby, ports=ports)
    finally:
        for name in (standby, primary):
            subprocess.run(["pg_dropcluster", "--stop", version, name], capture_output=True, timeout=120)


def platform_env(clusters, tmp_path) -> dict[str, str]:
    """The environment of a platform process on the clusters' primary, with their replica configured."""
    env = {k: v for k, v in os.environ.items() if k not in ("QINQING_SQLITE_PATH",)}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{clusters.ports[0]}/qinqing",
        DATABASE_REPLICA_URL=f"postgres://postgres@127.0.0.1:{clusters.ports[1]}/qinqing",
        QINQING_MEDIA_ROOT=str(tmp_path / "media"),
        QINQING_AUDIT_CHECKPOINT_DIR=str(tmp_path / "checkpoints"),
        QINQING_AUDIT_KEY="replica-test-audit-key",
        DJANGO_SECRET_KEY="replica-test-secret-key-not-for-production",
    )
    return env


@pytest.mark.postgres_only
def test_given_a_streaming_replica_when_reading_figures_then_routed_and_the_platform_survives_its_stop(
    clusters, tmp_path
):
    env = platform_env(clusters, tmp_path)
    _run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env)
    assert "routed" in _run([sys.executable, "-c", CHECK, "running"], cwd=ROOT, env=env).stdout
    _run(["pg_ctlcluster", clusters.version, clusters.standby, "stop"])
    assert "fallback" in _run([sys.executable, "-c", CHECK, "stopped"], cwd=ROOT, env=env).stdout
