"""Periodic work: each domain's tasks module may list ``PERIODIC = [(seconds, task), …]``.

run_scheduler enqueues each due task on the task backend; the worker runs it. Missed runs while
the scheduler was down are not replayed one by one: the next run catches up (tasks are idempotent).
"""

from dataclasses import dataclass

from qinqing.core.discovery import domain_modules


@dataclass
class Periodic:
    seconds: int
    task: object
    last: float = 0.0


def periodic_tasks() -> list[Periodic]:
    found: list[Periodic] = []
    for _config, module in domain_modules("tasks"):
        for seconds, task in getattr(module, "PERIODIC", []):
            found.append(Periodic(seconds, task))
    return found


def due(entries: list[Periodic], now: float) -> list[Periodic]:
    return [entry for entry in entries if now - entry.last >= entry.seconds]
