# ruff: noqa: E501 -- benchmark script: report lines kept on one line
"""Province-scale load test: PostgreSQL filled with the province profile, driven over HTTP by Locust.

    .venv/bin/python bench/province/run.py --lock /work/bench.lock            # the full profile (about an hour to generate)
    .venv/bin/python bench/province/run.py --enterprises 30000 --scale 0.02 --seed-profile county \\
        --users 20 --duration 60 --servers 1 --db postgres://postgres@127.0.0.1:5432/qq_bench_province  # minutes

1. Data (outside any lock, niced): the database (``--db``, created when missing) is migrated and seeded with
   ``seed_demo --profile`` when empty; then ``generate.py`` multiplies the demo's rows inside PostgreSQL up to
   ``--enterprises`` enterprises and, times ``--scale``, 300,000 appeals a year for two years, 20,000 chambers and
   500 policies (never fewer than the demo has), and rebuilds indexes, rollups, statistics and the search index.
   Bench accounts (county staff, department liaisons, enterprises, leaders) are made through the accounts action
   (so the audit chain stays valid), with a session each, and a 10,000-row enterprise import file is written:
   half changes to enterprises in the importing county, half new ones.
2. Load (under ``--lock`` when given, one hold per server count): for each ``--servers`` count, that many
   gunicorn instances (sync workers, ``--workers`` each, persistent database connections as scripts/serve.sh
   runs them) on free local ports and one background worker (``run_worker``); Locust (locustfile.py) runs
   ``--users`` users for ``--duration`` seconds dealt round-robin over the servers. At the start of the run the
   import (preview, then commit) and a province-wide policy matching run are started through the pages and
   left to the worker; their times are read from their jobs.
3. Report: requests/s and p50/p95/p99 per page (Locust's numbers), failures, the background jobs, CPU seconds
   of the application servers, the worker, PostgreSQL and Locust, the load average, database and table sizes,
   and where the database time went: statements slower than ``--slow-ms`` from PostgreSQL's log
   (``log_min_duration_statement`` set for this database only), grouped by shape, with the plan of the slowest
   of each (``auto_explain`` loaded for this database's sessions). Written to the scratch directory as
   results.json and report.md; every figure is also printed.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import fcntl
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(HERE))

import machine  # noqa: E402
import pages  # noqa: E402

PROFILE = {"appeals": 600_000, "chambers": 20_000, "policies": 500}  # two years of 300,000 appeals
PASSWORD = "Bench@Province2026!"
WORDS = ["洞庭", "恒信", "食品", "科技", "华容", "物流"]
POLICY_WORDS = ["融资", "补贴", "科技", "人才", "专精特新", "税收"]
PG_LOG = Path("/var/log/postgresql/postgresql-15-main.log")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="postgres://postgres@127.0.0.1:5432/qq_prov_bench")
    parser.add_argument("--enterprises", type=int, default=3_000_000)
    parser.add_argument(
        "--scale", type=float, default=1.0, help="appeals, chambers and policies as a share of the province profile"
    )
    parser.add_argument(
        "--member-share", type=float, default=0.1, help="share of generated enterprises that are members"
    )
    parser.add_argument("--seed-profile", default="province", help="seed_demo profile for an empty database")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--duration", type=int, default=180, help="seconds of load per server count")
    parser.add_argument("--servers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers per server (scripts/serve.sh: 3)")
    parser.add_argument("--think", default="2,8", help="seconds a user waits between pages: min,max")
    parser.add_argument("--import-rows", type=int, default=10_000)
    parser.add_argument("--no-background", action="store_true", help="no import or matching during the load")
    parser.add_argument(
        "--job-wait", type=int, default=300, help="seconds to wait after the load for the import and matching jobs"
    )
    parser.add_argument("--slow-ms", type=int, default=100)
    parser.add_argument("--scratch", default=None)
    parser.add_argument("--lock", default=None, help="hold this flock (e.g. /work/bench.lock) during each load run")
    parser.add_argument("--generate-only", action="store_true")
    parser.add_argument("--no-page-profile", action="store_true", help="skip rendering every page once in-process")
    parser.add_argument("--drop", action="store_true", help="drop the database at the end")
    args = parser.parse_args()
    # A TERM (a timeout, a kill by pid) unwinds like Ctrl+C: servers stopped, log settings reset, lock released.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    scratch = machine.scratch_dir(args.scratch, "province")
    os.environ["DATABASE_URL"] = args.db
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("QINQING_MEDIA_ROOT", str(scratch / "media"))  # shared by every server of the run
    _ensure_database(args.db)
    import django

    django.setup()
    results: dict = {"command": " ".join([Path(sys.argv[0]).as_posix(), *sys.argv[1:]]), "scratch": str(scratch)}
    results["data"] = prepare_data(args)
    if args.generate_only:
        _write(scratch, results)
        return
    accounts = prepare_accounts(scratch)
    if not args.no_page_profile:
        with _held(args.lock):
            print(f"\nevery page once, one user at a time (in-process); {machine.state()}")
            results["single_user"] = pages.profile(accounts)
        _write(scratch, results)
    _log_settings(args, on=True)
    results["runs"] = []
    try:
        for servers in args.servers:
            import_file = scratch / f"import-{servers}.xlsx"
            if not args.no_background:  # a new file each run: its new enterprises are new again
                make_import_file(import_file, accounts["import_unit"], args.import_rows)
            results["runs"].append(load_run(args, servers, scratch, import_file))
            _write(scratch, results)
    finally:
        _log_settings(args, on=False)
    results["size"] = database_size()
    results["audit_after"] = _verify_audit()
    _write(scratch, results)
    print_report(results)
    if args.drop:
        from django.db import connections

        connections.close_all()
        _drop_database(args.db)


# ---------------------------------------------------------------------------------------------------- data


def _ensure_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("select 1 from pg_database where datname = %s", [name]).fetchone():
            conn.execute(f'create database "{name}"')


def _drop_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'drop database if exists "{name}" with (force)')
    print(f"dropped {name}")


def prepare_data(args) -> dict:
    import generate
    from django.core.management import call_command

    from qinqing.core.demo import tree_exists

    out: dict = {}
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    if not tree_exists():
        call_command("seed_demo", profile=args.seed_profile, verbosity=0)
        out["seed_seconds"] = round(time.perf_counter() - t0, 1)
        print(f"seeded the {args.seed_profile} demo in {out['seed_seconds']} s")
    before = generate.counts()
    targets = generate.Targets(
        enterprises=args.enterprises,
        appeals=round(PROFILE["appeals"] * args.scale),
        chambers=round(PROFILE["chambers"] * args.scale),
        policies=round(PROFILE["policies"] * args.scale),
        member_share=args.member_share,
    )
    print(f"targets: {targets}; {machine.state()}")
    if any(before[k] < getattr(targets, k) for k in ("enterprises", "appeals", "chambers", "policies")):
        t0 = time.perf_counter()
        out["generate_steps"] = {k: round(v, 1) for k, v in generate.generate(targets).items()}
        out["generate_seconds"] = round(time.perf_counter() - t0, 1)
        print(f"generated in {out['generate_seconds']} s; {machine.state()}")
    out["counts"] = generate.counts()
    out["audit"] = _verify_audit()
    print(f"rows: {out['counts']}; audit chain: {out['audit']}")
    return out


def _verify_audit() -> str:
    from io import StringIO

    from django.core.management import call_command

    buf = StringIO()
    try:
        call_command("verify_audit", stdout=buf, stderr=buf)
    except SystemExit as exc:  # the command exits non-zero on a broken chain
        return f"BROKEN (exit {exc.code}): {buf.getvalue().strip()[-300:]}"
    except Exception as exc:
        return f"BROKEN: {exc}"
    return buf.getvalue().strip().splitlines()[-1] if buf.getvalue().strip() else "ok"


def prepare_accounts(scratch: Path) -> dict:
    """Bench accounts per FIC node (a unit): staff, up to three department liaisons, ten enterprises; leaders;
    a session for each; sample objects in each scope for the pages that take an id."""
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.db import connection

    from qinqing.accounts.actions import create_user
    from qinqing.accounts.models import User
    from qinqing.appeals.models import AppealDomain, AppealType
    from qinqing.orgs.models import Organization
    from qinqing.policies.models import Policy

    t0 = time.perf_counter()
    rng = random.Random(2026)
    password_hash = make_password(PASSWORD)
    made = 0

    def account(username: str, role: str, org, enterprise=None) -> User:
        nonlocal made
        user = User.objects.filter(username=username).first()
        if user is None:
            user = create_user(
                username=username, name=f"压测{username[-6:]}", role=role, org=org, enterprise=enterprise,
                password=PASSWORD, password_hash=password_hash, must_change_password=False, validate_password=False,
            )  # fmt: skip
            made += 1
        return user

    def sample(sql: str, params: list, k: int) -> list[int]:
        with connection.cursor() as cur:
            cur.execute(sql, params)
            ids = [row[0] for row in cur.fetchall()]
        return rng.sample(ids, min(k, len(ids)))

    units, leaders, leader_users = [], [], []
    fics = list(Organization.objects.filter(kind="fic").order_by("path"))
    for fic in fics:
        if fic.parent_id is None or fic.children.filter(kind="fic").exists():
            leader = account(f"pb_leader_{fic.code}", "fic_leader", fic)
            leaders.append(_session(leader))
            leader_users.append(leader.username)
        firms = _firms(fic, rng)
        departments = list(
            Organization.objects.filter(kind="department", parent=fic, is_active=True).order_by("path")[:3]
        )
        if not firms or not departments:
            continue
        staff = account(f"pb_staff_{fic.code}", "fic_staff", fic)
        like = fic.path + "%"
        unit = {
            "fic": fic.code,
            "path": fic.path,
            "staff": _session(staff),
            "staff_user": staff.username,
            "departments": [
                {
                    "session": _session(account(f"pb_dept_{d.code}", "dept_liaison", d)),
                    "user": f"pb_dept_{d.code}",
                    "org_id": d.pk,
                    "appeals": sample(
                        "select id from appeals_appeal where lead_department_id = %s order by id desc limit 2000",
                        [d.pk],
                        30,
                    ),
                }
                for d in departments
            ],
            "enterprises": [
                {
                    "session": _session(account(f"pb_ent_{e.pk}", "enterprise", fic, e)),
                    "user": f"pb_ent_{e.pk}",
                    "id": e.pk,
                }
                for e in firms
            ],
            "appeals": sample(
                "select id from appeals_appeal where org_path like %s order by id desc limit 5000", [like], 50
            ),
            "enterprise_ids": sample(
                "select id from registry_enterprise where org_path like %s order by id desc limit 5000", [like], 50
            ),
            "chambers": sample(
                "select id from registry_chamber where org_path like %s order by id desc limit 2000", [like], 20
            ),
        }
        units.append(unit)
    root = next(f for f in fics if f.parent_id is None)
    province_staff = account(f"pb_staff_{root.code}", "fic_staff", root)
    county = max(
        (u for u in units if u["path"].count("/") >= 4), key=lambda u: len(u["enterprise_ids"]), default=units[-1]
    )
    accounts = {
        "cookie_name": settings.SESSION_COOKIE_NAME,
        "units": units,
        "leaders": leaders,
        "leader_users": leader_users,
        "province_staff": _session(province_staff),
        "import_unit": {"staff": county["staff"], "path": county["path"], "fic": county["fic"]},
        "words": WORDS,
        "policy_words": POLICY_WORDS,
        "policies": list(Policy.objects.filter(state="published").order_by("?").values_list("pk", flat=True)[:50]),
        "appeal_type": AppealType.objects.filter(is_active=True).order_by("pk").first().pk,
        "domain": AppealDomain.objects.filter(is_active=True).order_by("pk").first().pk,
    }
    (scratch / "accounts.json").write_text(json.dumps(accounts, ensure_ascii=False), encoding="utf-8")
    print(
        f"accounts: {len(units)} units, {len(leaders)} leaders, {made} accounts made ({time.perf_counter() - t0:.1f} s)"
    )
    return accounts


def _firms(fic, rng) -> list:
    from qinqing.registry.models import Enterprise

    ids = list(
        Enterprise.objects.filter(org_path=fic.path, is_provisional=False)
        .order_by("-id")
        .values_list("pk", flat=True)[:2000]
    )
    return list(Enterprise.objects.filter(pk__in=rng.sample(ids, min(10, len(ids)))).order_by("pk"))


def _session(user) -> str:
    """A signed-in session of ``user`` made in the session store (no login form: the throttles stay out)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils.module_loading import import_string

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = next(
        b for b in settings.AUTHENTICATION_BACKENDS if hasattr(import_string(b), "get_user")
    )
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store["qinqing_login_at"] = time.time()
    store.create()
    return store.session_key


def make_import_file(path: Path, unit: dict, rows: int) -> None:
    """Half the rows change enterprises of the importing county (their figures for the last year), half are
    new enterprises there; every column the import template has."""
    import xlsxwriter

    from qinqing.core.demo_tree import credit_code
    from qinqing.registry.importing.columns import ENTERPRISE_COLUMNS
    from qinqing.registry.models import Enterprise

    rng = random.Random(7)
    region = unit["fic"]
    existing = list(
        Enterprise.objects.filter(org_path=unit["path"], is_provisional=False, region_code=region)
        .order_by("-id")
        .values("credit_code", "name", "industry_code", "founded_on")[: rows // 2]
    )
    columns = [c for c in ENTERPRISE_COLUMNS if not c.computed]
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet()
    for j, c in enumerate(columns):
        ws.write_string(0, j, c.label)
    stamp = int(time.time()) % 1000  # new credit codes differ from one file to the next
    for i in range(1, rows + 1):
        old = existing[i - 1] if i <= len(existing) else None
        revenue = round(rng.lognormvariate(7, 1.5), 2)
        values = {
            "credit_code": old["credit_code"] if old else credit_code(region, f"Q{stamp:03d}{i % 100000:05d}"),
            "name": old["name"] if old else f"压测导入{stamp}-{i}号商贸有限公司",
            "region_code": region,
            "industry_code": (old or {}).get("industry_code") or rng.choice(["5121", "5211", "3911", "4710"]),
            "founded_on": str(
                (old or {}).get("founded_on")
                or f"{rng.randint(1995, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            ),
            "employees": rng.randint(1, 2000),
            "revenue_wan": revenue,
            "total_assets_wan": round(revenue * rng.uniform(0.5, 2), 2),
            "year": 2025,
            "tax_wan": round(revenue * 0.03, 2),
            "rd_spend_wan": round(revenue * 0.02, 2),
        }
        for j, c in enumerate(columns):
            v = values.get(c.key, "")
            if isinstance(v, int | float):
                ws.write_number(i, j, v)
            elif v:
                ws.write_string(i, j, v)
    wb.close()
    print(f"import file: {rows:,} rows ({len(existing):,} changes, {rows - len(existing):,} new) in {path}")


# ---------------------------------------------------------------------------------------------------- load


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env() -> dict:
    return dict(os.environ, DJANGO_DEBUG="0", TZ="Asia/Shanghai", PYTHONUNBUFFERED="1")


def start_servers(count: int, workers: int, scratch: Path) -> tuple[list[subprocess.Popen], list[str]]:
    """``count`` gunicorn instances as scripts/serve.sh starts them (sync workers; database connections kept
    for QINQING_DB_CONN_MAX_AGE), each on its own port, plus one background worker."""
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
    log = open(scratch / f"worker-{count}.log", "w")  # noqa: SIM115
    procs.append(
        subprocess.Popen(
            [str(ROOT / ".venv/bin/python"), "manage.py", "run_worker", "--queue-name", "*"],
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
    pages only: a figures page at the province's size would hold a worker for minutes)."""
    import requests

    unit = accounts["units"][0]
    firm = unit["enterprises"][0]["session"]
    pages = [(unit["staff"], "/"), (unit["staff"], "/appeals/"), (firm, "/"), (firm, "/policies/mine/")]
    for host in hosts:
        for _ in range(3):
            for session, path in pages:
                with contextlib.suppress(requests.RequestException):
                    requests.get(host + path, cookies={accounts["cookie_name"]: session}, timeout=120)


class Background(threading.Thread):
    """The import (preview, then commit) and a province-wide matching run, started through the pages at the
    start of the load; their durations are read from their jobs."""

    def __init__(self, host: str, accounts: dict, import_file: Path):
        super().__init__(daemon=True)
        self.host, self.accounts, self.import_file = host, accounts, import_file
        self.out: dict = {}

    def run(self):
        try:
            matching = self._post(self.accounts["province_staff"], "/policies/matching/", "/policies/matching/run/", {})
            self.out["matching_started"] = matching.status_code
            self._import()
        except Exception as exc:  # reported, not fatal: the load goes on
            self.out["error"] = repr(exc)

    def _client(self, session: str):
        import requests

        s = requests.Session()
        s.cookies.set(self.accounts["cookie_name"], session)
        return s

    def _post(self, session, form_page, action, data, files=None):
        s = self._client(session)
        page = s.get(self.host + form_page, timeout=120)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        return s.post(
            self.host + action,
            data={**data, "csrfmiddlewaretoken": token},
            files=files,
            timeout=300,
            allow_redirects=False,
        )

    def _import(self):
        staff = self.accounts["import_unit"]["staff"]
        with open(self.import_file, "rb") as fh:
            r = self._post(
                staff,
                "/registry/import/",
                "/registry/import/",
                {"kind": "enterprises"},
                files={"file": ("import.xlsx", fh)},
            )
        preview = int(re.search(r"/registry/import/(\d+)/", r.headers.get("Location", "")).group(1))
        job = _wait_job(preview)
        self.out["import_preview"] = _job_times(job)
        if job.status != "succeeded" or job.result.get("refused") or job.result.get("fatal"):
            self.out["import_refused"] = str(job.result)[:500]
            return
        r = self._post(staff, f"/registry/import/{preview}/", f"/registry/import/{preview}/", {"decision": "commit"})
        commit = int(re.search(r"/registry/import/(\d+)/", r.headers.get("Location", "")).group(1))
        job = _wait_job(commit)
        self.out["import_commit"] = _job_times(job)
        self.out["import_result"] = {k: v for k, v in job.result.items() if isinstance(v, int | float | str)}


def _wait_job(pk: int, timeout: float = 3600):
    """The job once it has finished, or as it stands after ``timeout`` seconds."""
    from django.db import close_old_connections

    from qinqing.core.models import Job

    t0 = time.time()
    while time.time() - t0 < timeout:
        close_old_connections()
        job = Job.objects.get(pk=pk)
        if job.status in ("succeeded", "failed"):
            return job
        time.sleep(1)
    return job


def _job_times(job) -> dict:
    out = {"status": job.status, "done": job.done, "total": job.total}
    if job.started_at and job.finished_at:
        out["seconds"] = round((job.finished_at - job.started_at).total_seconds(), 1)
    if job.started_at:
        out["queued_seconds"] = round((job.started_at - job.created_at).total_seconds(), 1)
    if job.error:
        out["error"] = job.error[-300:]
    return out


def _matching_job(since, timeout: float) -> dict:
    from qinqing.core.models import Job

    job = Job.objects.filter(kind="policies.match", created_at__gte=since).order_by("-pk").first()
    if job is None:
        return {"status": "not started"}
    job = _wait_job(job.pk, timeout=timeout)
    return _job_times(job)


def _cpu(procs: list[subprocess.Popen]) -> dict[str, float]:
    """CPU seconds so far: the application servers (master and workers), the background worker, PostgreSQL
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

    out = {"app servers": sum(tree(p.pid) for p in procs[:-1]), "background worker": tree(procs[-1].pid)}
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


@contextlib.contextmanager
def _held(path: str | None):
    """The machine-wide benchmark lock (flock) around a measurement, when one is named."""
    if not path:
        yield
        return
    with open(path, "a") as lock:
        t = time.perf_counter()
        fcntl.flock(lock, fcntl.LOCK_EX)
        print(f"\nholding {path} (waited {time.perf_counter() - t:.0f} s)")
        yield


def load_run(args, servers: int, scratch: Path, import_file: Path) -> dict:
    from django.db import connection
    from django.utils import timezone

    with _held(args.lock):
        accounts = json.loads((scratch / "accounts.json").read_text(encoding="utf-8"))
        procs, hosts = start_servers(servers, args.workers, scratch)
        try:
            warm_up(hosts, accounts)
            state_before = machine.state()
            print(f"{servers} server(s) × {args.workers} workers at {', '.join(hosts)}; {state_before}")
            log_offset = PG_LOG.stat().st_size if PG_LOG.exists() else 0
            seq_before = _seq_scans()
            cpu_before = _cpu(procs)
            started = timezone.now()
            background = None
            if not args.no_background:
                background = Background(hosts[-1], accounts, import_file)
                background.start()
            prefix = scratch / f"locust-{servers}"
            env = dict(
                os.environ,
                PROVINCE_ACCOUNTS=str(scratch / "accounts.json"),
                PROVINCE_HOSTS=",".join(hosts),
                PROVINCE_THINK=args.think,
            )
            _child_cpu()  # from here on the only child to finish is Locust
            t0 = time.perf_counter()
            locust = subprocess.run(
                [str(ROOT / ".venv/bin/locust"), "-f", str(HERE / "locustfile.py"), "--headless", "-u", str(args.users),
                 "-r", str(args.spawn_rate), "-t", f"{args.duration}s", "--csv", str(prefix), "--only-summary",
                 "--stop-timeout", "30", "--loglevel", "WARNING"],
                cwd=ROOT, env=env, capture_output=True, text=True,
            )  # fmt: skip
            wall = time.perf_counter() - t0
            cpu_after = _cpu(procs)
            state_after = machine.state()
            locust_cpu = _child_cpu()
            pages = read_locust(prefix)
            slow = slow_statements(log_offset, connection.settings_dict["NAME"], args.slow_ms)
            jobs = {}
            if background is not None:  # the lock is held meanwhile: at most --job-wait seconds more
                deadline = time.time() + args.job_wait
                background.join(timeout=args.job_wait)
                jobs = dict(background.out)
                jobs["matching"] = _matching_job(started, timeout=max(1, deadline - time.time()))
        finally:
            stop(procs)
    run = {
        "servers": servers,
        "workers": args.workers,
        "users": args.users,
        "think": args.think,
        "duration": args.duration,
        "wall": round(wall, 1),
        "state_before": state_before,
        "state_after": state_after,
        "pages": pages,
        "cpu_seconds": {k: round(cpu_after[k] - cpu_before.get(k, 0), 1) for k in cpu_after}
        | {"locust": round(locust_cpu, 1)},
        "jobs": jobs,
        "seq_scans": _seq_delta(seq_before, _seq_scans()),
        "slow": slow,
        "locust_rc": locust.returncode,
        "locust_tail": (locust.stderr or "")[-2000:],
    }
    print_run(run)
    return run


_child_cpu_seen = 0.0


def _child_cpu() -> float:
    """CPU seconds of the finished Locust process (children of this process), since the last call."""
    global _child_cpu_seen
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = usage.ru_utime + usage.ru_stime
    delta, _child_cpu_seen = total - _child_cpu_seen, total
    return delta


def read_locust(prefix: Path) -> list[dict]:
    path = Path(f"{prefix}_stats.csv")
    if not path.exists():
        return []
    rows = []
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            rows.append(
                {
                    "name": row["Name"] if row["Type"] != "" else "Aggregated",
                    "method": row["Type"],
                    "requests": int(row["Request Count"]),
                    "failures": int(row["Failure Count"]),
                    "rps": float(row["Requests/s"]),
                    "p50": float(row["50%"] or 0),
                    "p95": float(row["95%"] or 0),
                    "p99": float(row["99%"] or 0),
                    "max": float(row["Max Response Time"] or 0),
                }
            )
    failures = Path(f"{prefix}_failures.csv")
    if failures.exists():
        for row in csv.DictReader(failures.open(encoding="utf-8")):
            for r in rows:
                if r["name"] == row["Name"]:
                    r.setdefault("errors", []).append(f"{row['Occurrences']}× {row['Error'][:120]}")
    return rows


# ---------------------------------------------------------------------------------------------------- database


def _log_settings(args, *, on: bool) -> None:
    """Slow statements and their plans logged for this database only (new sessions pick it up)."""
    from django.db import connection

    name = connection.settings_dict["NAME"]
    with connection.cursor() as cur:
        if on:
            cur.execute(f'alter database "{name}" set log_min_duration_statement = {int(args.slow_ms)}')
            cur.execute(f"alter database \"{name}\" set session_preload_libraries = 'auto_explain'")
            cur.execute(f"alter database \"{name}\" set auto_explain.log_min_duration = '{int(args.slow_ms) * 2}ms'")
            cur.execute(f'alter database "{name}" set auto_explain.log_analyze = on')
            cur.execute(f'alter database "{name}" set auto_explain.log_timing = off')
        else:
            for setting in ("log_min_duration_statement", "session_preload_libraries", "auto_explain.log_min_duration",
                            "auto_explain.log_analyze", "auto_explain.log_timing"):  # fmt: skip
                cur.execute(f'alter database "{name}" reset {setting}')


def _seq_scans() -> dict[str, tuple[int, int]]:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("select relname, seq_scan, coalesce(seq_tup_read, 0) from pg_stat_user_tables")
        return {r[0]: (r[1], r[2]) for r in cur.fetchall()}


def _seq_delta(before, after) -> list[dict]:
    rows = []
    for table, (scans, tuples) in after.items():
        s0, t0 = before.get(table, (0, 0))
        if tuples - t0 > 0:
            rows.append({"table": table, "seq_scans": scans - s0, "rows_read": tuples - t0})
    return sorted(rows, key=lambda r: -r["rows_read"])[:10]


_DURATION = re.compile(
    r"^\S+ \S+ \S+ \[\d+\] \S*@(\S+) LOG:  duration: ([\d.]+) ms  (statement|execute [^:]*|plan):\s?(.*)$"
)


def _shape(sql: str) -> str:
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"\b\d+(\.\d+)?\b", "?", sql)
    sql = re.sub(r"\$\d+", "?", sql)
    sql = re.sub(r"\(\s*\?(?:\s*,\s*\?)*\s*\)", "(…)", sql)
    return re.sub(r"\s+", " ", sql).strip()


def slow_statements(offset: int, dbname: str, slow_ms: int, top: int = 8) -> dict:
    """Statements of this database slower than ``slow_ms`` logged since ``offset``, grouped by shape (constants
    blanked): count, total and worst milliseconds, the worst statement and its plan (auto_explain)."""
    if not PG_LOG.exists():
        return {"note": f"{PG_LOG} not found"}
    groups: dict[str, dict] = {}
    plans: list[tuple[float, str]] = []
    current: list | None = None
    with PG_LOG.open(encoding="utf-8", errors="replace") as fh:
        fh.seek(offset)
        for line in fh:
            m = _DURATION.match(line.rstrip("\n"))
            if m:
                current = None
                db, ms, kind, text = m.group(1), float(m.group(2)), m.group(3), m.group(4)
                if db != dbname:
                    continue
                if kind == "plan":
                    current = [ms, [text]]
                    plans.append(current)
                    continue
                g = groups.setdefault(_shape(text), {"count": 0, "total_ms": 0.0, "max_ms": 0.0, "example": ""})
                g["count"] += 1
                g["total_ms"] += ms
                if ms >= g["max_ms"]:
                    g["max_ms"], g["example"] = ms, text
            elif current is not None and (line.startswith("\t") or line.startswith(" ")):
                current[1].append(line.rstrip("\n"))
            else:
                current = None
    ranked = sorted(groups.items(), key=lambda kv: -kv[1]["total_ms"])[:top]
    plan_by_query = []
    for ms, lines in plans:
        text = "\n".join(lines)
        q = re.search(r"Query Text: (.*)", text)
        plan_by_query.append((ms, _shape(q.group(1)) if q else "", text))
    out = []
    for shape, g in ranked:
        plan = max(
            (p for p in plan_by_query if p[1] and (p[1].startswith(shape[:200]) or shape.startswith(p[1][:200]))),
            default=None,
            key=lambda p: p[0],
        )
        out.append({"shape": shape[:600], "count": g["count"], "total_ms": round(g["total_ms"]), "max_ms": round(g["max_ms"]),
                    "example": g["example"][:1500], "plan": plan[2][:6000] if plan else ""})  # fmt: skip
    return {"threshold_ms": slow_ms, "statements": sum(g["count"] for g in groups.values()), "top": out}


def database_size() -> dict:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("select pg_database_size(current_database())")
        total = cur.fetchone()[0]
        cur.execute(
            "select c.relname, pg_total_relation_size(c.oid), pg_relation_size(c.oid), c.reltuples::bigint from pg_class c "
            "join pg_namespace n on n.oid = c.relnamespace where c.relkind = 'r' and n.nspname = current_schema() "
            "order by 2 desc limit 12"
        )
        tables = [
            {"table": r[0], "total_mb": round(r[1] / 2**20), "heap_mb": round(r[2] / 2**20), "rows": r[3]}
            for r in cur.fetchall()
        ]
    return {"total_mb": round(total / 2**20), "tables": tables}


# ---------------------------------------------------------------------------------------------------- report


def _write(scratch: Path, results: dict) -> None:
    (scratch / "results.json").write_text(
        json.dumps(results, ensure_ascii=False, indent=1, default=str), encoding="utf-8"
    )
    (scratch / "report.md").write_text(report_md(results), encoding="utf-8")


def print_run(run: dict) -> None:
    print(
        f"\n{run['servers']} server(s) × {run['workers']} sync workers, {run['users']} users, think {run['think']} s, {run['duration']} s"
    )
    print(f"before: {run['state_before']}\nafter:  {run['state_after']}")
    print(f"{'page':30} {'requests':>8} {'fail':>5} {'req/s':>6} {'p50':>6} {'p95':>6} {'p99':>6} {'max':>7}")
    for p in run["pages"]:
        print(
            f"{p['name'][:30]:30} {p['requests']:8d} {p['failures']:5d} {p['rps']:6.2f} {p['p50']:6.0f} {p['p95']:6.0f} {p['p99']:6.0f} {p['max']:7.0f}"
        )
        for e in p.get("errors", [])[:3]:
            print(f"    {e}")
    print(f"CPU seconds: {run['cpu_seconds']}")
    print(f"background jobs: {json.dumps(run['jobs'], ensure_ascii=False)}")
    print(f"sequential scans: {run['seq_scans'][:5]}")
    slow = run["slow"]
    print(f"statements over {slow.get('threshold_ms')} ms: {slow.get('statements')}")
    for s in slow.get("top", [])[:5]:
        print(f"  {s['count']:5d}× total {s['total_ms']:7d} ms, worst {s['max_ms']:6d} ms: {s['shape'][:160]}")
    if run["locust_rc"] not in (0, 1):
        print(f"locust exited {run['locust_rc']}: {run['locust_tail']}")


def print_report(results: dict) -> None:
    size = results.get("size", {})
    print(f"\ndatabase: {size.get('total_mb', 0):,} MB; {results['data'].get('counts')}")
    for t in size.get("tables", []):
        print(f"  {t['table']:40} {t['total_mb']:7,} MB ({t['heap_mb']:,} MB heap) {t['rows']:>12,} rows")
    print(f"audit chain after the load: {results.get('audit_after')}")
    print(f"\nresults: {results['scratch']}/results.json and report.md")


def report_md(results: dict) -> str:
    lines = [f"`{results['command']}`", ""]
    data = results.get("data", {})
    lines.append(f"Rows: {data.get('counts')}; audit chain: {data.get('audit')}")
    if data.get("generate_seconds"):
        lines.append(f"Generated in {data['generate_seconds']} s: {data.get('generate_steps')}")
    for run in results.get("runs", []):
        lines += ["", f"### {run['servers']} application server(s) × {run['workers']} sync workers, {run['users']} users, think {run['think']} s, {run['duration']} s",
                  "", f"{run['state_before']} → {run['state_after']}", "",
                  "| page | requests | failures | req/s | p50 ms | p95 ms | p99 ms | max ms |", "|---|---:|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
        for p in run["pages"]:
            lines.append(
                f"| {p['name']} | {p['requests']} | {p['failures']} | {p['rps']:.2f} | {p['p50']:.0f} | {p['p95']:.0f} | {p['p99']:.0f} | {p['max']:.0f} |"
            )
        lines += [
            "",
            f"CPU seconds: {run['cpu_seconds']}",
            "",
            f"Background jobs: {json.dumps(run['jobs'], ensure_ascii=False)}",
            "",
        ]
        lines.append(f"Statements over {run['slow'].get('threshold_ms')} ms: {run['slow'].get('statements')}")
        for s in run["slow"].get("top", []):
            lines += ["", f"- {s['count']}× total {s['total_ms']} ms, worst {s['max_ms']} ms: `{s['shape'][:300]}`"]
            if s["plan"]:
                lines += ["", "```", s["plan"][:3000], "```"]
    if results.get("audit_after"):
        lines += ["", f"Audit chain after the load: {results['audit_after']}"]
    size = results.get("size")
    if size:
        lines += [
            "",
            f"Database size: {size['total_mb']:,} MB",
            "",
            "| table | total MB | heap MB | rows |",
            "|---|---:|---:|---:|",
        ]
        lines += [f"| {t['table']} | {t['total_mb']:,} | {t['heap_mb']:,} | {t['rows']:,} |" for t in size["tables"]]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
