"""The nightly full re-match (registered with the core scheduler) and the policy cards on the home page."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from qinqing.core.models import Job
from qinqing.core.scheduler import periodic_tasks
from qinqing.policies import search_index, tasks
from qinqing.policies.actions import push_policy
from qinqing.policies.matching import run_matching

pytestmark = pytest.mark.django_db


def _at(hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(hour, 10)))


def test_given_scheduler_when_listing_periodic_work_then_policies_nightly_run_is_registered():
    assert tasks.nightly_task in [entry.task for entry in periodic_tasks()]


def test_given_night_when_nightly_runs_twice_then_one_full_match_job_per_top_fic_and_fresh_index(firms, make_policy):
    make_policy(title="夜间匹配测试政策")
    search_index.drop()
    # The clock stands at each tick, so tonight's job is stamped tonight whatever the hour of the run.
    with time_machine.travel(_at(3), tick=False):
        first = tasks.start_nightly()
    assert first["started"] == [firms.province.path] and first["indexed"] == 1
    job = Job.objects.get(kind="policies.match")
    assert job.params["scope"] == firms.province.path and job.params["nightly"] is True
    assert search_index.is_ready()
    with time_machine.travel(_at(4), tick=False):
        assert tasks.start_nightly()["started"] == []  # the scheduler ticks hourly: once a night
    assert Job.objects.filter(kind="policies.match").count() == 1


def test_given_daytime_when_nightly_ticks_then_nothing_starts(firms):
    assert tasks.start_nightly(_at(14))["started"] == []
    assert not Job.objects.exists()


def test_given_nightly_job_when_run_then_results_stored_for_the_whole_province(firms, make_policy):
    policy = make_policy(title="规上企业奖励")
    tasks.start_nightly(_at(3))
    job = Job.objects.get(kind="policies.match")
    tasks.match_policies_task.func(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert policy.matches.get(scope_path=firms.province.path).count == 1  # ent_a: 50 employees ≥ 10


def _home_html(client) -> str:
    return client.get(reverse("core:home")).content.decode()


def test_given_eligible_enterprise_when_opening_home_then_it_sees_how_many_policies_it_qualifies_for(
    login, users, firms, make_policy
):
    make_policy(title="小微企业稳岗补贴")  # employees ≥ 10: ent_a has 50
    make_policy(title="规上企业奖励", rule={"op": "all", "items": [{"attr": "employees", "op": "ge", "value": 500}]})
    from qinqing.policies.navigation import home_cards

    cards = {c["label"]: c for c in home_cards(users.enterprise)}
    assert cards["符合条件的政策"]["value"] == 1 and cards["符合条件的政策"]["url"] == reverse("policies:mine")
    assert "符合条件的政策" in _home_html(login(users.enterprise))
    assert "生效中的政策" not in cards


def test_given_every_verdict_when_counting_the_home_card_then_the_eligible_of_my_policies(
    login, users, firms, make_policy
):
    """The card counts by the rule's value alone; it must be the number 我的政策 lists as eligible."""
    from qinqing.policies.navigation import home_cards

    def leaf(attr, op, value):
        return {"attr": attr, "op": op, "value": value}

    make_policy(title="稳岗补贴")  # employees ≥ 10: ent_a has 50
    make_policy(
        title="任一项", rule={"op": "any", "items": [leaf("total_assets", "ge", 1), leaf("employees", "ge", 10)]}
    )
    make_policy(
        title="缺数据", rule={"op": "all", "items": [leaf("total_assets", "ge", 1), leaf("employees", "ge", 10)]}
    )
    make_policy(title="差一项", rule={"op": "all", "items": [leaf("employees", "ge", 100)]})
    make_policy(title="无条件", rule={"op": "all", "items": []})
    groups = login(users.enterprise).get(reverse("policies:mine")).context["groups"]
    card = {c["label"]: c["value"] for c in home_cards(users.enterprise)}["符合条件的政策"]
    assert card == len(groups["eligible"]) == 3


def test_given_staff_when_opening_home_then_in_effect_and_pushes_sent_in_scope(login, users, firms, make_policy):
    from qinqing.policies.navigation import home_cards

    policy = make_policy(title="小微企业稳岗补贴")
    make_policy(title="已过期政策", expires_on=datetime.date(2020, 1, 1), effective_on=datetime.date(2019, 1, 1))
    run_matching(firms.county_a.path)
    push_policy(policy, actor=users.county_staff)
    county = {c["label"]: c["value"] for c in home_cards(users.county_staff)}
    other = {c["label"]: c["value"] for c in home_cards(users.county_b_staff)}
    assert county["生效中的政策"] == 1 and county["已推送政策"] == 1
    assert other["已推送政策"] == 0  # the push went to county A's enterprise
    assert "符合条件的政策" not in county
    assert "已推送政策" in _home_html(login(users.county_staff))
