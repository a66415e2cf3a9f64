"""Background jobs: progress, failure, resume after a crash, the progress partial and the job API."""

import signal

import pytest
from django.core.management import call_command
from django_tasks import task

from qinqing.core import jobs
from qinqing.core.jobs import JobError, JobRunner, job_task, start_job
from qinqing.core.models import Job

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}

# Work done by the sample task, one entry per processed item: duplicates would show up here.
PROCESSED: list[int] = []
CRASH_AFTER: dict[str, int | None] = {"items": None}


@task()
@job_task
def count_items(run: JobRunner) -> dict:
    """Sample job: 'processes' params['n'] items, optionally dying (like a killed worker) after some."""
    items = list(range(run.params["n"]))
    for index, item in run.each(items, message="正在处理"):
        PROCESSED.append(item)
        if CRASH_AFTER["items"] is not None and index + 1 == CRASH_AFTER["items"]:
            CRASH_AFTER["items"] = None
            raise SystemExit("worker killed")  # the checkpoint of this item rolls back with its work
    return {"processed": len(items)}


@task()
@job_task
def failing(run: JobRunner) -> dict:
    run.progress(1, 3, "第一步")
    raise JobError("第2行：统一社会信用代码格式不正确")


@task()
@job_task
def crashing(run: JobRunner) -> dict:
    raise ValueError("boom")


@pytest.fixture(autouse=True)
def _reset():
    PROCESSED.clear()
    CRASH_AFTER["items"] = None


@pytest.fixture
def restore_signals():
    """db_worker installs its own SIGINT/SIGTERM handlers; give pytest its own back afterwards."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


@pytest.fixture
def immediate(settings):
    settings.TASKS = IMMEDIATE


def _start(user, capture, task=count_items, **params):
    with capture(execute=True):
        job = start_job("core.sample", "示例任务", user=user, params=params, task=task)
    job.refresh_from_db()
    return job


def test_given_a_job_when_it_runs_then_progress_and_result_are_recorded(
    immediate, users, django_capture_on_commit_callbacks
):
    job = _start(users.county_staff, django_capture_on_commit_callbacks, n=5)

    assert job.status == Job.Status.SUCCEEDED
    assert (job.done, job.total, job.percent) == (5, 5, 100)
    assert job.result == {"processed": 5}
    assert job.started_at and job.finished_at
    assert job.task_result_id
    assert job.org_path == users.county_staff.org.path
    assert PROCESSED == [0, 1, 2, 3, 4]


def test_given_a_job_when_started_inside_a_transaction_then_it_is_queued_until_commit(
    immediate, users, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = start_job("core.sample", "示例任务", user=users.county_staff, params={"n": 2}, task=count_items)
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and PROCESSED == []
    assert len(callbacks) == 1


def test_given_progress_calls_when_frequent_then_database_writes_are_throttled(users, django_assert_max_num_queries):
    job = Job.objects.create(kind="k", title="t", created_by=users.county_staff)
    run = JobRunner(job.pk, interval=3600)
    run.start()
    with django_assert_max_num_queries(1):
        for done in range(1, 100):
            run.progress(done, 1000, "处理中")
    job.refresh_from_db()
    assert job.done == 0  # throttled: nothing written yet
    run.progress(1000, 1000)  # the last one is always written
    job.refresh_from_db()
    assert (job.done, job.total, job.message) == (1000, 1000, "处理中")


def test_given_a_job_error_when_the_task_fails_then_the_chinese_message_is_recorded(
    immediate, users, django_capture_on_commit_callbacks
):
    job = _start(users.county_staff, django_capture_on_commit_callbacks, task=failing)

    assert job.status == Job.Status.FAILED
    assert job.error == "第2行：统一社会信用代码格式不正确"
    assert job.finished_at is not None
    assert (job.done, job.total) == (1, 3)


def test_given_an_unexpected_exception_when_the_task_fails_then_a_chinese_error_names_it(
    immediate, users, django_capture_on_commit_callbacks
):
    job = _start(users.county_staff, django_capture_on_commit_callbacks, task=crashing)

    assert job.status == Job.Status.FAILED
    assert job.error.startswith("任务执行出错（ValueError）")


def test_given_a_worker_killed_midway_when_resumed_then_the_job_completes_without_duplicate_work(
    immediate, users, django_capture_on_commit_callbacks
):
    CRASH_AFTER["items"] = 4
    job = _start(users.county_staff, django_capture_on_commit_callbacks, n=10)

    # The worker died while handling item index 3: items 0-2 committed, item 3 rolled back.
    assert job.status == Job.Status.RUNNING
    assert job.checkpoint == {"position": 3}
    assert job.done == 3

    with django_capture_on_commit_callbacks(execute=True):
        call_command("resume_jobs")
    job.refresh_from_db()

    assert job.status == Job.Status.SUCCEEDED
    assert job.done == 10
    # Item 3 ran twice only because its first attempt was rolled back; committed work never repeats.
    assert PROCESSED == [0, 1, 2, 3, 3, 4, 5, 6, 7, 8, 9]
    assert job.result == {"processed": 10}


def test_given_a_finished_job_when_enqueued_again_then_nothing_is_redone(
    immediate, users, django_capture_on_commit_callbacks
):
    job = _start(users.county_staff, django_capture_on_commit_callbacks, n=3)
    PROCESSED.clear()

    count_items.enqueue(job.pk)

    assert PROCESSED == []


def test_given_recent_running_job_when_resume_with_grace_period_then_it_is_left_alone(immediate, users):
    job = Job.objects.create(kind="k", title="t", status=Job.Status.RUNNING, created_by=users.county_staff)

    assert jobs.resume_stale(older_than=600) == []
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING


def test_given_an_interrupted_job_without_task_path_when_resumed_then_it_fails_with_a_chinese_error(users):
    job = Job.objects.create(kind="k", title="t", status=Job.Status.RUNNING, created_by=users.county_staff)

    jobs.resume_stale()

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == "任务中断且无法恢复，请重新发起"


@pytest.mark.django_db(transaction=True)
def test_given_database_backend_when_db_worker_runs_a_batch_then_the_job_succeeds(settings, users, restore_signals):
    settings.TASKS = DATABASE
    from django_tasks_db.models import DBTaskResult

    job = start_job("core.sample", "示例任务", user=users.county_staff, params={"n": 3}, task=count_items)
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED
    assert DBTaskResult.objects.filter(pk=job.task_result_id).exists()

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.result == {"processed": 3}
    assert DBTaskResult.objects.get(pk=job.task_result_id).status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True)
def test_given_a_worker_died_holding_a_job_when_run_worker_starts_then_it_resumes_it(settings, users, restore_signals):
    settings.TASKS = DATABASE
    from django_tasks_db.models import DBTaskResult

    job = start_job("core.sample", "示例任务", user=users.county_staff, params={"n": 4}, task=count_items)
    job.refresh_from_db()
    old = DBTaskResult.objects.get(pk=job.task_result_id)
    old.claim("dead-worker")  # a worker took it, then the process was killed
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, checkpoint={"position": 2}, done=2)

    call_command("run_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert PROCESSED == [2, 3]
    old.refresh_from_db()
    assert old.status == "FAILED"


# --- the progress partial and the API ------------------------------------------------------------


def test_given_the_creator_when_polling_the_progress_partial_then_it_shows_the_job(login, users):
    job = Job.objects.create(kind="k", title="导入企业", done=3, total=4, created_by=users.county_staff)

    response = login(users.county_staff).get(f"/jobs/{job.pk}/")

    assert response.status_code == 200
    assert "导入企业" in response.content.decode()
    assert "75%" in response.content.decode()


@pytest.mark.parametrize("other", ["county_b_staff", "city_staff", "audit_admin"])
def test_given_another_user_when_polling_someone_elses_job_then_404(login, users, other):
    job = Job.objects.create(kind="k", title="导入企业", created_by=users.county_staff)

    assert login(getattr(users, other)).get(f"/jobs/{job.pk}/").status_code == 404


def test_given_anonymous_when_polling_a_job_then_redirected_to_login(client, users):
    job = Job.objects.create(kind="k", title="导入企业", created_by=users.county_staff)

    response = client.get(f"/jobs/{job.pk}/")

    assert response.status_code == 302


def test_given_the_creator_when_reading_the_job_api_then_progress_is_returned(client, users):
    from qinqing.accounts.actions import issue_api_token

    job = Job.objects.create(kind="k", title="导入企业", done=1, total=4, created_by=users.county_staff)
    token = issue_api_token(users.county_staff)

    response = client.get(f"/api/v1/jobs/{job.pk}/", HTTP_AUTHORIZATION=f"Token {token.key}")

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == job.pk
    assert (body["status"], body["status_display"], body["percent"]) == ("queued", "排队中", 25)
    assert "params" not in body and "checkpoint" not in body


def test_given_another_county_when_reading_the_job_api_then_404_in_chinese(client, users):
    from qinqing.accounts.actions import issue_api_token

    job = Job.objects.create(kind="k", title="导入企业", created_by=users.county_staff)
    token = issue_api_token(users.county_b_staff)

    response = client.get(f"/api/v1/jobs/{job.pk}/", HTTP_AUTHORIZATION=f"Token {token.key}")

    assert response.status_code == 404
    assert response.json() == {"detail": "对象不存在或不在您的管辖范围内"}
