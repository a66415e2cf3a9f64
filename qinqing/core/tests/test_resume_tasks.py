"""A plain task (no Job row) that a killed worker left running is enqueued again when the worker restarts."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from qinqing.appeals.tasks import mark_deadlines_task
from qinqing.core.jobs import resume_stale_tasks

PATH = "qinqing.appeals.tasks.mark_deadlines_task"


def _claimed_by_a_dead_worker():
    result = mark_deadlines_task.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now() - timedelta(minutes=5), worker_ids=["dead"]
    )
    return result.id


@pytest.mark.django_db
def test_given_a_task_left_running_when_resumed_then_it_is_enqueued_again_and_the_old_result_closed():
    old = _claimed_by_a_dead_worker()
    assert resume_stale_tasks() == [PATH]
    assert DBTaskResult.objects.get(pk=old).status == TaskResultStatus.FAILED
    fresh = DBTaskResult.objects.exclude(pk=old).get(task_path=PATH)
    assert fresh.status == TaskResultStatus.READY
    # Nothing is left running, so a second start resumes nothing.
    assert resume_stale_tasks() == []


@pytest.mark.django_db
def test_given_a_recently_started_task_when_resumed_with_a_grace_period_then_it_is_left_alone():
    result = mark_deadlines_task.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(status=TaskResultStatus.RUNNING, started_at=timezone.now())
    assert resume_stale_tasks(older_than=600) == []


@pytest.mark.django_db
def test_given_the_worker_start_when_resume_jobs_runs_then_plain_tasks_are_listed(capsys):
    _claimed_by_a_dead_worker()
    call_command("resume_jobs")
    assert "已重新排队后台任务：" + PATH in capsys.readouterr().out
