"""Province bench: the application servers and the background workers it starts, and their CPU time."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env() -> dict:
    return dict(os.environ, DJANGO_DEBUG="0", TZ="Asia/Shanghai", PYTHONUNBUFFERED="1")


def start_servers(
    count: int, workers: int, scratch: Path, background_workers: int = 2, worker_nice: int = 10
) -> tuple[list[subprocess.Popen], list[str]]:
    """``count`` gunicorn instances as scripts/serve.sh starts them (sync workers; database connections kept
    for QINQING_DB_CONN_MAX_AGE), each on its own port, plus ``background_workers`` background workers at
    ``nice -n worker_nice`` (as deploy/ runs them: background work gives the CPU to the pages; docs/jobs.md)."""
    procs, hosts = [], []
    for i in range(count):
        port = _free_port()
        log = open(scratch / f"gunicorn-{count}-{i}.log", "w")  # noqa: SIM115 -- open for the server's life
        procs.append(
            subprocess.Popen(
                [
                    str(ROOT / ".venv/bin/gunicorn"),
                    "config.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    str(workers),
                    "--worker-class",
                    "sync",
                    "--timeout",
                    "120",
                    "--access-logfile",
                    "-",
                    "--access-logformat",
                    '%(t)s "%(r)s" %(s)s %(b)s %(M)sms',
                    "--no-control-socket",
                ],
                cwd=ROOT,
                env=_env(),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
        hosts.append(f"http://127.0.0.1:{port}")
    for k in range(background_workers):
        # Several worker processes share the one database queue (django-tasks-db claims a task with SKIP LOCKED),
        # so the import is not held behind a province-wide matching run. Only the first resumes interrupted work
        # at once; the others only what has made no progress for 15 minutes (docs/jobs.md), or a second worker
        # starting a moment later would take back a job the first had just claimed.
        resume = [] if k == 0 else ["--older-than", "900"]
        log = open(scratch / f"worker-{count}-{k}.log", "w")  # noqa: SIM115
        command = [str(ROOT / ".venv/bin/python"), "manage.py", "run_worker", "--queue-name", "*", *resume]
        procs.append(
            subprocess.Popen(
                ["nice", "-n", str(worker_nice), *command],
                cwd=ROOT,
                env=_env(),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
    import requests

    for host in hosts:
        for _ in range(240):
            try:
                requests.get(f"{host}/accounts/login/", timeout=5)
                break
            except requests.RequestException:
                time.sleep(0.5)
        else:
            raise SystemExit(f"{host} did not start (see the gunicorn logs in {scratch})")
    return procs, hosts


def stop(procs: list[subprocess.Popen]) -> None:
    for p in procs:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGTERM)
    for p in procs:
        try:
            p.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()


def warm_up(hosts: list[str], accounts: dict) -> None:
    """Each server's workers open their connection and import the pages' code before the clock runs (cheap
    pages only: a figures page at the province's size would hold a worker for minutes); then the province's and
    cities' report pages are counted once (manage.py warm_report_pages), as the scheduler keeps them."""
    import requests

    unit = accounts["units"][0]
    firm = unit["enterprises"][0]["session"]
    pages = [(unit["staff"], "/"), (unit["staff"], "/appeals/"), (firm, "/"), (firm, "/policies/mine/")]
    for host in hosts:
        for _ in range(3):
            for session, path in pages:
                with contextlib.suppress(requests.RequestException):
                    requests.get(host + path, cookies={accounts["cookie_name"]: session}, timeout=120)
    # The leaders' report pages as a deployment keeps them: counted and kept before the first leader asks
    # (in production the scheduler's warm_default_pages does it every two minutes; the bench runs no scheduler).
    command = [str(ROOT / ".venv/bin/python"), "manage.py", "warm_report_pages"]
    subprocess.run(command, cwd=ROOT, env=_env(), check=False)


def process_cpu(procs: list[subprocess.Popen]) -> dict[str, float]:
    """CPU seconds so far: the application servers (master and workers), the background workers, PostgreSQL
    (every backend: the server is shared, so other users' work is in it) and Locust."""
    import psutil

    def tree(pid: int) -> float:
        try:
            p = psutil.Process(pid)
            total = 0.0
            for q in [p, *p.children(recursive=True)]:
                t = q.cpu_times()
                total += t.user + t.system + getattr(t, "children_user", 0) + getattr(t, "children_system", 0)
            return total
        except psutil.Error:
            return 0.0

    background = [p for p in procs if "run_worker" in p.args]
    out = {
        "app servers": sum(tree(p.pid) for p in procs if p not in background),
        "background workers": sum(tree(p.pid) for p in background),
    }
    pg = 0.0
    for q in psutil.process_iter(["name"]):
        if q.info["name"] and q.info["name"].startswith("postgres"):
            try:
                t = q.cpu_times()
                pg += t.user + t.system
            except psutil.Error:
                pass
    out["postgresql (every backend: shared server)"] = pg
    return out


_child_cpu_seen = 0.0  # CPU seconds of finished children already reported by child_cpu


def child_cpu() -> float:
    """CPU seconds of the finished Locust process (children of this process), since the last call."""
    global _child_cpu_seen
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = usage.ru_utime + usage.ru_stime
    delta, _child_cpu_seen = total - _child_cpu_seen, total
    return delta
