"""Long audited transactions take the audit chain head last (PostgreSQL, two connections): a job step and the demo
seed hold their audit rows back (audit.written_at_end), so a user's audited action does not wait on their work.

Given a job step or the demo seed paused after recording its first audit row, when a user records an audited
action under lock_timeout 3 s, then it does not wait (before: it waited for the whole step or seed).
"""

import threading

import pytest
from django.db import connection

from qinqing.core import audit, demo
from qinqing.core.jobs import JobRunner
from qinqing.core.models import AuditEntry, Job
from qinqing.core.tests.concurrency import on_own_connection, user_action_seconds

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def pg():
    if connection.vendor != "postgresql":
        pytest.skip("row locks between connections need PostgreSQL (SQLite serialises writers by its file lock)")
    return {"errors": [], "paused": threading.Event(), "go": threading.Event()}


def _pause(state) -> None:
    state["paused"].set()
    state["go"].wait(20)


def _while_paused(thread, state) -> None:
    assert state["paused"].wait(20)
    assert user_action_seconds() < 3  # when a user acts, then the action does not wait
    state["go"].set()
    thread.join(30)
    assert not thread.is_alive() and not state["errors"]
    assert audit.verify_chain().ok


def test_given_a_job_step_paused_after_recording_when_a_user_acts_then_the_action_does_not_wait(pg):
    # Given a job whose step records an audit row, then goes on with long work
    job = Job.objects.create(kind="test.step", title="测试任务")

    def step():
        run = JobRunner(job.pk)
        for index, _item in run.each(["甲", "乙"]):
            audit.record("test.job_step", object_id=index)
            if index == 0:
                _pause(pg)

    _while_paused(on_own_connection(step, pg["errors"]), pg)
    # then the steps' rows are written, in order, each committed with its checkpoint
    assert list(
        AuditEntry.objects.filter(action="test.job_step").order_by("id").values_list("object_id", flat=True)
    ) == [
        "0",
        "1",
    ]
    assert Job.objects.get(pk=job.pk).checkpoint == {"position": 2}


def test_given_the_demo_seed_paused_after_its_first_rows_when_a_user_acts_then_the_action_does_not_wait(
    pg, monkeypatch
):
    # Given the demo seed, stopped in its first domain seeder (after it recorded the seed's audit row)
    monkeypatch.setattr(demo, "domain_seeders", lambda: iter([("pause", lambda ctx: _pause(pg))]))
    thread = on_own_connection(lambda: demo.run(demo.make_context("test")), pg["errors"])
    _while_paused(thread, pg)
    # then the seed's row is written when it commits
    assert AuditEntry.objects.filter(action="core.seed_demo").count() == 1
