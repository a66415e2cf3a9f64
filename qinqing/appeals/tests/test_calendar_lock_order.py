"""Lock order of the deadline recompute on PostgreSQL (two connections): entering the State Council's notice
recomputes the year's open appeals one by one, locking each; its audit rows are held back (audit.written_at_end),
so it never holds the audit chain head while it waits for an appeal.

Given the notice being entered, paused after recomputing a first appeal, and a user's action holding a second
appeal, when the recompute goes on to that appeal and the user records the action under lock_timeout 3 s, then
both finish (before: the recompute held the head and waited for the appeal, the user held the appeal and waited
for the head: a deadlock).
"""

import threading
from datetime import date

import pytest
from django.db import connection, transaction

from qinqing.appeals.models import Appeal
from qinqing.core import audit, calendar_actions
from qinqing.core.holiday_notice import parse_notice
from qinqing.core.models import AuditEntry
from qinqing.core.tests.concurrency import on_own_connection, wait_until_blocked

from .test_provisional_deadlines import NOTICE_2027

pytestmark = pytest.mark.django_db(transaction=True)


def test_given_a_recompute_waiting_for_an_appeal_a_user_holds_when_the_user_records_then_no_deadlock(
    make_appeal, users, fixed_today, monkeypatch
):
    if connection.vendor != "postgresql":
        pytest.skip("row locks between connections need PostgreSQL (SQLite serialises writers by its file lock)")
    # Given two appeals whose acceptance deadlines (01-05, provisional) the 2027 notice moves
    fixed_today(date(2026, 12, 30))
    appeals = {a.pk: a for a in (make_appeal("甲"), make_appeal("乙"))}
    state = {"errors": [], "paused": threading.Event(), "go": threading.Event(), "first": None}
    record = audit.record

    def pausing_record(action, **kwargs):
        entry = record(action, **kwargs)
        if action == "appeals.recompute_deadlines" and state["first"] is None:
            state["first"] = kwargs["obj"].pk
            state["paused"].set()
            state["go"].wait(20)
        return entry

    monkeypatch.setattr(audit, "record", pausing_record)
    notice = on_own_connection(
        lambda: calendar_actions.enter_holiday_notice(parse_notice(NOTICE_2027), actor=users.sys_admin),
        state["errors"],
        done=state["paused"],
    )
    assert state["paused"].wait(20) and not state["errors"]
    (second,) = (a for pk, a in appeals.items() if pk != state["first"])  # the one the recompute takes next

    # When a user's action holds the second appeal while the recompute goes on to it, then records
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '3s'")
        Appeal.objects.select_for_update().get(pk=second.pk)
        state["go"].set()
        wait_until_blocked(notice)
        audit.record("test.user_action", obj=second, actor=users.county_staff, message="用户操作")
    notice.join(30)

    # Then both finish: both deadlines moved and audited after the user's action, and the chain holds
    assert not notice.is_alive() and not state["errors"]
    assert {a.accept_due for a in Appeal.objects.filter(pk__in=list(appeals))} == {date(2027, 1, 6)}
    assert AuditEntry.objects.filter(action="appeals.recompute_deadlines").count() == 2
    assert audit.verify_chain().ok
