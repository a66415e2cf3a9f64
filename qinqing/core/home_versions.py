"""Version counters of what the home cards count (``qinqing.core.home``).

A card provider names the models it counts (``Counts``). A save or delete of a row of one of them (Django's
``post_save``, ``post_delete`` and ``m2m_changed`` signals, connected for those models only), or a bulk write
that says so (``changed()``: the imports, ``update()`` and ``bulk_create``/``bulk_update`` of counted rows),
moves that model's counter once its transaction commits; the cards cached with the old counter are then
recounted on the user's next view. Anything else — an audited read, a change to a model the card does not
count, a save that writes only fields the card does not look at — leaves every cached card alone.

The counters live in the shared cache (the database cache table, or Redis). A missing counter reads 0 and
its first move sets it to the current time in nanoseconds, never to a value it had before; so cards counted
while it was missing match it again only if it is evicted later (the cache's time bound covers that case).
Moving a counter after the commit (not inside the transaction) means no writer waits on another's counter,
and a reader that counted before the commit stored its cards under the old value, which no longer matches.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

logger = logging.getLogger(__name__)

PREFIX = "qinqing:home:v"


@dataclass(frozen=True)
class Counts:
    """A model a home card counts."""

    model: str  # "app_label.Model"; a many-to-many's through model too, e.g. "appeals.Appeal_co_departments"
    fields: frozenset[str] | None = None  # a save(update_fields=…) writing none of these changes nothing counted
    per_user: str | None = None  # the row's attribute naming the one user whose card counts it: a counter each

    @property
    def label(self) -> str:
        return self.model.lower()

    def key(self, user_id: int | None = None) -> str:
        if self.per_user is None:
            return f"{PREFIX}:{self.label}"
        return f"{PREFIX}:{self.label}:{user_id}"


def key_for(counts: Counts, user) -> str:
    return counts.key(getattr(user, "pk", None))


def current(keys: Iterable[str], found: dict) -> dict[str, int]:
    """The counters of ``keys`` (``found``: what a get_many of them returned); a missing one reads 0."""
    return {key: found.get(key) or 0 for key in keys}


# ---------------------------------------------------------------------------------------------- moving them


def changed(model: str, user_id: int | None = None) -> None:
    """Say that rows of ``model`` ("app_label.Model") changed outside save()/delete() (a bulk write); with
    ``user_id`` for a per-user counter. The counter moves when the current transaction commits."""
    for counts in _watched().get(model.lower(), ()):
        _pending(counts.key(user_id) if counts.per_user else counts.key())


class _Pending:
    """The counters to move when one transaction commits (each once, however many rows changed)."""

    def __init__(self) -> None:
        self.keys: set[str] = set()

    def __call__(self) -> None:
        keys, self.keys = self.keys, set()
        bump(keys)


def _pending(key: str) -> None:
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        bump([key])
        return
    pending = getattr(conn, "_qinqing_home_pending", None)
    # Still registered in this transaction? (A rolled-back savepoint or transaction drops its callbacks.)
    if pending is None or not any(callback is pending for _sids, callback, _robust in conn.run_on_commit):
        pending = _Pending()
        conn._qinqing_home_pending = pending
        transaction.on_commit(pending, robust=True)
    pending.keys.add(key)


def bump(keys: Iterable[str]) -> None:
    for key in keys:
        try:
            try:
                cache.incr(key)
            except ValueError:  # missing: a fresh value it never had
                cache.set(key, time.time_ns(), None)
        except Exception:  # the change is committed; a cache outage only leaves cards to the time bound
            logger.exception("home card counter %s could not be moved", key)


# ---------------------------------------------------------------------------------------------- signals

_WATCHED: dict[str, list[Counts]] | None = None


def _watched() -> dict[str, list[Counts]]:
    """Model label (lower case) -> the Counts declarations naming it, from every card source."""
    global _WATCHED
    if _WATCHED is None:
        from .home import all_counts

        watched: dict[str, list[Counts]] = {}
        for counts in all_counts():
            entries = watched.setdefault(counts.label, [])
            if counts not in entries:
                entries.append(counts)
        _WATCHED = watched
    return _WATCHED


def _matters(counts: Counts, update_fields) -> bool:
    return update_fields is None or counts.fields is None or bool(counts.fields & set(update_fields))


def _row_changed(sender, instance, update_fields=None, raw=False) -> None:
    if raw or sender.__module__ == "__fake__":  # fixtures loading, historical models in migrations
        return
    for counts in _watched().get(sender._meta.label_lower, ()):
        if _matters(counts, update_fields):
            _pending(counts.key(getattr(instance, counts.per_user, None)) if counts.per_user else counts.key())


def _on_save(sender, instance, created=False, update_fields=None, raw=False, **kwargs) -> None:
    _row_changed(sender, instance, None if created else update_fields, raw)


def _on_delete(sender, instance, **kwargs) -> None:
    _row_changed(sender, instance)


def _on_m2m(sender, instance, action, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        _row_changed(sender, instance)


def watched_models() -> list[type]:
    """The model classes some card counts (a many-to-many's through model included)."""
    from django.apps import apps

    return [apps.get_model(label) for label in sorted(_watched())]


def connect() -> None:
    """Called once from CoreConfig.ready(): receivers bound to the counted models only. A ``post_delete``
    receiver for every sender would make every ``QuerySet.delete()`` in the project fetch its rows first
    (Django's collector cannot fast-delete a model with delete receivers); bound to these models, a delete of
    anything else stays one ``DELETE`` statement, and a delete of a counted row (cascades included) still
    moves its counter."""
    for model in watched_models():
        uid = f"qinqing_home_versions:{model._meta.label_lower}"
        if model._meta.auto_created:  # a through model: rows come and go through m2m_changed
            m2m_changed.connect(_on_m2m, sender=model, dispatch_uid=f"{uid}:m2m")
        post_save.connect(_on_save, sender=model, dispatch_uid=f"{uid}:save")
        post_delete.connect(_on_delete, sender=model, dispatch_uid=f"{uid}:delete")
