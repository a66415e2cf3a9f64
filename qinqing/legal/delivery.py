"""Promised against delivered for a 万所联万会 link (pure: no ORM).

A link promises services over its term, some with a number (``targets``: service code → count). Delivered is
counted from the records dated within the term: check-ups the firm's lawyers visited under the link, legal talks
the firm gave for the chamber, and the other services (consultations, contract reviews, …) recorded against the
link. A service delivered but not promised is shown too, so nothing done goes unseen.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    service: str
    promised: bool
    target: int | None  # None: promised without a number
    delivered: int

    @property
    def rate(self) -> float | None:
        """Delivered as a percentage of the number promised (None without a number)."""
        return round(100.0 * self.delivered / self.target, 1) if self.target else None

    @property
    def met(self) -> bool | None:
        return None if not self.target else self.delivered >= self.target


def lines(services: list[str], targets: dict[str, int], delivered: dict[str, int], order: list[str]) -> list[Line]:
    """One line per service promised or delivered, in the catalogue's ``order``."""
    shown = set(services) | {code for code, n in delivered.items() if n}
    return [
        Line(code, code in services, int(targets[code]) if targets.get(code) else None, int(delivered.get(code, 0)))
        for code in order
        if code in shown
    ]
