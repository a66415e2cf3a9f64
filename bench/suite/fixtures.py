"""Time the shared `tree` + `users` test fixtures' work, audit rows written one by one (as before 1b7ed10) against
written together (conftest._audit_rows_together), alternated in one process; each build rolled back.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qq_suite_probe .venv/bin/python bench/suite/fixtures.py 15

(the database must exist and be migrated: ``manage.py migrate``; without DATABASE_URL it runs on the SQLite file).
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django  # noqa: E402

django.setup()
from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

import conftest  # noqa: E402
from qinqing.accounts.actions import create_user  # noqa: E402
from qinqing.orgs.actions import create_organization  # noqa: E402
from qinqing.registry.models import Enterprise  # noqa: E402

settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
settings.QINQING_AUDIT_SYSLOG = ""


def make(username, role, org, **extra):
    return create_user(
        username=username,
        name=username,
        role=role,
        org=org,
        password=conftest.PASSWORD,
        must_change_password=False,
        **extra,
    )


def build(together: bool):
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        if together:
            with conftest._audit_rows_together():
                tree = conftest._make_tree(create_organization, Enterprise)
            with conftest._audit_rows_together():
                conftest._make_users(make, tree)
        else:
            tree = conftest._make_tree(create_organization, Enterprise)
            conftest._make_users(make, tree)
        transaction.set_rollback(True)
    return time.perf_counter() - started, len(queries.captured_queries)


runs = {False: [], True: []}
counts = {}
build(False), build(True)  # warm-up
for _ in range(int(sys.argv[1]) if len(sys.argv) > 1 else 15):
    for together in (False, True):
        seconds, n = build(together)
        runs[together].append(seconds * 1000)
        counts[together] = n
for together, label in ((False, "one by one (before)"), (True, "together (after)")):
    ms = sorted(runs[together])
    print(
        f"tree+users, audit rows {label}: {counts[together]} queries, "
        f"median {statistics.median(ms):.1f} ms, best {ms[0]:.1f}, worst {ms[-1]:.1f} ms (n={len(ms)})"
    )
print(f"vendor {connection.vendor}")
