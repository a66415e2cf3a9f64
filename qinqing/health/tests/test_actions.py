"""Health-check actions: versions, runs, supplements, questionnaire, visits and appeals."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qinqing.core.models import AuditEntry
from qinqing.health import actions
from qinqing.health.choices import VisitStatus
from qinqing.health.indicators import DEFAULT_CONFIG
from qinqing.health.models import HealthResult, ScoringVersion

from .conftest import score

pytestmark = pytest.mark.django_db


def test_given_figures_when_scored_then_results_name_missing_data_and_carry_the_version(tree, users, health):
    a = health.result_a
    assert a.version == health.version and a.year == 2025
    assert a.values["revenue_growth"] == pytest.approx(-20.0)
    assert a.values["debt_ratio"] == pytest.approx(87.5)
    missing = {m["code"]: m["fields"] for m in a.missing}
    assert missing["profit_growth"] == ["prev:profit"]
    assert missing["receivable_days"] == ["now:receivables"]
    assert "governance" in missing
    assert a.is_low and a.grade == "D" and a.weakest
    b = health.result_b
    assert b.values["revenue_growth"] is None and b.peers["count"] >= 1


def test_given_a_new_run_when_scores_fall_then_the_old_result_is_history_and_fell_is_set(tree, users, health):
    from .conftest import figures

    figures(tree.ent_b, 2024, "1000")  # ent_b's revenue now fell by half
    figures(tree.ent_b, 2023, "1000")
    score(users.city_staff)
    now = HealthResult.objects.get(enterprise=tree.ent_b, is_current=True)
    assert now.previous_total == health.result_b.total
    assert HealthResult.objects.filter(enterprise=tree.ent_b).count() == 2
    assert now.fell == (health.result_b.total - now.total >= 10)


def test_given_a_published_version_when_changed_then_refused_and_a_new_version_is_needed(users, health):
    with pytest.raises(actions.HealthError):
        actions.save_version(actor=users.city_staff, config=DEFAULT_CONFIG, name="x", version=health.version)
    draft = actions.save_version(actor=users.city_staff, config=DEFAULT_CONFIG, name="2026 修订")
    assert draft.number == health.version.number + 1
    actions.publish_version(draft, actor=users.city_staff)
    health.version.refresh_from_db()
    assert health.version.status == "retired" and actions.active_version() == draft
    assert HealthResult.objects.filter(version=health.version).exists()  # old results keep their version


def test_given_bad_weights_when_saving_a_version_then_nothing_is_saved(users, health):
    config = {**DEFAULT_CONFIG, "questions": {}}
    count = ScoringVersion.objects.count()
    with pytest.raises(ValidationError) as error:
        actions.save_version(actor=users.city_staff, config=config, name="缺问卷")
    assert "92" in error.value.message_dict["weights"][0]
    assert ScoringVersion.objects.count() == count


def test_given_an_enterprise_when_stating_another_enterprises_figures_then_refused(tree, users, health):
    with pytest.raises(PermissionDenied):
        actions.save_supplement(tree.ent_b, actor=users.enterprise, year=2025, data={"profit_wan": "1"})
    with pytest.raises(ValidationError) as error:
        actions.save_supplement(tree.ent_a, actor=users.enterprise, year=2025, data={"inventory_wan": "-3"})
    assert "inventory_wan" in error.value.message_dict


def test_given_questionnaire_answers_when_saved_then_audited_and_a_bad_answer_is_named(tree, users, health):
    actions.answer_questionnaire(tree.ent_a, actor=users.enterprise, answers={"governance": "yes", "succession": ""})
    assert AuditEntry.objects.filter(action="health.answer_questionnaire").exists()
    with pytest.raises(ValidationError) as error:
        actions.answer_questionnaire(tree.ent_a, actor=users.enterprise, answers={"compliance": "maybe"})
    assert "compliance" in error.value.message_dict


def test_given_a_low_score_when_visited_and_turned_into_an_appeal_then_the_appeal_is_assigned(tree, users, health):
    due = actions.today() + dt.timedelta(days=3)
    [task] = actions.create_visits(actor=users.county_staff, results=[health.result_a], due_on=due,
                                   assignee=users.county_staff)  # fmt: skip
    assert task.reason == "low" and task.org_path == tree.ent_a.org_path
    with pytest.raises(actions.HealthError):
        actions.visit_to_appeal(task, actor=users.county_staff, department=tree.dept_a)
    with pytest.raises(ValidationError) as error:
        actions.record_visit(task, actor=users.county_staff, visited_on=actions.today(), notes=" ")
    assert "notes" in error.value.message_dict
    actions.record_visit(task, actor=users.county_staff, visited_on=actions.today(), notes="了解经营情况",
                         problems="厂房消防验收迟迟未办结")  # fmt: skip
    appeal = actions.visit_to_appeal(task, actor=users.county_staff, department=tree.dept_a)
    task.refresh_from_db()
    assert task.status == VisitStatus.APPEALED and task.appeal == appeal
    assert appeal.enterprise == tree.ent_a and "消防验收" in appeal.title
    with pytest.raises(actions.HealthError):
        actions.visit_to_appeal(task, actor=users.county_staff, department=tree.dept_a)


def test_given_staff_when_starting_a_run_then_a_job_scores_the_subtree(
    tree, users, health, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        run = actions.start_run(actor=users.county_staff)
    run.refresh_from_db()
    run.job.refresh_from_db()
    assert run.job.status == "succeeded" and run.scored == 1  # only county A's enterprise
    assert run.job.result == {"scored": 1, "low": run.low}
