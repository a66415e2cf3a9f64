"""A bulk read's queries on the primary run at most QINQING_BULK_READ_CONCURRENCY at a time (0: all at once), so a
matching run on a primary that also serves the pages can keep to one core (docs/jobs.md, "CPU priority")."""

import threading
import time

from qinqing.core import bulkread

QUERIES = ["q1", "q2", "q3"]


def test_given_a_concurrency_of_one_when_fetching_then_the_queries_run_one_after_another_in_order():
    lock, active, most = threading.Lock(), [0], [0]

    def fetch(conninfo, sql):
        with lock:
            active[0] += 1
            most[0] = max(most[0], active[0])
        time.sleep(0.05)
        with lock:
            active[0] -= 1
        return f"{conninfo}:{sql}"

    assert bulkread._fetch_all(fetch, "db", QUERIES, 1) == ["db:q1", "db:q2", "db:q3"]
    assert most[0] == 1


def test_given_no_limit_when_fetching_then_every_query_runs_at_once():
    everyone = threading.Barrier(len(QUERIES), timeout=10)  # broken unless all three wait here together

    def fetch(conninfo, sql):
        everyone.wait()
        return sql

    assert bulkread._fetch_all(fetch, "db", QUERIES, 0) == QUERIES


def test_given_the_setting_then_it_limits_the_primary_and_never_the_replica(settings):
    settings.QINQING_BULK_READ_CONCURRENCY = 1
    assert bulkread._concurrency("default") == 1
    assert bulkread._concurrency("replica") == 0  # another machine: its reads take no core from the pages
    settings.QINQING_BULK_READ_CONCURRENCY = 0
    assert bulkread._concurrency("default") == 0
