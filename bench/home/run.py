# ruff: noqa: E501 -- benchmark script: report lines kept on one line
"""Home page under load: N clients (threads) request pages of a running gunicorn over HTTP, interleaved.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qq_home_bench .venv/bin/python bench/home/run.py \\
        [--clients 8] [--requests 400] [--workers 3] [--seed-profile city] [--scratch DIR] [--cards-seconds 20]

The database is seeded with ``seed_demo --profile`` when it holds no organisation (city: the demo a city FIC
runs). The benchmark starts its own gunicorn (``--workers``) on a free local port with its logs under the
scratch directory (``--scratch`` or a fresh temporary directory), signs the users in by creating their
sessions directly (no login form, so the throttles do not interfere), and then each client requests, in turn,
the home page and the other pages of the same user (the appeals list, the policy list, the enterprise list) —
so load that comes and goes falls on every page alike. It reports requests/s and p50/p95/worst per page, the
load average and PostgreSQL's settings, the CPU each side used per request (clients, gunicorn, background worker,
PostgreSQL backends, from /proc), and stops the server it started.

The clients are threads of this process, on the same cores as the server: each request is a plain socket (the
request's bytes built once; a response counts only with status 200 and the page's own <title>), 0.3 ms of the
clients' CPU a request against 1.7 ms through the requests library (``--http-client requests``, for comparison).

Beside gunicorn it starts one background worker (``run_worker``, as deploy/systemd's qinqing-worker): the home
cards older than their time bound are shown and recounted there (qinqing.core.home). Tasks already queued
(seed_demo's policy re-matches) are run to the end before the timed rounds. ``--cards-seconds`` shortens that
time bound (QINQING_HOME_CARDS_SECONDS, 300 s in production) so that every run crosses it several times — a
request that paid for the recount would show as a worst time of about the recount's length.
"""

import argparse
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import machine  # noqa: E402

PAGES = {
    "home": "/",
    "appeals list": "/appeals/",
    "policy list": "/policies/",
    "enterprise list": "/registry/enterprises/",
}
# Each page's <title> (its template's title block and the site name): a response counts only if it is that page.
TITLES = {"home": "首页", "appeals list": "企业诉求", "policy list": "政策超市", "enterprise list": "企业名录"}
ACCESS_LOG_FORMAT = '%(t)s %(h)s "%(r)s" %(s)s %(b)s %(M)sms [%({x-request-id}o)s]'  # as deploy/systemd
USERS = ("city_staff", "city_leader", "county_staff")  # demo logins (seed_demo) tried in this order


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=400, help="per page, over all clients")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--seed-profile", default="city")
    parser.add_argument("--scratch", default=None)
    parser.add_argument(
        "--cards-seconds", type=int, default=20, help="the home cards' time bound for the servers (300 in production)"
    )
    parser.add_argument(
        "--http-client",
        choices=("socket", "requests"),
        default="socket",
        help="the clients' HTTP: a plain socket (default) or the requests library (the client before 2026-12-07 12:00)",
    )
    parser.add_argument("--pages", nargs="+", choices=list(PAGES), default=list(PAGES), help="pages to load (all)")
    args = parser.parse_args()
    scratch = machine.scratch_dir(args.scratch, "home_bench")
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from qinqing.orgs.models import Organization

    call_command("migrate", verbosity=0)
    if not Organization.objects.exists():
        t0 = time.perf_counter()
        call_command("seed_demo", profile=args.seed_profile, verbosity=0)
        print(f"seeded the {args.seed_profile} demo in {time.perf_counter() - t0:.0f} s")
    cookie = _session_cookie()
    port = _free_port()
    env = dict(os.environ, DJANGO_DEBUG="0", QINQING_HOME_CARDS_SECONDS=str(args.cards_seconds))
    server = _start_server(port, args.workers, scratch, env)
    worker = _start_worker(scratch, env)
    try:
        _wait(port)
        _drain_queue()
        print(machine.state())
        started = timezone.now()
        cpu = _cpu_by_process(server.pid, worker.pid)
        results = _load(port, cookie, args.clients, args.requests, {p: PAGES[p] for p in args.pages}, args.http_client)
        cpu = {name: _cpu_by_process(server.pid, worker.pid)[name] - cpu[name] for name in cpu}
        done = sum(len(times) for times, _errors, _wall in results.values())
        print(
            "CPU a request (all pages of the run): "
            + ", ".join(f"{name} {ms / done:.2f} ms" for name, ms in cpu.items())
        )
        print(machine.state())
        print(f"home cards recounted in the background during the run: {_recounts_since(started)}")
    finally:
        for process in (server, worker):
            process.terminate()
            process.wait(timeout=30)
    print(
        f"\n{args.clients} clients, {args.workers} gunicorn sync workers (the production command line of deploy/); "
        f"and 1 background worker; home cards recounted in the background past {args.cards_seconds} s; "
        f"clients are threads of this process on the same machine; milliseconds per request (scratch: {scratch})"
    )
    print(f"{'page':18} {'req/s':>7} {'p50':>7} {'p95':>7} {'best':>7} {'worst':>7} {'errors':>6}")
    for page, (times, errors, wall) in results.items():
        s = machine.summary(times)
        print(
            f"{page:18} {len(times) / wall:7.1f} {s['p50']:7.1f} {s['p95']:7.1f} {s['best']:7.1f} {s['worst']:7.1f} {errors:6d}"
        )


def _cpu_by_process(server_pid: int, worker_pid: int) -> dict[str, float]:
    """CPU milliseconds (user + system) used so far by each side of the run: the clients (this process), the
    gunicorn master and its workers, the background worker, and this database's PostgreSQL backends (Linux
    /proc; a backend that exits meanwhile is lost from the sum)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()")
        backends = [pid for (pid,) in cur.fetchall()]
    return {
        "clients": _cpu_ms([os.getpid()]),
        "gunicorn": _cpu_ms([server_pid, *_children(server_pid)]),
        "background worker": _cpu_ms([worker_pid]),
        "PostgreSQL": _cpu_ms(backends),
    }


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _cpu_ms(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of proc(5))
    return total * 1000 / os.sysconf("SC_CLK_TCK")


def _session_cookie() -> tuple[str, str]:
    """A signed-in session of the first demo user found, created in the session store directly."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from qinqing.accounts.models import User

    user = User.objects.filter(username__in=USERS, is_active=True).order_by("username").first()
    if user is None:
        raise SystemExit(f"no demo user among {USERS}: seed the demo first")
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    from django.utils.module_loading import import_string

    # The first backend that loads users (django-axes' comes first and only checks sign-in attempts).
    backend = next(b for b in settings.AUTHENTICATION_BACKENDS if hasattr(import_string(b), "get_user"))
    store[BACKEND_SESSION_KEY] = backend
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store["qinqing_login_at"] = time.time()
    store.create()
    print(f"signed in as {user.username} ({user.role}, {user.org})")
    return settings.SESSION_COOKIE_NAME, store.session_key


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_worker(scratch: Path, env: dict) -> subprocess.Popen:
    log = open(scratch / "worker.log", "w")  # noqa: SIM115 -- kept open for the worker's lifetime
    return subprocess.Popen(
        [str(ROOT / ".venv/bin/python"), "manage.py", "run_worker", "--queue-name", "*"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def _drain_queue(timeout: float = 900) -> None:
    """Wait until the tasks queued before the run (seed_demo's policy re-matches) are done, so that the timed
    rounds share the machine with the home cards' recounts alone."""
    from django_tasks_db.models import DBTaskResult

    t0 = time.perf_counter()
    waiting = DBTaskResult.objects.filter(status__in=["READY", "RUNNING"])
    while waiting.exists():
        if time.perf_counter() - t0 > timeout:
            raise SystemExit(f"{waiting.count()} queued tasks still unfinished after {timeout:.0f} s (see worker.log)")
        time.sleep(1)
    if time.perf_counter() - t0 > 1:
        print(f"ran the tasks queued before the run in {time.perf_counter() - t0:.0f} s")


def _recounts_since(started) -> str:
    from django_tasks_db.models import DBTaskResult

    runs = DBTaskResult.objects.filter(task_path="qinqing.core.tasks.refresh_home_cards", enqueued_at__gte=started)
    return ", ".join(f"{n} {status.lower()}" for status, n in sorted(_by_status(runs).items())) or "none"


def _by_status(runs) -> dict:
    from django.db.models import Count

    return dict(runs.values_list("status").annotate(n=Count("id")).values_list("status", "n"))


def _start_server(port: int, workers: int, scratch: Path, env: dict) -> subprocess.Popen:
    log = open(scratch / "gunicorn.log", "w")  # noqa: SIM115 -- kept open for the server's lifetime
    # deploy/systemd/qinqing-web.service's command line (sync workers, its access-log format, no control socket:
    # gunicorn's default one is a fixed path that two runs at once would share), on a free port.
    return subprocess.Popen(
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
            ACCESS_LOG_FORMAT,
            "--no-control-socket",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def _wait(port: int) -> None:
    import requests

    for _ in range(120):
        try:
            requests.get(f"http://127.0.0.1:{port}/accounts/login/", timeout=2)
            return
        except requests.RequestException:
            time.sleep(0.5)
    raise SystemExit("the server did not start (see gunicorn.log in the scratch directory)")


def _request_bytes(port: int, path: str, cookie: tuple[str, str]) -> bytes:
    name, value = cookie
    return (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: {name}={value}\r\nConnection: close\r\n\r\n".encode()
    )


def _fetch(port: int, request: bytes) -> bytes:
    """One request on its own connection (gunicorn's sync workers close each one), read to the end."""
    with socket.create_connection(("127.0.0.1", port), timeout=120) as s:
        s.sendall(request)
        chunks = []
        while chunk := s.recv(262144):
            chunks.append(chunk)
    return b"".join(chunks)


def _requests_fetch(port: int, path: str, cookie: tuple[str, str]):
    """The same request through a requests.Session (for comparing the clients' CPU): the status line and body."""
    import requests

    session = requests.Session()
    session.cookies.set(*cookie)

    def fetch() -> bytes:
        r = session.get(f"http://127.0.0.1:{port}{path}", timeout=120, allow_redirects=False)
        return f"HTTP/1.1 {r.status_code} ".encode() + r.content

    return fetch


def _is_page(response: bytes, mark: bytes) -> bool:
    return response.startswith(b"HTTP/1.1 200 ") and mark in response


def _load(
    port: int,
    cookie: tuple[str, str],
    clients: int,
    total: int,
    pages: dict[str, str],
    http_client: str,
    rounds: int = 4,
) -> dict:
    """Rounds of bursts: in each round every page in turn gets ``clients`` concurrent clients making
    ``total / rounds / clients`` requests each, so each page is measured under the same concurrency, alone,
    and the pages alternate through the run (load that comes and goes falls on all of them)."""
    per_client = max(1, total // rounds // clients)
    times: dict[str, list[float]] = {p: [] for p in pages}
    errors = dict.fromkeys(pages, 0)
    wall = dict.fromkeys(pages, 0.0)
    lock = threading.Lock()
    # The clients share the two cores with the servers: each request is one socket, the request's bytes built
    # once, and the response checked with two byte searches (status line, the page's title) — no HTTP library
    # parsing headers and decoding the body in Python (requests cost ~0.5 ms of the clients' CPU a request).
    requests_of = {path: _request_bytes(port, path, cookie) for path in pages.values()}
    marks = {path: f"<title>{TITLES[page]} - 亲清</title>".encode() for page, path in pages.items()}

    def burst(page: str, path: str) -> None:
        request, mark = requests_of[path], marks[path]
        fetch = (lambda: _fetch(port, request)) if http_client == "socket" else _requests_fetch(port, path, cookie)
        for _ in range(per_client):
            t0 = time.perf_counter()
            try:
                ok = _is_page(fetch(), mark)
            except OSError:
                ok = False  # counted as an error; the run (and the server's shutdown) goes on
            ms = (time.perf_counter() - t0) * 1000
            with lock:
                times[page].append(ms)
                errors[page] += not ok

    wrong: list[str] = []

    def warm(path: str) -> None:
        for _ in range(3):
            if not _is_page(_fetch(port, requests_of[path]), marks[path]):
                wrong.append(path)

    # Warm-up, not measured: each page gets the clients at once, so that every worker (not only the one that
    # happens to accept a lone request) has served it and holds its database connection.
    for path in pages.values():
        threads = [threading.Thread(target=warm, args=(path,)) for _ in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    if wrong:
        raise SystemExit(f"{sorted(set(wrong))} did not answer with their page (signed in? see gunicorn.log)")
    cpu0 = time.process_time()
    for _ in range(rounds):
        for page, path in pages.items():
            threads = [threading.Thread(target=burst, args=(page, path)) for _ in range(clients)]
            t0 = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            wall[page] += time.perf_counter() - t0
    if any(errors.values()):
        print(f"errors (see gunicorn.log): {errors}")
    done = sum(len(t) for t in times.values())
    print(
        f"the clients' own CPU ({http_client}): {(time.process_time() - cpu0) / done * 1000:.2f} ms a request ({done} requests)"
    )
    return {p: (times[p], errors[p], wall[p]) for p in pages}


if __name__ == "__main__":
    main()
