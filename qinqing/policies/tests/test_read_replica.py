"""The matching read goes to a streaming replica when one is configured and caught up, and to the primary inside
a transaction, when the replica lags, and when it stops (core.bulkread.read_source; issue 16 §3)."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from django.db import transaction

from qinqing.core import bulkread, replica
from qinqing.core.tests.test_replica import ROOT, _run, clusters, platform_env  # noqa: F401 -- the fixture

# --- the choice of database --------------------------------------------------------------------------


@pytest.fixture
def healthy_replica(monkeypatch):
    monkeypatch.setattr(replica, "configured", lambda: True)
    monkeypatch.setattr(replica, "healthy", lambda: True)


def test_given_a_caught_up_replica_when_the_run_reads_then_the_replica_serves(healthy_replica, monkeypatch):
    monkeypatch.setattr(bulkread, "_caught_up", lambda: True)
    assert bulkread.read_source() == "default"  # outside replica_reads(): the primary
    with replica.replica_reads():
        assert bulkread.read_source() == replica.REPLICA


@pytest.mark.django_db
def test_given_a_lagging_replica_or_a_transaction_when_reading_then_the_primary_serves(healthy_replica, monkeypatch):
    monkeypatch.setattr(bulkread, "_caught_up", lambda: False)
    with replica.replica_reads():
        assert bulkread.read_source() == "default"
    monkeypatch.setattr(bulkread, "_caught_up", lambda: True)
    with transaction.atomic(), replica.replica_reads():  # rows this transaction wrote are on the primary only
        assert bulkread.read_source() == "default"


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_given_a_replica_that_fails_during_the_read_when_reading_then_the_primary_serves(tree, monkeypatch):
    from qinqing.eligibility.attributes import read_frame
    from qinqing.registry.models import Enterprise

    Enterprise.objects.create(credit_code="91430621MA4R000001", name="副本读取企业", fic=tree.county_a,
                              org_path=tree.county_a.path, employees=7)  # fmt: skip
    expected = read_frame(tree.county_a.path)
    primary = bulkread._conninfo
    monkeypatch.setattr(bulkread, "read_source", lambda: replica.REPLICA)
    monkeypatch.setattr(
        bulkread, "_conninfo", lambda alias="default": "host=127.0.0.1 port=1" if alias != "default" else primary()
    )
    monkeypatch.setattr(replica, "_down_until", 0.0)
    assert read_frame(tree.county_a.path).equals(expected)
    assert replica._down_until > time.monotonic()  # left alone for its retry period


# --- a real primary and streaming replica -------------------------------------------------------------

CHECK = r"""
import re, sys, django
django.setup()
from qinqing.core import bulkread
from qinqing.orgs.actions import create_organization
from qinqing.policies.matching import run_matching
from qinqing.registry.models import Enterprise

ports = []
fetch = bulkread._fetch_csv


def fetch_noting_the_port(conninfo, sql):
    ports.append(re.search(r"port=(\d+)", conninfo).group(1))
    return fetch(conninfo, sql)


bulkread._fetch_csv = fetch_noting_the_port
phase, primary_port, replica_port = sys.argv[1:]
if phase == "running":
    org = create_organization(kind="fic", name="副本匹配工商联", region_code="430000", parent=None)
else:
    from qinqing.orgs.models import Organization
    org = Organization.objects.get()

for _ in range(2):  # each run right after a commit: the read waits for the replica to replay it
    start = Enterprise.objects.count()
    Enterprise.objects.bulk_create(
        Enterprise(credit_code=f"91430000MA4R{start + i:06d}", name=f"副本企业{start + i}", fic=org,
                   org_path=org.path, employees=i) for i in range(10)
    )
    ports.clear()
    run = run_matching(org.path, policies=[])
    assert run.enterprises == start + 10, (run.enterprises, start + 10)
    want = replica_port if phase == "running" else primary_port
    assert ports and set(ports) == {want}, (ports, want)
print("read from", phase == "running" and "replica" or "primary")
"""


@pytest.mark.postgres_only
def test_given_a_streaming_replica_when_matching_then_read_there_and_from_the_primary_once_it_stops(
    clusters,  # noqa: F811
    tmp_path,
):
    env = platform_env(clusters, tmp_path)
    ports = [str(p) for p in clusters.ports]
    _run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env)
    assert "read from replica" in _run([sys.executable, "-c", CHECK, "running", *ports], cwd=ROOT, env=env).stdout
    _run(["pg_ctlcluster", clusters.version, clusters.standby, "stop"])
    result = subprocess.run([sys.executable, "-c", CHECK, "stopped", *ports], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)  # fmt: skip
    assert "read from primary" in result.stdout, result.stderr[-3000:]
