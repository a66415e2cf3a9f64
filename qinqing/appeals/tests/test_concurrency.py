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


def _race(*jobs):
    """Run each job in its own thread, all released at once; return each job's "ok" or error message."""
    barrier = threading.Barrier(len(jobs))
    results: list[str] = [""] * len(jobs)

    def worker(i, job):
        close_old_connections()
        try:
            prepared = job[0]()  # read the stale objects before anyone writes
            barrier.wait()
            job[1](*prepared)
            results[i] = "ok"
        except actions.AppealError as exc:
            results[i] = str(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_given_contacted_appeal_when_reply_and_return_race_then_exactly_one_consistent_outcome(assigned, users):
    # Given an appeal the department has contacted the enterprise about
    appeal = actions.contact_enterprise(assigned, actor=users.liaison, comment="已联系")

    def stale():
        return (Appeal.objects.get(pk=appeal.pk),)

    # When one liaison replies while another returns it, at the same moment
    results = _race(
        (stale, lambda a: actions.reply_appeal(a, actor=users.liaison, reply="已协调解决")),
        (stale, lambda a: actions.return_appeal(a, actor=users.liaison, reason="不属于本单位")),
    )
    # Then exactly one wins, the other is told the state changed, and the row matches the winner
    assert results.count("ok") == 1, results
    loser = next(r for r in results if r != "ok")
    assert "可能已被他人处理" in loser
    final = Appeal.objects.get(pk=appeal.pk)
    if results[0] == "ok":
        assert final.status == wf.REPLIED and final.lead_department_id is not None and final.callback_due
        assert not AppealEvent.objects.filter(appeal=appeal, action="return").exists()
    else:
        assert final.status == wf.ACCEPTED and final.lead_department_id is None and final.reply == ""
        assert not AppealEvent.objects.filter(appeal=appeal, action="reply").exists()


def test_given_two_appeals_when_merging_each_into_the_other_at_once_then_one_merge_and_no_cycle(make_appeal, users):
    a, b = make_appeal("贷款审批慢"), make_appeal("贷款审批太慢")

    def stale():
        return Appeal.objects.get(pk=a.pk), Appeal.objects.get(pk=b.pk)

    # When A→B and B→A are merged at the same moment
    results = _race(
        (stale, lambda x, y: actions.merge_appeal(x, actor=users.county_staff, master=y)),
        (stale, lambda x, y: actions.merge_appeal(y, actor=users.county_staff, master=x)),
    )
    # Then exactly one merge happened and the other was refused: one open master, one duplicate
    assert results.count("ok") == 1, results
    assert "不能" in next(r for r in results if r != "ok")
    statuses = sorted(Appeal.objects.filter(pk__in=[a.pk, b.pk]).values_list("status", flat=True))
    assert statuses == sorted([wf.MERGED, wf.REGISTERED])
    merged = Appeal.objects.get(status=wf.MERGED)
    assert Appeal.objects.get(pk=merged.merged_into_id).merged_into_id is None
    assert AppealEvent.objects.filter(action="merge").count() == 1


def test_given_two_sweeps_at_once_when_a_warning_is_due_then_one_warning_event_and_message(assigned, users):
    from qinqing.notifications.models import Notification

    day = assigned.contact_due  # the contact deadline day: warning
    barrier = threading.Barrier(2)

    def sweep():
        close_old_connections()
        try:
            barrier.wait()
            actions.mark_deadlines(day)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert AppealEvent.objects.filter(appeal=assigned, action="warning").count() == 1
    assert Notification.objects.filter(recipient=users.liaison, kind="appeals.warning").count() == 1
    assert Appeal.objects.get(pk=assigned.pk).deadline_state == "warning"
