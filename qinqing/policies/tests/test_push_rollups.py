"""The push rollups (rollups.py) against the direct queries: a random walk of real writes — pushes on several days
to enterprises under several paths (by the push action, and single rows saved and deleted as after a move),
pushes opened, a provisional enterprise merged into another (its pushes moved, a duplicate dropped), a policy
and an enterprise deleted with their pushes (by cascade) — then the figures page's counts, the home card and the
two report figures read from the rollups equal counting the pushes on every scope and period, the rebuilt tables
equal the kept ones, and none of those readers touches the pushes' table."""

import datetime as dt
import random

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from qinqing.core import figure_values
from qinqing.core.figures import Period, get
from qinqing.policies import actions, rollups
from qinqing.policies.figures import policy_figures
from qinqing.policies.models import PolicyPush, PushedEnterprise, PushReach
from qinqing.policies.navigation import home_cards
from qinqing.registry import provisional
from qinqing.registry.models import Enterprise

pytestmark = pytest.mark.django_db

NAMES = ("policies_pushes", "policies_pushes_months", "policies_reach")
PUSH_TABLE = PolicyPush._meta.db_table


def _direct(scope: str) -> dict:
    return PolicyPush.objects.filter(org_path__startswith=scope).aggregate(
        sent=Count("id"),
        opened=Count("id", filter=Q(opened_at__isnull=False)),
        reached=Count("enterprise", distinct=True),
    )


def _tables() -> dict[str, set]:
    out = {}
    for name in NAMES:
        rollup = rollups.core.get(name)
        out[name] = set(rollup.target_model.objects.values_list(*rollup.key_columns, *rollup.measure_columns))
    out["pairs"] = set(PushedEnterprise.objects.values_list("enterprise_id", "org_path"))
    return out


def _at(day: dt.date):
    return time_machine.travel(timezone.make_aware(dt.datetime.combine(day, dt.time(23, 30))), tick=False)


@pytest.fixture
def walked(tree, users, make_policy):
    """Returns the scopes to check and the days pushes were sent on."""
    rng = random.Random(17)
    fics = [tree.city, tree.county_a, tree.county_b]
    enterprises = [tree.ent_a, tree.ent_b]
    for i in range(10):
        fic = rng.choice(fics)
        enterprises.append(
            Enterprise.objects.create(
                credit_code=f"9143060{i:02d}MA4L{i:05d}", name=f"推送汇总企业{i}", fic=fic, org_path=fic.path
            )
        )
    policies = [make_policy(title=f"推送汇总政策{i}", publish=False) for i in range(5)]
    today = timezone.localdate()
    days = sorted({today - dt.timedelta(days=rng.randint(0, 400)) for _i in range(6)} | {today})
    for day in days:
        with _at(day):
            for policy in rng.sample(policies, 3):
                chosen = rng.sample(enterprises, rng.randint(1, 8))
                actions.push_to_enterprises(policy, [e.pk for e in chosen], actor=users.city_staff)
            for push in rng.sample(list(PolicyPush.objects.all()), 3):
                actions.mark_push_opened(push.policy, push.enterprise)
            # A single row under another path than its enterprise's (pushed before a move), one deleted.
            policy, enterprise = rng.choice(policies), rng.choice(enterprises)
            if not PolicyPush.objects.filter(policy=policy, enterprise=enterprise).exists():
                PolicyPush.objects.create(policy=policy, enterprise=enterprise, org_path=tree.county_b.path)
            rng.choice(list(PolicyPush.objects.all())).delete()
    # A provisional enterprise pushed two policies, one of which its target already has, merged into it.
    # Under 华容县 (county B), merged into an enterprise of 岳阳县 (county A), which then counts under both.
    temp = provisional.create_provisional_enterprise(actor=users.county_b_staff, name="临时推送企业")
    into = PolicyPush.objects.filter(enterprise__org_path=tree.county_a.path).first().enterprise
    shared = PolicyPush.objects.filter(enterprise=into).first().policy
    other = make_policy(title="合并前推送的政策", publish=False)
    actions.push_to_enterprises(shared, [temp.pk], actor=users.city_staff)
    actions.push_to_enterprises(other, [temp.pk], actor=users.city_staff)
    actions.mark_push_opened(other, temp)
    provisional.merge_provisional(temp, into=into, actor=users.city_staff)
    assert PolicyPush.objects.filter(enterprise=into, org_path=tree.county_b.path).exists()  # moved with its path
    # A policy deleted with its pushes, then an enterprise with its.
    doomed = max(policies, key=lambda p: p.pushes.count())
    assert doomed.pushes.exists()
    actions.delete_policy(doomed, actor=users.city_staff)
    gone = max((e for e in enterprises[2:] if e != into), key=lambda e: e.policy_pushes.count())
    assert gone.policy_pushes.exists()
    gone.delete()
    scopes = ["/", tree.province.path, tree.city.path, tree.county_a.path, tree.county_b.path, "/nonexistent/"]
    return scopes, days


def test_given_random_writes_when_reading_the_rollups_then_they_equal_counting_the_pushes(walked):
    scopes, days = walked
    assert PolicyPush.objects.count() > 20 and PolicyPush.objects.filter(opened_at__isnull=False).exists()
    assert PolicyPush.objects.values("created_at__date").distinct().count() > 3
    for scope in scopes:
        direct = _direct(scope)
        assert rollups.totals(scope) == {"sent": direct["sent"], "opened": direct["opened"]}, scope
        assert rollups.reached(scope) == direct["reached"], scope
    assert rollups.reached("/430000") == _direct("/430000")["reached"]  # not a subtree path: counted directly
    today = timezone.localdate()
    periods = [
        Period.year(today.year),
        Period.year(today.year - 1),
        Period(today - dt.timedelta(days=90), today),
        *[Period(day, day) for day in days],
    ]
    figures = [get("policies.pushes"), get("policies.pushes_opened")]
    for scope in scopes[:5]:
        batched = figure_values.totals(figures, scope, periods)  # daily rows and the month twin
        for figure in figures:
            direct = [figure.direct_value(scope, period) for period in periods]
            assert [figure.value(scope, period) for period in periods] == direct, (figure.key, scope)
            assert batched[figure.key] == direct, (figure.key, scope)


def test_given_random_writes_when_rebuilding_then_the_tables_equal_the_kept_ones(walked):
    kept = _tables()
    assert all(kept.values())
    call_command("rebuild_rollups", *NAMES)
    assert _tables() == kept


def test_given_pushes_when_staff_read_figures_and_home_cards_then_no_statement_on_the_pushes(walked, users):
    with CaptureQueriesContext(connection) as ctx:
        data = policy_figures(users.city_staff)
        cards = home_cards(users.city_staff)
    assert not [q["sql"] for q in ctx.captured_queries if PUSH_TABLE in q["sql"]]
    assert len(ctx.captured_queries) <= 10
    direct = _direct(users.city_staff.org.path)
    assert (data["pushes_sent"], data["pushes_opened"], data["enterprises_reached"]) == (
        direct["sent"],
        direct["opened"],
        direct["reached"],
    )
    assert {c["label"]: c["value"] for c in cards}["已推送政策"] == direct["sent"]
    today = timezone.localdate()
    with CaptureQueriesContext(connection) as ctx:
        figure_values.totals([get("policies.pushes"), get("policies.pushes_opened")], "/", [Period.year(today.year)])
    assert ctx.captured_queries and not [q["sql"] for q in ctx.captured_queries if PUSH_TABLE in q["sql"]]


def test_given_a_pair_already_pushed_when_inserted_again_then_neither_written_nor_counted(tree, users, make_policy):
    """What a concurrent push of the same pair meets: the insert skips it and the rollups do not count it."""
    policy = make_policy(publish=False)
    actions.push_to_enterprises(policy, [tree.ent_a.pk], actor=users.city_staff)
    now = timezone.now()
    written = actions._insert_pushes(policy, [(tree.ent_a.pk, tree.ent_a.org_path), (tree.ent_b.pk, "/x/")], now)
    assert written == [(tree.ent_b.pk, "/x/")]
    rollups.count_new_pushes(now, written)
    assert rollups.totals("/")["sent"] == PolicyPush.objects.count() == 2
    assert rollups.reached("/") == 2 and rollups.reached(tree.county_a.path) == 1
    assert set(PushReach.objects.values_list("org_path", "enterprises")) >= {("/x/", 1), ("/", 2)}


def test_given_an_opened_push_when_opened_again_then_counted_once(tree, users, make_policy):
    policy = make_policy(publish=False)
    actions.push_to_enterprises(policy, [tree.ent_a.pk], actor=users.city_staff)
    actions.mark_push_opened(policy, tree.ent_a)
    actions.mark_push_opened(policy, tree.ent_a)
    assert rollups.totals("/") == {"sent": 1, "opened": 1}


def test_given_a_rematch_pushing_several_policies_when_it_commits_then_counted_at_its_end(firms, make_policy):
    """rematch_enterprises counts its pushes after the last one (counted_at_end), not per policy."""
    policies = [make_policy(title=f"重新匹配政策{i}", auto_push=True) for i in range(3)]
    PolicyPush.objects.all().delete()
    for table in (PushReach, PushedEnterprise, *(rollups.core.get(n).target_model for n in NAMES[:2])):
        table.objects.all().delete()
    pushed = actions.rematch_enterprises([firms.ent_a.pk, firms.ent_b.pk])
    assert sorted(pushed) == sorted(p.pk for p in policies)
    for scope in ("/", firms.county_a.path, firms.county_b.path):
        direct = _direct(scope)
        assert rollups.totals(scope) == {"sent": direct["sent"], "opened": 0}
        assert rollups.reached(scope) == direct["reached"]
    assert rollups.totals("/")["sent"] == 3
