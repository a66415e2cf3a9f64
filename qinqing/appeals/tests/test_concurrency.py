"""Parallel transitions on one appeal: exactly one wins (PostgreSQL row lock), the others get a Chinese error."""

import threading

import pytest
from django.db import close_old_connections, connection

from qinqing.appeals import actions
from qinqing.appeals import workflow as wf
from qinqing.appeals.models import Appeal, AppealEvent

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")


def test_given_eight_threads_accepting_one_appeal_then_exactly_one_wins(make_appeal, users):
    appeal = make_appeal()
    n = 8
    barrier = threading.Barrier(n)
    results: list[str] = []
    lock = threading.Lock()

    def worker():
        close_old_connections()
        stale = Appeal.objects.get(pk=appeal.pk)  # everyone read 已登记 before anyone wrote
        barrier.wait()
        try:
            actions.accept_appeal(stale, actor=users.county_staff)
            outcome = "ok"
        except actions.AppealError as exc:
            outcome = str(exc)
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=worker) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("ok") == 1
    assert all("不能执行“受理”" in r for r in results if r != "ok")
    assert Appeal.objects.get(pk=appeal.pk).status == wf.ACCEPTED
    assert AppealEvent.objects.filter(appeal=appeal, action="accept").count() == 1
