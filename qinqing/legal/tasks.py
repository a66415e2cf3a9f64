"""Periodic reminder of the lawyers' follow-up calls (idempotent, safe to rerun)."""

from django_tasks import task

from .actions import remind_followups


@task()
def remind_followups_task() -> dict:
    return remind_followups()


PERIODIC = [(3600, remind_followups_task)]
