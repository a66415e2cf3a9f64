"""Periodic chasing of bank answers past their deadline (idempotent, safe to rerun)."""

from django_tasks import task

from .actions import chase_overdue


@task()
def chase_overdue_task() -> dict:
    return chase_overdue()


PERIODIC = [(3600, chase_overdue_task)]
