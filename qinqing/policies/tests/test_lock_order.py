"""Lock order of the matching paths on PostgreSQL: a re-match queued by the enterprise import takes the audit chain
head last, so it neither deadlocks with a matching run's push nor holds users' audited actions during its work.

Given a re-match task paused in its long phase right after it recorded its first push, when a matching run pushes
the policy the task pushes next (test 1) or a user's audited action runs (test 2), then neither waits on the task.
"""

import threading
import time

import pytest
from django.db import connection, connections

from qinqing.core import audit
from qinqing.core.tests.concurrency import on_own_connection, user_action_seconds, wait_until_blocked
from qinqing.policies import actions
from qinqing.policies.models import PolicyPush

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def paused_rematch(firms, make_policy, monkeypatch):
    """Two auto-push policies ent_a is eligible for, no pushes yet, and a re-match of ent_a on its own thread that
    stops after recording the first policy's push until ``go`` is set."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks between connections need PostgreSQL (SQLite serialises writers by its file lock)")
    policies = [make_policy(title=f"岳阳市自动推送政策{i}", auto_push=True) for i in range(2)]
    first, second = sorted(policies, key=lambda p: p.pk)
    PolicyPush.objects.all().delete()
    state = {"errors": [], "paused": threading.Event(), "go": threading.Event(), "pushed": None}
    record = audit.record

    def pausing_record(action, **kwargs):
        entry = record(action, **kwargs)
        obj = kwargs.get("obj")
        if threading.current_thread() is task and action == "policies.push_policy" and obj.pk == first.pk:
            state["paused"].set()
            state["go"].wait(20)  # the task's long phase: more policies, more enterprises
        return entry

    monkeypatch.setattr(audit, "record", pausing_record)

    def rematch():
        try:
            state["pushed"] = actions.rematch_enterprises([firms.ent_a.pk])
        except Exception as exc:  # reported by the test
            state["errors"].append(exc)
        finally:
            state["paused"].set()
            connections.close_all()

    task = threading.Thread(target=rematch)
    task.start()
    assert state["paused"].wait(20)
    yield firms, first, second, state
    state["go"].set()
    task.join(30)


def test_given_a_paused_rematch_when_a_matching_run_pushes_its_next_policy_then_no_deadlock(paused_rematch):
    firms, first, second, state = paused_rematch
    run_errors = []
    # what tasks.run_batch does after storing the sets: push the newly eligible
    run = on_own_connection(lambda: actions.push_newly_eligible({second.pk: [firms.ent_a.pk]}), run_errors)
    wait_until_blocked(run)
    state["go"].set()  # the task goes on to push the second policy
    run.join(30)
    assert not run.is_alive()
    deadline = time.monotonic() + 30
    while state["pushed"] is None and not state["errors"] and time.monotonic() < deadline:
        time.sleep(0.05)

    assert not run_errors and not state["errors"]
    assert state["pushed"] == {first.pk: [firms.ent_a.pk]}  # the run notified it of the second one first
    assert set(PolicyPush.objects.values_list("policy_id", "enterprise_id")) == {
        (first.pk, firms.ent_a.pk),
        (second.pk, firms.ent_a.pk),
    }
    assert audit.verify_chain().ok


def test_given_a_rematch_in_its_long_phase_when_a_user_acts_then_the_action_does_not_wait(paused_rematch, users):
    _firms, first, _second, state = paused_rematch

    assert user_action_seconds(users.city_staff) < 3  # before: waited for the whole task (13.9 s seen)
    assert not state["errors"]

    state["go"].set()
    deadline = time.monotonic() + 30
    while state["pushed"] is None and not state["errors"] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not state["errors"] and first.pk in state["pushed"]
    assert audit.verify_chain().ok
