"""Daily reminders of overdue cases (idempotent, safe to rerun)."""

from django_tasks import task

from .actions import remind_overdue


@task()
def remind_overdue_task() -> dict:
    return remind_overdue()


PERIODIC = [(3600, remind_overdue_task)]
