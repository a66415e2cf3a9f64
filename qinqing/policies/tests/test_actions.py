"""Actions, batch and incremental matching, pushes."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qinqing.policies import actions, matching
from qinqing.policies.models import PolicyMatch, PolicyPush

pytestmark = pytest.mark.django_db


def test_given_bad_rule_when_creating_then_chinese_error_and_nothing_saved(users, firms, make_policy):
    from qinqing.policies.models import Policy

    with pytest.raises(ValidationError, match="必须是数字"):
        make_policy(rule={"op": "all", "items": [{"attr": "employees", "op": "ge", "value": "很多"}]})
    assert not Policy.objects.exists()


def test_given_county_b_staff_when_editing_county_a_policy_then_denied(users, firms, make_policy):
    policy = make_policy(actor=users.county_staff)
    with pytest.raises(PermissionDenied):
        actions.update_policy(policy, actor=users.county_b_staff, data={"title": "x", "level": "county"})


def test_given_liaison_when_creating_then_issuer_is_own_department_and_owner_its_fic(users, firms, make_policy):
    policy = make_policy(actor=users.liaison)
    assert policy.issuer == firms.dept_a and policy.org_path == firms.county_a.path


def test_given_policies_when_matching_city_then_sets_stored_per_policy(users, firms, make_policy):
    small = make_policy()
    high_tech = make_policy(
        title="高新技术企业研发补助",
        rule={"op": "all", "items": [{"attr": "qualifications", "op": "has_any", "value": ["高新技术企业"]}]},
    )
    run = matching.run_matching(firms.city.path)
    assert run.pairs == 2 and run.enterprises == 2
    assert matching.eligible_ids(small, firms.city.path).to_list() == [firms.ent_a.pk]
    assert matching.eligible_policy_ids(firms.ent_a) == sorted([small.pk, high_tech.pk])
    assert PolicyMatch.objects.count() == 2


def test_given_county_policy_when_matching_city_then_only_its_county_counts(users, firms, make_policy):
    policy = make_policy(actor=users.county_b_staff, rule={"op": "all", "items": []})
    matching.run_matching(firms.city.path)
    assert matching.eligible_ids(policy, firms.city.path).to_list() == [firms.ent_b.pk]


def test_given_pushed_policy_when_pushing_again_then_no_repeat(users, firms, make_policy):
    policy = make_policy()
    matching.run_matching(firms.city.path)
    assert actions.push_policy(policy, actor=users.city_staff) == 1
    assert actions.push_policy(policy, actor=users.city_staff) == 0
    assert PolicyPush.objects.get().enterprise == firms.ent_a


def test_given_enterprise_grows_when_rematched_then_newly_eligible_and_notified_once(users, firms, make_policy):
    from qinqing.registry.models import Enterprise

    policy = make_policy()
    matching.run_matching(firms.city.path)
    Enterprise.objects.filter(pk=firms.ent_b.pk).update(employees=30)
    firms.ent_b.refresh_from_db()
    assert actions.enterprise_changed(firms.ent_b) == [policy.pk]
    assert sorted(matching.eligible_ids(policy, firms.city.path).to_list()) == sorted([firms.ent_a.pk, firms.ent_b.pk])
    assert actions.enterprise_changed(firms.ent_b) == []
    assert PolicyPush.objects.filter(enterprise=firms.ent_b).count() == 1


def test_given_rule_loosened_when_policy_rematched_then_new_enterprise_pushed(users, firms, make_policy):
    policy = make_policy()
    matching.run_matching(firms.city.path)
    actions.update_policy(
        policy,
        actor=users.city_staff,
        data={"title": policy.title, "level": "city", "benefit_type": "subsidy", "rule": {"op": "all", "items": []}},
    )
    newly = actions.rematch_policy(policy.pk)
    assert newly == {firms.city.path: [firms.ent_b.pk]}
    assert PolicyPush.objects.filter(policy=policy, enterprise=firms.ent_b).exists()


def test_given_withdrawn_policy_when_rematched_then_results_dropped(users, firms, make_policy):
    policy = make_policy()
    matching.run_matching(firms.city.path)
    actions.set_policy_state(policy, actor=users.city_staff, state="withdrawn")
    actions.rematch_policy(policy.pk)
    assert not PolicyMatch.objects.filter(policy=policy).exists()


def test_given_staff_when_starting_matching_then_job_created_for_scope(users, firms, make_policy, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    make_policy()
    job = actions.start_matching(actor=users.county_staff)
    assert job.params["scope"] == firms.county_a.path
    with pytest.raises(PermissionDenied):
        actions.start_matching(actor=users.enterprise)


def test_given_policies_when_running_command_then_pairs_and_time_printed(users, firms, make_policy):
    from io import StringIO

    from django.core.management import call_command

    make_policy(rule={})
    out = StringIO()
    call_command("match_policies", "--org", firms.city.code, stdout=out)
    assert "符合条件 2 对" in out.getvalue() and "耗时" in out.getvalue()


def test_given_withdrawn_policy_when_deleted_then_audited_with_its_id_after_its_rows(users, firms, make_policy):
    from qinqing.core import audit
    from qinqing.core.models import AuditEntry
    from qinqing.policies.actions import delete_policy, set_policy_state
    from qinqing.policies.models import Policy

    policy = set_policy_state(make_policy(), actor=users.city_staff, state="withdrawn")
    pk = policy.pk
    delete_policy(policy, actor=users.city_staff)
    entry = AuditEntry.objects.filter(action="policies.delete_policy").get()
    assert not Policy.objects.filter(pk=pk).exists()
    assert (entry.object_type, entry.object_id, entry.object_repr) == ("policies.policy", str(pk), "岳阳市稳岗补贴政策")
    assert entry.before["state"] == "withdrawn" and audit.verify_chain().ok
