"""Lock order of the registry import on PostgreSQL, with two connections: an import batch takes the audit chain head
last, so a user's audited action never waits on a batch's work, and a user's action on the enterprise a batch
writes does not deadlock with it.

Given an enterprise import paused inside a batch's transaction (in its write, or at its checkpoint), when a user
records an audited action under lock_timeout 3 s, then it does not wait; when a user enters the yearly figures of
an enterprise the batch is writing, then both finish (before: figures row, chain head, then the enterprise, against
the batch's enterprise, figures, chain head: a deadlock).
"""

import threading

import pytest
from django.db import connection

from qinqing.core import audit
from qinqing.core.tests.concurrency import on_own_connection, user_action_seconds, wait_until_blocked
from qinqing.registry.enterprises import actions as enterprise_actions
from qinqing.registry.importing import runner, sqlwrite
from qinqing.registry.models import Enterprise, EnterpriseYearFigures

from .conftest import enterprise_row, make_code

pytestmark = pytest.mark.django_db(transaction=True)


class _Run:
    """What run_import needs of a JobRunner; ``pause_at_checkpoint`` stops the batch there until ``go`` is set."""

    def __init__(self, state) -> None:
        self.state, self.checkpoint, self.pause_at_checkpoint = state, {}, False
        self.job = type("Job", (), {"pk": None})()

    def progress(self, *args, **kwargs) -> None:
        pass

    def save_checkpoint(self, data, *, done=None) -> None:
        if self.pause_at_checkpoint:
            self.state["paused"].set()
            self.state["go"].wait(20)


def _start_import(path, org, state, run=None):
    def work():
        state["report"] = runner.run_import("enterprises", path, org=org, dry_run=False, run=run)

    thread = on_own_connection(work, state["errors"], done=state["paused"])
    assert state["paused"].wait(20)
    return thread


def _finish(thread, state) -> None:
    state["go"].set()
    thread.join(30)
    assert not thread.is_alive() and not state["errors"]
    assert state["report"].committed and not state["report"].errors


@pytest.fixture
def pg():
    if connection.vendor != "postgresql":
        pytest.skip("row locks between connections need PostgreSQL (SQLite serialises writers by its file lock)")
    return {"errors": [], "paused": threading.Event(), "go": threading.Event(), "report": None}


def test_given_a_batch_paused_in_its_write_when_a_user_acts_then_the_action_does_not_wait(
    pg, tree, users, csv_file, monkeypatch
):
    # Given an import batch that has written its rows and is still at work (the batch's transaction open)
    write_batch = runner.enterprises.write_batch

    def slow_write(plan):
        write_batch(plan)
        pg["paused"].set()
        pg["go"].wait(20)

    monkeypatch.setattr(runner.enterprises, "write_batch", slow_write)
    thread = _start_import(csv_file([enterprise_row(i) for i in range(1, 4)]), tree.county_a, pg)
    # When a user records an audited action, then it does not wait for the batch
    assert user_action_seconds(users.city_staff) < 3
    _finish(thread, pg)
    assert audit.verify_chain().ok


def test_given_a_batch_paused_at_its_checkpoint_when_a_user_acts_then_the_action_does_not_wait(
    pg, tree, users, csv_file
):
    # Given an import batch stopped at its checkpoint (before: its audit row was written, the chain head held)
    run = _Run(pg)
    run.pause_at_checkpoint = True
    thread = _start_import(csv_file([enterprise_row(i) for i in range(1, 4)]), tree.county_a, pg, run=run)
    # When a user records an audited action, then it does not wait for the batch to commit
    assert user_action_seconds(users.city_staff) < 3
    _finish(thread, pg)
    assert audit.verify_chain().ok


def test_given_a_batch_writing_an_enterprise_when_a_user_enters_its_figures_then_no_deadlock(
    pg, tree, users, csv_file, monkeypatch
):
    # Given an enterprise with its 2025 figures, and an import batch changing both, paused between its update of
    # the enterprise and its update of the yearly figures
    runner.run_import("enterprises", csv_file([enterprise_row(1)]), org=tree.county_a, dry_run=False)
    enterprise = Enterprise.objects.get(credit_code=make_code(1))
    update = sqlwrite.update

    def pausing_update(table, *args, **kwargs):
        result = update(table, *args, **kwargs)
        if table == Enterprise._meta.db_table and threading.current_thread() is not threading.main_thread():
            pg["paused"].set()
            pg["go"].wait(20)
        return result

    monkeypatch.setattr(sqlwrite, "update", pausing_update)
    changed = enterprise_row(1, **{"企业名称": "改名企业有限公司", "纳税额（万元）": "99"})
    thread = _start_import(csv_file([changed], name="changed.csv"), tree.county_a, pg)

    # When a user enters the same year's figures on another connection
    user_errors = []
    user = on_own_connection(
        lambda: enterprise_actions.record_year_figures(enterprise, 2025, actor=users.county_staff, tax_wan=7),
        user_errors,
    )
    wait_until_blocked(user)
    pg["go"].set()  # the batch goes on to the yearly figures and its audit row
    user.join(30)
    thread.join(30)

    # Then both finish, the user's figures last, and the chain holds
    assert not user.is_alive() and not user_errors and not pg["errors"]
    assert pg["report"].updated == 1
    assert str(EnterpriseYearFigures.objects.get(enterprise=enterprise, year=2025).tax_wan) == "7.00"
    assert Enterprise.objects.get(pk=enterprise.pk).name == "改名企业有限公司"
    assert audit.verify_chain().ok
