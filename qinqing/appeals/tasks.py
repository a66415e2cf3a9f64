"""Periodic deadline marking: warnings, overdue, 催办 and 督办 levels (idempotent, safe to rerun)."""

from django_tasks import task

from .actions import mark_deadlines


@task()
def mark_deadlines_task() -> dict:
    return mark_deadlines()


PERIODIC = [(300, mark_deadlines_task)]
