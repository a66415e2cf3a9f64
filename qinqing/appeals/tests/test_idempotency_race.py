"""Two (or six) identical submissions at the same instant with the same key make one appeal (PostgreSQL)."""

import threading

import pytest
from django.db import close_old_connections, connection

from qinqing.appeals import actions
from qinqing.appeals.models import Appeal, AppealEvent

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")


def test_given_six_simultaneous_submissions_with_one_key_then_one_appeal(users, tree, kinds):
    n = 6
    barrier = threading.Barrier(n)
    numbers: list[str] = []
    lock = threading.Lock()

    def worker():
        close_old_connections()
        barrier.wait()
        try:
            appeal = actions.register_appeal(
                actor=users.enterprise,
                enterprise=tree.ent_a,
                appeal_type=kinds.consult,
                domain=kinds.finance,
                title="融资难",
                description="贷款审批慢",
                submission_key="same-click",
            )
            outcome = appeal.number
        except Exception as exc:
            outcome = f"error: {exc}"
        finally:
            connection.close()
        with lock:
            numbers.append(outcome)

    threads = [threading.Thread(target=worker) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Appeal.objects.count() == 1
    assert numbers == [Appeal.objects.get().number] * n, numbers
    assert AppealEvent.objects.filter(action="register").count() == 1
