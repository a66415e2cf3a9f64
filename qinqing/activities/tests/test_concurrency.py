"""Races on the last place, on PostgreSQL (SQLite serialises whole-database writes, so there is no race to
test): the activity row lock makes two registrations for one place, and two cancellations promoting from the
waitlist, come out as if one ran after the other."""

import threading

import pytest
from django.db import connection, connections

from qinqing.activities import actions
from qinqing.activities.choices import RegistrationStatus

from .factories import reg

pytestmark = pytest.mark.django_db(transaction=True)


def _race(*calls):
    barrier = threading.Barrier(len(calls))
    errors = []

    def run(call):
        try:
            barrier.wait()
            call()
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return errors


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter")


def test_given_one_place_left_when_two_enterprises_register_at_once_then_one_place_and_one_waitlisted(
    postgres_only, training, users, tree
):
    reg(training, users, tree, "甲")

    errors = _race(lambda: reg(training, users, tree, "乙"), lambda: reg(training, users, tree, "丙"))

    assert not errors
    statuses = sorted(training.registrations.values_list("status", flat=True))
    assert statuses == ["confirmed", "confirmed", "waitlisted"]


def test_given_two_waiting_when_two_cancellations_race_then_both_promoted_and_never_over_capacity(
    postgres_only, training, users, tree
):
    first, second = reg(training, users, tree, "甲"), reg(training, users, tree, "乙")
    third, fourth, fifth = (reg(training, users, tree, n) for n in ("丙", "丁", "戊"))

    errors = _race(lambda: actions.cancel(first, actor=users.enterprise),
                   lambda: actions.cancel(second, actor=users.enterprise))  # fmt: skip

    assert not errors
    confirmed = set(training.registrations.filter(status=RegistrationStatus.CONFIRMED).values_list("pk", flat=True))
    assert confirmed == {third.pk, fourth.pk}
    fifth.refresh_from_db()
    assert fifth.status == RegistrationStatus.WAITLISTED
