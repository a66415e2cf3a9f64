"""Periodic work: each domain's tasks module may list ``PERIODIC = [(seconds, task), …]``.

run_scheduler enqueues each due task on the task backend; the worker runs it. Missed runs while
the scheduler was down are not replayed one by one: the next run catches up (tasks are idempotent).
"""

from dataclasses import dataclass
from importlib import import_module

from django.apps import apps


@dataclass
class Periodic:
    seconds: int
    task: object
    last: float = 0.0


def periodic_tasks() -> list[Periodic]:
    found: list[Periodic] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("qinqing."):
            continue
        try:
            module = import_module(f"{config.name}.tasks")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.tasks":
                raise
            continue
        for seconds, task in getattr(module, "PERIODIC", []):
            found.append(Periodic(seconds, task))
    return found


def due(entries: list[Periodic], now: float) -> list[Periodic]:
    return [entry for entry in entries if now - entry.last >= entry.seconds]
