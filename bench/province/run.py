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
   runs them) on free local ports and ``--background-workers`` background workers (``run_worker``); Locust (locustfile.py) runs
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
import fcntl
import json
import os
import re
import signal
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
from accounts import accounts_for_run, make_import_file, prepare_accounts  # noqa: E402
from dbstats import database_size, deployment_settings, log_settings, seq_delta, seq_scans, slow_statements  # noqa: E402
from report import print_report, print_run, read_locust, write_results  # noqa: E402
from servers import child_cpu, process_cpu, start_servers, stop, warm_up  # noqa: E402

PROFILE = {"appeals": 600_000, "chambers": 20_000, "policies": 500}  # two years of 300,000 appeals
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
    parser.add_argument(
        "--background-workers", type=int, default=2, help="run_worker processes (the import beside the matching run)"
    )
    parser.add_argument(
        "--worker-nice", type=int, default=10, help="niceness of the background workers (deploy/: 10; 0 to compare)"
    )
    parser.add_argument(
        "--jit", choices=["on", "off"], default="off", help="PostgreSQL jit for the database (docs/deployment.md: off)"
    )
    parser.add_argument(
        "--bulk-read-concurrency",
        type=int,
        default=None,
        help="QINQING_BULK_READ_CONCURRENCY for the servers and workers (how many of the matching run's reads run "
        "at once on the primary; the platform's default 0 = all; docs/jobs.md advises 1 for a primary that serves "
        "the pages without a replica)",
    )
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
    if args.bulk_read_concurrency is not None:  # the servers and workers inherit this environment (servers._env)
        os.environ["QINQING_BULK_READ_CONCURRENCY"] = str(args.bulk_read_concurrency)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("QINQING_MEDIA_ROOT", str(scratch / "media"))  # shared by every server of the run
    _ensure_database(args.db)
    import django

    django.setup()
    results: dict = {"command": " ".join([Path(sys.argv[0]).as_posix(), *sys.argv[1:]]), "scratch": str(scratch)}
    results["data"] = prepare_data(args)
    if args.generate_only:
        write_results(scratch, results)
        return
    accounts = prepare_accounts(scratch, runs=len(args.servers))
    if not args.no_page_profile:
        with _held(args.lock):
            print(f"\nevery page once, one user at a time (in-process); {machine.state()}")
            results["single_user"] = pages.profile(accounts)
        write_results(scratch, results)
    deployment_settings(args.jit)
    log_settings(args, on=True)
    results["runs"] = []
    try:
        for run, servers in enumerate(args.servers):
            import_file = scratch / f"import-run{run + 1}.xlsx"
            if not args.no_background:  # a new file each run: its new enterprises are new again
                make_import_file(import_file, accounts["import_unit"], args.import_rows)
            results["runs"].append(load_run(args, servers, scratch, import_file, run))
            write_results(scratch, results)
    finally:
        log_settings(args, on=False)
    results["size"] = database_size()
    results["audit_after"] = _verify_audit()
    write_results(scratch, results)
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
    out["dropped_policy_rematches"] = _drop_policy_rematches()
    print(f"rows: {out['counts']}; audit chain: {out['audit']}")
    return out


def _close_unfinished(since) -> None:
    """Jobs of this run still queued or running when its workers stop (a province matching run takes longer than
    the wait) are closed as failed, with their task results, so the next run's workers do not resume them on
    top of their own; the report already shows them as unfinished."""
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from qinqing.core.models import Job

    unfinished = Job.objects.filter(created_at__gte=since, status__in=[Job.Status.QUEUED, Job.Status.RUNNING])
    for job in unfinished:
        DBTaskResult.objects.filter(pk=job.task_result_id or None).delete()
    unfinished.update(status=Job.Status.FAILED, error="压测结束时未完成", finished_at=timezone.now())


def _drop_policy_rematches() -> int:
    """Re-matches of single policies left in the task queue (seed_demo queues one per demo policy; a killed run
    leaves its own): at 3 M enterprises each holds a worker for a minute or more, so 21 of them kept both
    background workers busy through a whole load run (2026-12-07) and the import never started. The matching
    run of the load's mix recomputes every policy for the province, so they are dropped, and counted."""
    from django_tasks_db.models import DBTaskResult

    stale = DBTaskResult.objects.filter(
        task_path="qinqing.policies.tasks.rematch_policy_task", status__in=["READY", "RUNNING"]
    )
    dropped, _ = stale.delete()
    if dropped:
        print(f"dropped {dropped} queued policy re-match tasks (the load's matching run recomputes every policy)")
    return dropped


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


# ---------------------------------------------------------------------------------------------------- load


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


def load_run(args, servers: int, scratch: Path, import_file: Path, run: int = 0) -> dict:
    from django.db import connection
    from django.utils import timezone

    with _held(args.lock):
        # Each run its own enterprises (accounts.prepare_accounts): the per-enterprise submission throttle
        # never sees an earlier run's appeals, so a refused submission is a failure of the run.
        accounts = accounts_for_run(json.loads((scratch / "accounts.json").read_text(encoding="utf-8")), run)
        accounts_file = scratch / f"accounts-run{run + 1}.json"
        accounts_file.write_text(json.dumps(accounts, ensure_ascii=False), encoding="utf-8")
        procs, hosts = start_servers(servers, args.workers, scratch, args.background_workers, args.worker_nice)
        started = timezone.now()
        try:
            warm_up(hosts, accounts)
            state_before = machine.state()
            print(f"{servers} server(s) × {args.workers} workers at {', '.join(hosts)}; {state_before}")
            log_offset = PG_LOG.stat().st_size if PG_LOG.exists() else 0
            seq_before = seq_scans()
            cpu_before = process_cpu(procs)
            background = None
            if not args.no_background:
                background = Background(hosts[-1], accounts, import_file)
                background.start()
            prefix = scratch / f"locust-run{run + 1}-{servers}"
            env = dict(
                os.environ,
                PROVINCE_ACCOUNTS=str(accounts_file),
                PROVINCE_HOSTS=",".join(hosts),
                PROVINCE_THINK=args.think,
            )
            child_cpu()  # from here on the only child to finish is Locust
            t0 = time.perf_counter()
            locust = subprocess.run(
                [str(ROOT / ".venv/bin/locust"), "-f", str(HERE / "locustfile.py"), "--headless", "-u", str(args.users),
                 "-r", str(args.spawn_rate), "-t", f"{args.duration}s", "--csv", str(prefix), "--only-summary",
                 "--stop-timeout", "30", "--loglevel", "WARNING"],
                cwd=ROOT, env=env, capture_output=True, text=True,
            )  # fmt: skip
            wall = time.perf_counter() - t0
            cpu_after = process_cpu(procs)
            state_after = machine.state()
            locust_cpu = child_cpu()
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
            _close_unfinished(started)
    run = {
        "servers": servers,
        "workers": args.workers,
        "background_workers": args.background_workers,
        "worker_nice": args.worker_nice,
        "bulk_read_concurrency": int(os.environ.get("QINQING_BULK_READ_CONCURRENCY", "0") or 0),
        "jit": args.jit,
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
        "seq_scans": seq_delta(seq_before, seq_scans()),
        "slow": slow,
        "locust_rc": locust.returncode,
        "locust_tail": (locust.stderr or "")[-2000:],
    }
    print_run(run)
    return run


# ---------------------------------------------------------------------------------------------------- database


# ---------------------------------------------------------------------------------------------------- report


if __name__ == "__main__":
    main()
