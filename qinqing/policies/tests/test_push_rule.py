"""One rule for notifying enterprises (docs/policies.md, 推送规则): once a policy is published and in effect,
every enterprise that becomes eligible is notified exactly once — on first publication, a rule or date change,
an enterprise data change, a batch or nightly run, or the policy coming into effect."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from qinqing.notifications.models import Notification
from qinqing.policies import actions, matching, tasks
from qinqing.policies.models import PolicyPush
from qinqing.registry.models import Enterprise

pytestmark = pytest.mark.django_db

ALL_DATA = {"title": "岳阳市稳岗补贴政策", "level": "city", "benefit_type": "subsidy"}


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the block and then its on-commit work (re-match tasks), as a real request would."""

    def run(func, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return func(*args, **kwargs)

    return run


def _pushed(policy) -> list[int]:
    return sorted(PolicyPush.objects.filter(policy=policy).values_list("enterprise_id", flat=True))


def _inbox(user) -> int:
    return Notification.objects.filter(recipient=user, kind="policy").count()


def _nightly_batch(firms):
    """What the nightly job does for the top-level FIC."""
    return tasks.run_batch(firms.province.path)


def test_given_new_policy_when_first_published_then_eligible_enterprises_notified(users, firms, make_policy, committed):
    policy = committed(make_policy)  # ent_a (50 employees) is eligible, ent_b (5) is not
    assert _pushed(policy) == [firms.ent_a.pk]
    assert _inbox(users.enterprise) == 1 and _inbox(users.enterprise_b) == 0


def test_given_enterprise_data_changed_without_hook_when_nightly_runs_twice_then_notified_once(
    users, firms, make_policy, committed
):
    policy = committed(make_policy)
    Enterprise.objects.filter(pk=firms.ent_b.pk).update(employees=30)  # e.g. a bulk load
    first = _nightly_batch(firms)
    second = _nightly_batch(firms)
    assert first["pushed"] == 1 and second["pushed"] == 0
    assert _pushed(policy) == [firms.ent_a.pk, firms.ent_b.pk]
    assert _inbox(users.enterprise_b) == 1 and _inbox(users.enterprise) == 1


def test_given_batch_run_when_policy_never_matched_before_then_its_eligible_notified(users, firms, make_policy):
    policy = make_policy()  # published, but its re-match never ran (no on-commit work here)
    assert _pushed(policy) == []
    assert tasks.run_batch(firms.city.path)["pushed"] == 1
    assert tasks.run_batch(firms.city.path)["pushed"] == 0
    assert _pushed(policy) == [firms.ent_a.pk]


def test_given_policy_not_yet_in_effect_when_its_dates_change_to_now_then_notified(
    users, firms, make_policy, committed
):
    later = timezone.localdate() + datetime.timedelta(days=30)
    policy = committed(make_policy, effective_on=later)
    assert _pushed(policy) == []  # published but not in effect: nobody yet
    data = {**ALL_DATA, "rule": policy.rule, "effective_on": datetime.date(2024, 1, 1)}
    committed(actions.update_policy, policy, actor=users.city_staff, data=data)
    assert _pushed(policy) == [firms.ent_a.pk]
    assert _inbox(users.enterprise) == 1


def test_given_policy_effective_tomorrow_when_nightly_runs_after_that_then_notified_once(
    users, firms, make_policy, committed
):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    policy = committed(make_policy, effective_on=tomorrow)
    _nightly_batch(firms)
    assert _pushed(policy) == []
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2), tick=False):
        assert _nightly_batch(firms)["pushed"] == 1
        assert _nightly_batch(firms)["pushed"] == 0
    assert _pushed(policy) == [firms.ent_a.pk] and _inbox(users.enterprise) == 1


def test_given_staff_pushed_first_when_automatic_runs_then_no_repeat(users, firms, make_policy, committed):
    policy = make_policy(auto_push=False)
    matching.run_matching(firms.city.path)
    assert actions.push_policy(policy, actor=users.city_staff) == 1
    committed(actions.update_policy, policy, actor=users.city_staff, data={**ALL_DATA, "rule": policy.rule})
    assert _nightly_batch(firms)["pushed"] == 0
    assert _pushed(policy) == [firms.ent_a.pk] and _inbox(users.enterprise) == 1


def test_given_auto_push_off_when_enterprises_become_eligible_then_only_staff_push_notifies(
    users, firms, make_policy, committed
):
    policy = committed(make_policy, auto_push=False)
    Enterprise.objects.filter(pk=firms.ent_b.pk).update(employees=30)
    _nightly_batch(firms)
    actions.enterprises_changed([firms.ent_b.pk])
    assert _pushed(policy) == []
    assert actions.push_policy(policy, actor=users.city_staff) == 2


def test_given_auto_push_switched_on_when_saved_then_eligible_not_yet_notified_are_notified(
    users, firms, make_policy, committed
):
    policy = committed(make_policy, auto_push=False)
    assert _pushed(policy) == []
    data = {**ALL_DATA, "rule": policy.rule, "auto_push": True}
    committed(actions.update_policy, policy, actor=users.city_staff, data=data)
    assert _pushed(policy) == [firms.ent_a.pk]


def test_given_enterprises_changed_when_called_twice_then_notified_once(users, firms, make_policy, committed):
    policy = committed(make_policy)
    Enterprise.objects.filter(pk=firms.ent_b.pk).update(employees=30)
    actions.enterprises_changed([firms.ent_b.pk])
    actions.enterprises_changed([firms.ent_b.pk])
    assert _pushed(policy) == [firms.ent_a.pk, firms.ent_b.pk]
    assert _inbox(users.enterprise_b) == 1
    assert sorted(matching.eligible_ids(policy, firms.city.path).to_list()) == [firms.ent_a.pk, firms.ent_b.pk]


def test_given_enterprises_changed_when_called_then_only_those_enterprises_are_rematched(
    users, firms, make_policy, committed
):
    policy = committed(make_policy)
    Enterprise.objects.filter(pk=firms.ent_a.pk).update(employees=1)  # not reported as changed
    Enterprise.objects.filter(pk=firms.ent_b.pk).update(employees=30)
    actions.enterprises_changed([firms.ent_b.pk])
    assert sorted(matching.eligible_ids(policy, firms.city.path).to_list()) == [firms.ent_a.pk, firms.ent_b.pk]
    actions.enterprises_changed([firms.ent_a.pk])
    assert matching.eligible_ids(policy, firms.city.path).to_list() == [firms.ent_b.pk]


def test_given_large_change_set_when_enterprises_changed_then_background_tasks_do_the_same(
    users, firms, make_policy, committed, monkeypatch
):
    policy = committed(make_policy)
    Enterprise.objects.filter(pk=firms.ent_b.pk).update(employees=30)
    monkeypatch.setattr(actions, "ENTERPRISES_INLINE", 0)
    monkeypatch.setattr(actions, "ENTERPRISES_PER_TASK", 1)
    calls = []
    task = tasks.rematch_enterprises_task

    class Spy:
        def enqueue(self, ids):
            calls.append(ids)
            return task.enqueue(ids)

    monkeypatch.setattr(tasks, "rematch_enterprises_task", Spy())
    actions.enterprises_changed([firms.ent_a.pk, firms.ent_b.pk])
    assert calls == [str(firms.ent_a.pk), str(firms.ent_b.pk)]  # compact id ranges
    assert _pushed(policy) == [firms.ent_a.pk, firms.ent_b.pk] and _inbox(users.enterprise_b) == 1
