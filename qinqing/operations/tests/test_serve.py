"""`make run`'s process tree survives its own processes: a killed gunicorn master or worker is restarted, the
others keep running, and SIGINT (Ctrl+C) stops everything cleanly. Runs scripts/serve.sh for real on loopback."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def _wait(predicate, seconds: float = 60.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


def _pid(env, conf: Path, program: str) -> int:
    out = subprocess.run(
        [str(ROOT / ".venv/bin/supervisorctl"), "-c", str(conf), "pid", program],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    ).stdout.strip()
    return int(out) if out.isdigit() else 0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.skipif(not (ROOT / ".venv/bin/supervisord").exists(), reason="supervisor 未安装（make install）")
def test_given_the_served_platform_when_processes_die_then_they_restart_and_ctrl_c_stops_all(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        QINQING_SQLITE_PATH=str(tmp_path / "serve.sqlite3"),
        QINQING_MEDIA_ROOT=str(tmp_path / "media"),
        QINQING_AUDIT_CHECKPOINT_DIR=str(tmp_path / "checkpoints"),
        QINQING_BACKUP_DIR=str(tmp_path / "backups"),
        DJANGO_SECRET_KEY="serve-test-secret-key-not-for-production",
        QINQING_AUDIT_KEY="serve-test-audit-key-not-for-production",
    )
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=300)
    conf = ROOT / "var" / "run" / str(port) / "supervisord.conf"
    serve = subprocess.Popen(
        ["scripts/serve.sh", str(port), "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert _wait(lambda: _healthy(port)), "the platform did not start"
        assert _wait(lambda: all(_pid(env, conf, p) for p in ("web", "worker", "scheduler")))
        master, worker, scheduler = (_pid(env, conf, p) for p in ("web", "worker", "scheduler"))
        # Background work yields the CPU to the pages (docs/jobs.md): the worker runs 10 nicer than the web
        # (capped at 19 when the test itself runs niced).
        web_nice = os.getpriority(os.PRIO_PROCESS, master)
        assert os.getpriority(os.PRIO_PROCESS, worker) == min(web_nice + 10, 19)
        assert os.getpriority(os.PRIO_PROCESS, scheduler) == web_nice

        os.kill(master, signal.SIGKILL)  # the gunicorn master dies without a word
        assert _wait(lambda: _pid(env, conf, "web") not in (0, master) and _healthy(port)), "web not restarted"
        assert _alive(worker) and _alive(scheduler), "the other processes must keep running"

        os.kill(worker, signal.SIGKILL)
        assert _wait(lambda: _pid(env, conf, "worker") not in (0, worker)), "worker not restarted"
        new_worker = _pid(env, conf, "worker")
        new_master = _pid(env, conf, "web")

        serve.send_signal(signal.SIGINT)  # Ctrl+C
        output, _ = serve.communicate(timeout=90)
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.communicate()
    assert serve.returncode == 0, output[-3000:]
    assert _wait(lambda: not any(_alive(p) for p in (new_master, new_worker, scheduler)), 10)
    assert "panicked" not in output and "Traceback" not in output, output[-3000:]
    assert not _healthy(port)
